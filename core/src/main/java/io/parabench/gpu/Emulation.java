package io.parabench.gpu;

/**
 * How a {@link Device} runs the work issued to it.
 *
 * @param precision   what the clock charges: GEMMs issued without an explicit precision run in it,
 *                    and memory-bound kernels and copies move {@link Precision#activationBytes()}
 *                    an element (the numerics stay FP32 whatever it is)
 * @param timingOnly  charge every kernel and copy on the virtual clock and account memory, but
 *                    compute nothing and hold no data: how a real model's size fits on a laptop
 * @param graphReplay launches issued as a replayed CUDA graph (host cost per kernel from the
 *                    calibration's graph rate) instead of eagerly
 */
public record Emulation(Precision precision, boolean timingOnly, boolean graphReplay) {
    /** FP32 charges, real numerics, eager launches: what every run did before timing-only existed. */
    public static final Emulation NUMERICS = new Emulation(Precision.FP32, false, false);

    public Emulation {
        if (precision == null) {
            throw new IllegalArgumentException("emulation precision must not be null");
        }
    }

    /** Real numerics, charged at {@code precision}. */
    public static Emulation numerics(Precision precision) {
        return new Emulation(precision, false, false);
    }

    /** Timing only, charged at {@code precision}. */
    public static Emulation timingOnly(Precision precision) {
        return new Emulation(precision, true, false);
    }
}
