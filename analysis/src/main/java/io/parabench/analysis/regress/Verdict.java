package io.parabench.analysis.regress;

/**
 * The comparison of one metric of one benchmark against the baseline.
 *
 * @param benchmark the result key (method and parameters); {@link #RUN} for verdicts on the whole run
 * @param metric    {@code primary} or the secondary metric's name; empty for a whole benchmark or run
 * @param exact     a computed metric that must equal the baseline, rather than a timed one
 * @param baseline  the baseline value (NaN when new)
 * @param current   the current value (NaN when missing)
 * @param unit      the metric's unit
 * @param status    the outcome
 * @param message   one line for people, naming benchmark, metric, baseline and current values
 */
public record Verdict(String benchmark, String metric, boolean exact, double baseline, double current, String unit,
                      Status status, String message) {
    /** The {@link #benchmark()} of verdicts about the whole run (empty run, profile mismatch). */
    public static final String RUN = "(run)";

    /** Outcomes, from the gate's point of view. The gate fails closed: anything it cannot check fails. */
    public enum Status {
        /** Equal (exact), or within the threshold with intervals narrow enough to tell (timed). */
        SAME(false),
        /** Better; for a timed metric, beyond the threshold with disjoint confidence intervals. */
        IMPROVED(false),
        /** Timed metric worse beyond the threshold with disjoint confidence intervals: warns. */
        SLOWER(false),
        /**
         * Timed metric whose confidence interval is wider than the threshold (a short run, a noisy
         * machine): the run is too short to judge, which is not the same as "unchanged".
         */
        UNRESOLVED(false),
        /** In this run, not in the baseline (a benchmark added since): reported, passes. */
        NEW(false),
        /** Exact metric worse than the baseline, or changed with no known direction: fails. */
        REGRESSED(true),
        /** Exact metric whose iterations disagree: the computation is not deterministic: fails. */
        NONDETERMINISTIC(true),
        /** A benchmark or metric of the baseline that this run lacks (removed, renamed, re-parameterised): fails. */
        MISSING(true),
        /** A NaN or infinite value where a number belongs: fails. */
        NOT_FINITE(true),
        /** The run has no results at all: fails. */
        EMPTY(true),
        /** Run and baseline were measured with different profiles: fails. */
        PROFILE_MISMATCH(true);

        private final boolean fails;

        Status(boolean fails) {
            this.fails = fails;
        }

        /** True when this outcome fails the gate. */
        public boolean fails() {
            return fails;
        }

        /** Order for people: failures first, then slower, improved, new; unchanged last. */
        public int reportOrder() {
            if (fails) {
                return ordinal();
            }
            return switch (this) {
                case SLOWER -> 100;
                case IMPROVED -> 101;
                case NEW -> 102;
                default -> 103;
            };
        }

        /** True for outcomes that say the run changed: worth a line in a summary. */
        public boolean changed() {
            return this != SAME && this != UNRESOLVED;
        }
    }

    /**
     * The line a command prints on stderr for this verdict: {@code FAIL …} for failures,
     * {@code WARN …} for slower timed metrics, {@code NOTE …} for improvements and new
     * benchmarks; empty for unchanged and unresolved metrics (the report lists those).
     */
    public java.util.Optional<String> logLine() {
        if (status.fails()) {
            return java.util.Optional.of("FAIL " + message);
        }
        return switch (status) {
            case SLOWER -> java.util.Optional.of("WARN " + message);
            case IMPROVED -> java.util.Optional.of("NOTE " + message);
            case NEW -> metric.isEmpty() || metric.equals("primary") ? java.util.Optional.of("NOTE " + message)
                    : java.util.Optional.empty();
            default -> java.util.Optional.empty();
        };
    }

    /** Relative change (current − baseline) ÷ |baseline|, NaN when undefined. */
    public double change() {
        return baseline == 0 || Double.isNaN(baseline) || Double.isNaN(current)
                ? Double.NaN : (current - baseline) / Math.abs(baseline);
    }
}
