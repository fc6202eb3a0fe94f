package io.parabench.analysis.metrics;

import java.util.Arrays;

/**
 * Summary of a sample as pandas' {@code describe()} gives it, which is what Holistic Trace
 * Analysis prints: count, mean, <em>sample</em> standard deviation (n − 1; NaN below two
 * values), min, the 25th/50th/75th percentiles with linear interpolation between closest ranks,
 * and max; plus the 90th and 99th percentile, the tail a launch or a queue is judged by.
 * Units are the sample's (ns for durations, operations for queue lengths).
 */
public record Distribution(long count, double mean, double std, double min, double p25, double p50, double p75,
                           double p90, double p99, double max) implements java.io.Serializable {
    static final Distribution EMPTY = new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Summary of {@code values} (not modified). */
    static Distribution of(long[] values) {
        int n = values.length;
        if (n == 0) {
            return EMPTY;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        double sum = 0;
        for (long x : v) {
            sum += x;
        }
        double mean = sum / n;
        double squares = 0;
        for (long x : v) {
            squares += (x - mean) * (x - mean);
        }
        double std = n > 1 ? Math.sqrt(squares / (n - 1)) : Double.NaN;
        return new Distribution(n, mean, std, v[0], quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75),
                quantile(v, 0.90), quantile(v, 0.99), v[n - 1]);
    }

    /** numpy's default ("linear") quantile of sorted values. */
    static double quantile(long[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
