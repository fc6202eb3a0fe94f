package io.parabench.gpu;

/**
 * The work of one kernel as the roofline sees it.
 *
 * @param flops     floating-point operations (an FMA counts two)
 * @param precision the arithmetic the FLOPs run in
 * @param bytes     bytes read plus written
 * @param path      where those bytes travel
 */
public record KernelCost(long flops, Precision precision, long bytes, MemoryPath path) {
    public KernelCost {
        if (flops < 0) {
            throw new IllegalArgumentException("kernel flops (" + flops + ") must be >= 0");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("kernel bytes (" + bytes + ") must be >= 0");
        }
        if (precision == null || path == null) {
            throw new IllegalArgumentException("kernel precision and memory path must not be null");
        }
    }

    /** An FP32 kernel moving its bytes through HBM. */
    public static KernelCost fp32(long flops, long bytes) {
        return new KernelCost(flops, Precision.FP32, bytes, MemoryPath.HBM);
    }

    /** A communication kernel: no arithmetic, {@code bytes} over {@code path}. */
    public static KernelCost transfer(long bytes, MemoryPath path) {
        return new KernelCost(0, Precision.FP32, bytes, path);
    }
}
