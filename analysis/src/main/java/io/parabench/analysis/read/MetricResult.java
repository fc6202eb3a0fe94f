package io.parabench.analysis.read;

/**
 * One JMH metric of one benchmark: the primary score or a secondary metric (an
 * {@code @AuxCounters} field, a profiler's output).
 *
 * @param name   {@code "primary"} or the secondary metric's name
 * @param score  JMH's score (for summed counters, the sum over iterations)
 * @param error  half-width of the 99.9% confidence interval, NaN when JMH gives none
 * @param ciLow  lower end of the 99.9% confidence interval
 * @param ciHigh upper end of the 99.9% confidence interval
 * @param unit   JMH's unit, e.g. {@code ops/s}, {@code ms/op}, {@code #}
 * @param raw    per-iteration values, all forks in order (JMH's {@code rawData} flattened)
 */
public record MetricResult(String name, double score, double error, double ciLow, double ciHigh, String unit,
                           double[] raw) {
    /** Name prefix of secondary metrics that are computed, not timed (see the regress package). */
    public static final String EXACT_PREFIX = "exact_";

    /** True for a computed metric that must equal its baseline exactly. */
    public boolean exact() {
        return name.startsWith(EXACT_PREFIX);
    }
}
