package io.parabench.gpu;

/**
 * What one SM offers the blocks resident on it at once (CUDA's occupancy rules): a register
 * file, shared memory, thread slots and block slots. A block is placed whole or not at all, so
 * the blocks of a kernel that fit on an SM are the fewest its resources allow.
 *
 * <p>{@link #HOPPER}: compute capability 9.0 (H100, H200, H800 share the SM): 64 Ki registers,
 * 228 KiB shared memory, 2048 threads and 32 blocks per SM (the {@code deviceProperties} of
 * {@code gpu-traces/}: {@code regsPerMultiprocessor} 65536, {@code sharedMemPerMultiprocessor}
 * 233472, {@code maxThreadsPerMultiprocessor} 2048).
 *
 * @param registers         32-bit registers per SM
 * @param sharedMemoryBytes shared memory per SM
 * @param threads           resident threads per SM
 * @param blocks            resident blocks per SM
 */
public record SmLimits(int registers, int sharedMemoryBytes, int threads, int blocks) {
    public static final SmLimits HOPPER = new SmLimits(65_536, 233_472, 2_048, 32);

    public SmLimits {
        if (registers < 1 || sharedMemoryBytes < 0 || threads < 1 || blocks < 1) {
            throw new IllegalArgumentException("SM limits (" + registers + " registers, " + sharedMemoryBytes
                    + " B shared memory, " + threads + " threads, " + blocks + " blocks) must be positive");
        }
    }

    /** Blocks of {@code shape} that fit on an empty SM at once (0 if one does not fit). */
    public int residentBlocks(BlockShape shape) {
        return residentBlocksBeside(shape, null);
    }

    /**
     * Blocks of {@code shape} that fit on an SM that already holds one block of {@code resident}
     * (null: an empty SM): what a kernel can still place on an SM a communication kernel sits on.
     */
    public int residentBlocksBeside(BlockShape shape, BlockShape resident) {
        long regs = registers - (resident == null ? 0 : resident.registers());
        long smem = sharedMemoryBytes - (resident == null ? 0 : resident.sharedMemoryBytes());
        long thr = threads - (resident == null ? 0 : resident.threads());
        long slots = blocks - (resident == null ? 0 : 1);
        if (regs < 0 || smem < 0 || thr < 0) {
            return 0;
        }
        long fit = Math.min(slots, thr / shape.threads());
        if (shape.registers() > 0) {
            fit = Math.min(fit, regs / shape.registers());
        }
        if (shape.sharedMemoryBytes() > 0) {
            fit = Math.min(fit, smem / shape.sharedMemoryBytes());
        }
        return (int) Math.max(0, fit);
    }
}
