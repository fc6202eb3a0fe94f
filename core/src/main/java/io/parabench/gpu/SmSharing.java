package io.parabench.gpu;

/**
 * What a resident {@link CommKernel} costs a computation kernel issued beside it, by wave
 * quantisation: a kernel of {@code grid} blocks runs in waves of as many blocks as the SMs hold
 * at once, and its time is its number of waves. With the comm kernel's SMs holding fewer (for a
 * GEMM none) of its blocks, a kernel whose last wave was nearly full needs one wave more.
 *
 * <p>Measured in {@code gpu-traces/torch_zbv} (H200, GEMMs beside an 8-block NCCL SendRecv, clean
 * vs overlapped, from the profiler's grid and block resources): a 512-block GEMM at 2 blocks
 * per SM (1.94 waves on 132 SMs) needs 3 waves on 124 and ran 1.47× as long; 1024-block GEMMs at
 * 1 block per SM (7.76 waves → 9) ran 1.125×, 1.13× and 1.125×; 256 blocks at 1 per SM
 * (1.94 → 3) 1.50×. The rule gives 1.5, 1.125 and 1.5.
 *
 * <p>Stateless; the model is classic waves (every wave costs a full one), the SM count is the
 * device's and the blocks per SM {@link SmLimits#residentBlocks} of the kernel's shape.
 */
public final class SmSharing {
    private final SmLimits limits;
    private final int sms;
    private final CommKernel comm;

    /**
     * @param limits what one SM holds
     * @param sms    SMs of the device
     * @param comm   the comm kernel that may sit beside computation
     */
    public SmSharing(SmLimits limits, int sms, CommKernel comm) {
        if (limits == null || comm == null || sms < 1 || comm.blocks() >= sms) {
            throw new IllegalArgumentException("SM sharing needs limits, a comm kernel and more SMs (" + sms
                    + ") than comm blocks (" + (comm == null ? 0 : comm.blocks()) + ")");
        }
        this.limits = limits;
        this.sms = sms;
        this.comm = comm;
    }

    /** H200/H100/H800 (132 SMs) beside NCCL's SendRecv. */
    public static SmSharing hopper(int sms) {
        return new SmSharing(SmLimits.HOPPER, sms, CommKernel.NCCL_SEND_RECV);
    }

    /** SMs the comm kernel takes from a kernel of {@code shape}: its blocks' SMs when none of the kernel's blocks fit beside one. */
    public int heldSms(BlockShape shape) {
        int alone = limits.residentBlocks(shape);
        int beside = limits.residentBlocksBeside(shape, comm.shape());
        return alone == 0 ? 0 : (int) Math.ceil(comm.blocks() * (double) (alone - beside) / alone);
    }

    /** Waves of a kernel of {@code grid} blocks of {@code shape} on all SMs (0 for an empty grid). */
    public int waves(long grid, BlockShape shape) {
        return waves(grid, (long) limits.residentBlocks(shape) * sms);
    }

    /**
     * How many times as long a kernel of {@code grid} blocks of {@code shape} runs with the comm
     * kernel resident: waves on the SMs left (and what fits beside the comm blocks) ÷ waves alone;
     * 1 for a kernel whose blocks do not fit on an SM at all (unknown resources).
     */
    public double slowdown(long grid, BlockShape shape) {
        int alone = limits.residentBlocks(shape);
        if (grid <= 0 || alone == 0) {
            return 1;
        }
        int beside = limits.residentBlocksBeside(shape, comm.shape());
        long capacity = (long) alone * (sms - comm.blocks()) + (long) beside * comm.blocks();
        return (double) waves(grid, capacity) / waves(grid, (long) alone * sms);
    }

    private static int waves(long grid, long capacity) {
        return grid <= 0 ? 0 : (int) ((grid + capacity - 1) / capacity);
    }

    public int sms() {
        return sms;
    }

    public CommKernel comm() {
        return comm;
    }
}
