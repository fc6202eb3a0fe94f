package io.parabench.gpu;

import java.util.Arrays;

/**
 * A GPU's clock over time, as the factor by which its kernels take longer than at the clock its
 * peers ran at: 1 is that clock, 1.18 a clock lowered by power or thermal capping, 2 a hardware
 * slowdown that halves the clock. Piecewise constant: factor {@code factor[i]} from time
 * {@code from[i]} until the next change, 1 before the first.
 *
 * <p>Why a replay needs it: GPU 0 of {@code gpu-traces/torch_zbv} ran its GEMMs 1.0, 1.2 or
 * 2.0 times as long, kernel by kernel, between 120 and 200 ms, then 1.18 times as long for the
 * rest of the step, with nothing beside them, while its GELU and add kernels (bound by memory,
 * not the SM clock) kept their speed and the other three GPUs ran at 1.00 throughout. Work done
 * under such a clock ends where {@link #end} says. Which clock a different run will get cannot be
 * read from a trace, so predictions use the peers' clock and only the replay of the recorded
 * step takes the recorded one.
 *
 * <p>Immutable.
 */
public final class DeviceClock {
    /** The peers' clock throughout. */
    public static final DeviceClock NOMINAL = new DeviceClock(new double[0], new double[0]);

    private final double[] from;
    private final double[] factor;

    private DeviceClock(double[] from, double[] factor) {
        this.from = from;
        this.factor = factor;
    }

    /**
     * @param from   change times, strictly increasing
     * @param factor the factor from each change on, each finite and > 0
     * @throws IllegalArgumentException for arrays of different lengths, times out of order or a
     *                                  factor that is not finite and positive
     */
    public static DeviceClock of(double[] from, double[] factor) {
        if (from.length != factor.length) {
            throw new IllegalArgumentException("device clock: " + from.length + " change times but " + factor.length
                    + " factors; give one factor per change");
        }
        for (int i = 0; i < from.length; i++) {
            if (!Double.isFinite(from[i]) || (i > 0 && !(from[i] > from[i - 1]))) {
                throw new IllegalArgumentException("device clock change time " + from[i] + " (index " + i
                        + ") must be finite and later than the one before");
            }
            if (!(factor[i] > 0) || Double.isInfinite(factor[i])) {
                throw new IllegalArgumentException("device clock factor " + factor[i] + " (index " + i
                        + ") must be a finite number > 0");
            }
        }
        return new DeviceClock(from.clone(), factor.clone());
    }

    /** The factor in force at time {@code t}. */
    public double factor(double t) {
        int i = segment(t);
        return i < 0 ? 1 : factor[i];
    }

    /** The first change after {@code t}, or +∞. */
    public double nextChange(double t) {
        int i = segment(t) + 1;
        return i < from.length ? from[i] : Double.POSITIVE_INFINITY;
    }

    /** When {@code work} (time at the peers' clock) started at {@code start} is done. */
    public double end(double start, double work) {
        double t = start;
        double left = work;
        while (left > 0) {
            double f = factor(t);
            double next = nextChange(t);
            double done = t + left * f;
            if (done <= next) {
                return done;
            }
            left -= (next - t) / f;
            t = next;
        }
        return t;
    }

    /** The time-weighted mean factor over [a, b) (1 for an empty interval). */
    public double meanFactor(double a, double b) {
        if (!(b > a)) {
            return 1;
        }
        double sum = 0;
        double t = a;
        while (t < b) {
            double next = Math.min(b, nextChange(t));
            sum += (next - t) * factor(t);
            t = next;
        }
        return sum / (b - a);
    }

    /** Index of the segment holding {@code t}, or -1 before the first change. */
    private int segment(double t) {
        int i = Arrays.binarySearch(from, t);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public String toString() {
        return "DeviceClock[" + from.length + " changes, mean factor " + (from.length == 0 ? 1
                : meanFactor(from[0], from[from.length - 1])) + "]";
    }
}
