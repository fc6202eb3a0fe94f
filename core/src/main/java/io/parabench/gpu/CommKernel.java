package io.parabench.gpu;

/**
 * A communication kernel that sits on SMs while it waits for its peer and moves data: NCCL's
 * point-to-point {@code SendRecv}. While it is resident its blocks hold what {@link BlockShape}
 * says on {@code blocks} SMs, and computation beside it gets what is left
 * ({@link SmSharing}). A receive posted long before its data is sent therefore takes SMs from
 * every kernel issued meanwhile, which is what a runtime that posts receives early
 * (PyTorch's pipelining runtime) pays and one that blocks on communication does not.
 *
 * <p>{@link #NCCL_SEND_RECV}: as the profiler recorded it in {@code gpu-traces/torch_zbv} (NCCL
 * 2.28.9, H200, one 32 MiB activation): 8 blocks (channels) of 640 threads × 96 registers with
 * 103,808 B of shared memory. 61,440 registers leave 4,096 on the SM: no GEMM block fits beside
 * one, so each block takes a whole SM from the GEMMs.
 *
 * @param blocks blocks the kernel launches (one per channel), each on its own SM
 * @param shape  what each block holds
 */
public record CommKernel(int blocks, BlockShape shape) {
    public static final CommKernel NCCL_SEND_RECV = new CommKernel(8, new BlockShape(640, 96, 103_808));

    public CommKernel {
        if (blocks < 1 || shape == null) {
            throw new IllegalArgumentException("comm kernel blocks (" + blocks + ") must be >= 1 with a block shape");
        }
    }
}
