package io.parabench.gpu;

/** The arithmetic a kernel's FLOPs run in; each has its own peak in a {@link DeviceSpec}. */
public enum Precision {
    /** FP32 on CUDA cores (no tensor cores). */
    FP32,
    /** BF16 inputs on tensor cores, FP32 accumulation; dense peak. */
    BF16,
    /** FP8 (e4m3/e5m2) inputs on tensor cores; dense peak. */
    FP8
}
