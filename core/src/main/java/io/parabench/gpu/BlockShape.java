package io.parabench.gpu;

/**
 * What one thread block (CTA) of a kernel holds on the SM it runs on while it is resident: its
 * threads, their registers and its shared memory. The profiler writes these for every kernel
 * ({@code block}, {@code registers per thread}, {@code shared memory}), so a real trace says how
 * many blocks of each kernel fit on an SM at once ({@link SmLimits#residentBlocks}).
 *
 * @param threads            threads per block, >= 1
 * @param registersPerThread registers each thread holds, >= 0
 * @param sharedMemoryBytes  shared memory per block (static and dynamic), >= 0
 */
public record BlockShape(int threads, int registersPerThread, int sharedMemoryBytes) {
    public BlockShape {
        if (threads < 1 || registersPerThread < 0 || sharedMemoryBytes < 0) {
            throw new IllegalArgumentException("block shape (" + threads + " threads, " + registersPerThread
                    + " registers per thread, " + sharedMemoryBytes + " B shared memory) must have >= 1 thread"
                    + " and no negative resource");
        }
    }

    /** Registers the whole block holds. */
    long registers() {
        return (long) threads * registersPerThread;
    }
}
