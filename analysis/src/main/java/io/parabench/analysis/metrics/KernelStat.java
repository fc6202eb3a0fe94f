package io.parabench.analysis.metrics;

import java.math.BigInteger;

/**
 * One row of the kernel breakdown: all launches of one kernel name on one device, kept as
 * exact, mergeable sums — count, sum, sum of squares (128-bit, as a {@link BigInteger}), min and
 * max of the durations in nanoseconds — so the rows of several ranks or of a map/reduce split
 * {@link #merge} to exactly what one pass over all events gives, in any order.
 *
 * <p>{@link #stdNs()} is the <em>sample</em> standard deviation (divisor n − 1, 0 for a single
 * launch), as Holistic Trace Analysis reports it (pandas' {@code std}).
 *
 * @param name         full kernel name as the trace has it
 * @param kind         its class (communication when any launch of the name is)
 * @param count        launches
 * @param totalNs      summed duration (not a union: concurrent launches each count)
 * @param minNs        shortest launch
 * @param maxNs        longest launch
 * @param sumSquaresNs2 sum of squared durations, ns²
 */
public record KernelStat(String name, KernelClass kind, long count, long totalNs, long minNs, long maxNs,
                         BigInteger sumSquaresNs2) implements java.io.Serializable {
    public KernelStat {
        if (count < 1 || minNs > maxNs) {
            throw new IllegalArgumentException("kernel " + name + ": count (" + count + ") must be >= 1 and min ("
                    + minNs + ") <= max (" + maxNs + ")");
        }
    }

    /** A row of one launch. */
    public static KernelStat of(String name, KernelClass kind, long durationNs) {
        return new KernelStat(name, kind, 1, durationNs, durationNs, durationNs,
                BigInteger.valueOf(durationNs).multiply(BigInteger.valueOf(durationNs)));
    }

    /** The row of both sets of launches of the same name. */
    public KernelStat merge(KernelStat other) {
        if (!name.equals(other.name)) {
            throw new IllegalArgumentException("kernel rows of different names (" + name + ", " + other.name
                    + ") cannot be merged");
        }
        return new KernelStat(name, kind == KernelClass.COMMUNICATION ? kind : other.kind, count + other.count,
                totalNs + other.totalNs, Math.min(minNs, other.minNs), Math.max(maxNs, other.maxNs),
                sumSquaresNs2.add(other.sumSquaresNs2));
    }

    public double totalUs() {
        return totalNs / 1000.0;
    }

    public double meanNs() {
        return (double) totalNs / count;
    }

    /** Sample standard deviation (n − 1), 0 for one launch; computed from the exact sums. */
    public double stdNs() {
        if (count < 2) {
            return 0;
        }
        // n·Σx² − (Σx)² is exact in BigInteger; only the final division and root round
        BigInteger n = BigInteger.valueOf(count);
        BigInteger sum = BigInteger.valueOf(totalNs);
        double numerator = n.multiply(sumSquaresNs2).subtract(sum.multiply(sum)).doubleValue();
        return Math.sqrt(Math.max(0, numerator / ((double) count * (count - 1))));
    }
}
