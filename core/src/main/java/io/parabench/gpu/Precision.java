package io.parabench.gpu;

/** The arithmetic a kernel's FLOPs run in; each has its own peak in a {@link DeviceSpec}. */
public enum Precision {
    /** FP32 on CUDA cores (no tensor cores). */
    FP32,
    /** TF32 tensor cores on FP32 inputs (PyTorch's {@code allow_tf32}); dense peak. */
    TF32,
    /** BF16 inputs on tensor cores, FP32 accumulation; dense peak. */
    BF16,
    /** FP8 (e4m3/e5m2) inputs on tensor cores; dense peak. */
    FP8;

    /** Bytes of one GEMM input element in this precision (TF32 GEMMs read FP32). */
    public int inputBytes() {
        return switch (this) {
            case FP32, TF32 -> 4;
            case BF16 -> 2;
            case FP8 -> 1;
        };
    }

    /**
     * Bytes of one activation element a run at this precision stores (what memory-bound kernels
     * move): FP32 runs keep FP32, mixed-precision runs keep BF16 activations (DeepSeek-V3 keeps
     * activations in BF16 around its FP8 GEMMs).
     */
    public int activationBytes() {
        return this == FP32 || this == TF32 ? 4 : 2;
    }

    /** Lower-case name as in measurement files ({@code fp32}, {@code tf32}, {@code bf16}, {@code fp8}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The precision named {@code label} (case-insensitive). */
    public static Precision of(String label) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision (" + label + ") must be one of fp32, tf32, bf16, fp8");
    }
}
