package io.parabench.gpu;

/**
 * The work of one kernel as the clocks see it: the roofline reads FLOPs, precision, bytes and
 * path; the {@link CalibratedClock} also reads the GEMM shape (tile and wave quantisation) or the
 * memory-bound kind and element count.
 *
 * @param flops     floating-point operations (an FMA counts two)
 * @param precision the arithmetic the FLOPs run in
 * @param bytes     bytes read plus written
 * @param path      where those bytes travel
 * @param op        for a memory-bound kernel on HBM, its kind (ignored for GEMMs and transfers)
 * @param elements  elements a memory-bound kernel touches (0: unknown, the bytes alone count)
 * @param gemm      the shape when the kernel is a GEMM, else null
 */
public record KernelCost(long flops, Precision precision, long bytes, MemoryPath path, MemoryOp op, long elements,
                         GemmShape gemm) {
    public KernelCost {
        if (flops < 0) {
            throw new IllegalArgumentException("kernel flops (" + flops + ") must be >= 0");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("kernel bytes (" + bytes + ") must be >= 0");
        }
        if (elements < 0) {
            throw new IllegalArgumentException("kernel elements (" + elements + ") must be >= 0");
        }
        if (precision == null || path == null || op == null) {
            throw new IllegalArgumentException("kernel precision, memory path and op must not be null");
        }
    }

    /** A kernel known only by its FLOPs and bytes: elementwise if it stays in HBM. */
    public KernelCost(long flops, Precision precision, long bytes, MemoryPath path) {
        this(flops, precision, bytes, path, MemoryOp.ELEMENTWISE, 0, null);
    }

    /** An FP32 kernel moving its bytes through HBM. */
    public static KernelCost fp32(long flops, long bytes) {
        return new KernelCost(flops, Precision.FP32, bytes, MemoryPath.HBM);
    }

    /** A memory-bound kernel of kind {@code op} over {@code elements}, FLOPs on CUDA cores. */
    public static KernelCost memory(MemoryOp op, long elements, long flops, long bytes) {
        return new KernelCost(flops, Precision.FP32, bytes, MemoryPath.HBM, op, elements, null);
    }

    /** A GEMM of {@code shape} in {@code precision} moving {@code bytes} through HBM. */
    public static KernelCost gemm(GemmShape shape, Precision precision, long bytes) {
        return new KernelCost(shape.flops(), precision, bytes, MemoryPath.HBM, MemoryOp.ELEMENTWISE, 0, shape);
    }

    /** A communication kernel: no arithmetic, {@code bytes} over {@code path}. */
    public static KernelCost transfer(long bytes, MemoryPath path) {
        return new KernelCost(0, Precision.FP32, bytes, path);
    }
}
