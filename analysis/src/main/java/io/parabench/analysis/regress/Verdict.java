package io.parabench.analysis.regress;

/**
 * The comparison of one metric of one benchmark against the baseline.
 *
 * @param benchmark the result key (method and parameters)
 * @param metric    {@code primary} or the secondary metric's name
 * @param exact     a computed metric that must equal the baseline, rather than a timed one
 * @param baseline  the baseline value (NaN when new)
 * @param current   the current value (NaN when missing)
 * @param unit      the metric's unit
 * @param status    the outcome
 * @param message   one line for people, naming benchmark, metric, baseline and current values
 */
public record Verdict(String benchmark, String metric, boolean exact, double baseline, double current, String unit,
                      Status status, String message) {

    /** Outcomes, from the gate's point of view. */
    public enum Status {
        /** Equal (exact) or within threshold or confidence intervals (timed). */
        SAME(false),
        /** Better; for a timed metric, beyond the threshold with disjoint confidence intervals. */
        IMPROVED(false),
        /** Timed metric worse beyond the threshold with disjoint confidence intervals: warns. */
        SLOWER(false),
        /** Exact metric worse than the baseline, or changed with no known direction: fails. */
        REGRESSED(true),
        /** Exact metric whose iterations disagree: the computation is not deterministic: fails. */
        NONDETERMINISTIC(true),
        /** In the current run, not the baseline. */
        NEW(false),
        /** In the baseline, not the current run (excluded or removed). */
        MISSING(false);

        private final boolean fails;

        Status(boolean fails) {
            this.fails = fails;
        }

        /** True when this outcome fails the gate. */
        public boolean fails() {
            return fails;
        }
    }

    /** Relative change (current − baseline) ÷ |baseline|, NaN when undefined. */
    public double change() {
        return baseline == 0 || Double.isNaN(baseline) || Double.isNaN(current)
                ? Double.NaN : (current - baseline) / Math.abs(baseline);
    }
}
