package io.parabench.pipeline;

/**
 * One computation kernel of a pipeline op, as the simulator needs it when communication kernels
 * sit on SMs beside computation ({@link OpKernels}).
 *
 * @param share     its part of the op's duration alone, in [0, 1]
 * @param slowdown  how many times as long it runs while a comm kernel holds SMs (>= 1; wave
 *                  quantisation, {@link io.parabench.gpu.SmSharing})
 * @param lastWave  the part of its duration after which its last wave is placed, in [0, 1): a
 *                  comm kernel that becomes ready while it runs gets SMs only then (the block
 *                  scheduler places the running kernel's remaining blocks first)
 */
public record KernelPhase(double share, double slowdown, double lastWave) {
    /** An op with no kernel information: one phase, never slowed. */
    public static final KernelPhase WHOLE_OP = new KernelPhase(1, 1, 0);

    public KernelPhase {
        if (!(share >= 0 && share <= 1) || !(slowdown >= 1) || Double.isInfinite(slowdown)
                || !(lastWave >= 0 && lastWave < 1)) {
            throw new IllegalArgumentException("kernel phase (share " + share + ", slowdown " + slowdown
                    + ", last wave " + lastWave + ") must have share in [0,1], slowdown >= 1 and last wave in [0,1)");
        }
    }
}
