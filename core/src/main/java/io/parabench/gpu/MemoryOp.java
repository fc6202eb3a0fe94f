package io.parabench.gpu;

/**
 * The kinds of memory-bound kernel the calibrated clock tells apart, named as the {@code op} of
 * a {@code mem[]} row of a measurement file. Each has its own minimum duration, element rate
 * and achieved fraction of the memory bandwidth ({@link Calibration.MemoryFit}).
 */
public enum MemoryOp {
    /** Device-to-device copy ({@code clone}). */
    COPY("copy"),
    /** Elementwise arithmetic of a few FLOPs an element: add, scale, casts, loss gradients. */
    ELEMENTWISE("add"),
    /** tanh-GELU forward. */
    GELU("gelu_tanh"),
    /** tanh-GELU backward. */
    GELU_BACKWARD("gelu_tanh_backward"),
    /** Row-wise softmax over short rows (256). */
    SOFTMAX("softmax_256"),
    /** Row-wise reduction over long rows (8192): sums, losses, top-k. */
    REDUCTION("row_sum_8192");

    private final String label;

    MemoryOp(String label) {
        this.label = label;
    }

    /** The {@code op} name of this kind in measurement files. */
    public String label() {
        return label;
    }

    /** The kind whose measurement-file name is {@code label}. */
    public static MemoryOp of(String label) {
        for (MemoryOp op : values()) {
            if (op.label.equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("mem op (" + label
                + ") must be one of copy, add, gelu_tanh, gelu_tanh_backward, softmax_256, row_sum_8192");
    }
}
