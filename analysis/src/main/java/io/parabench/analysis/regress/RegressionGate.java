package io.parabench.analysis.regress;

import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.MetricResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a benchmark run with a baseline, metric by metric, and decides what fails. The gate
 * fails closed: whatever it cannot check is a failure, never a pass.
 *
 * <p>What fails, one verdict (one line) each:
 * <ul>
 *   <li>an empty run ({@link Verdict.Status#EMPTY}) and a run measured with another profile than
 *       its baseline ({@link Verdict.Status#PROFILE_MISMATCH}: a gate run's one short iteration
 *       says nothing about a quick baseline's timings, and baselines live per profile);</li>
 *   <li>a benchmark (method + {@code @Param} values) or a metric of the baseline that the run
 *       lacks ({@link Verdict.Status#MISSING}): a renamed metric, changed parameters or an
 *       excluded benchmark must not pass silently. Metrics of JMH profilers ({@code -prof gc})
 *       are compared when both runs have them but are never required;</li>
 *   <li>a NaN or infinite score or exact value, in the run or in the baseline
 *       ({@link Verdict.Status#NOT_FINITE}): NaN equals NaN only by accident;</li>
 *   <li><b>exact</b> metrics ({@code exact_…} secondary metrics: virtual makespan, bubble rate,
 *       EPLB balancedness — computed, not timed) whose iterations disagree
 *       ({@link Verdict.Status#NONDETERMINISTIC}) or that differ from the baseline for the worse,
 *       or at all when the name gives no direction ({@link Verdict.Status#REGRESSED}).</li>
 * </ul>
 * A benchmark or metric new in the run is {@link Verdict.Status#NEW}: reported and passing, so a
 * benchmark added since the baseline was accepted does not break the build; accepting the run
 * records it.
 *
 * <p><b>Timed</b> metrics (scores and rate counters) never fail: wall-clock time on shared
 * machines is too noisy to stop a build. Their direction comes from the unit
 * ({@link Direction#ofUnit}). A change counts only when the score moved by more than the
 * threshold (default {@value #DEFAULT_THRESHOLD}, per benchmark in
 * {@code data/baselines/thresholds.properties}) <em>and</em> the 99.9% confidence intervals of
 * the two runs do not overlap ({@link Verdict.Status#SLOWER} warns, {@link Verdict.Status#IMPROVED}
 * is noted). Otherwise, when either interval is wider than the threshold the run is too short
 * to judge ({@link Verdict.Status#UNRESOLVED}), and only when both are narrower is it
 * {@link Verdict.Status#SAME}.
 *
 * <p>Stateless apart from the thresholds; thread-safe.
 */
public final class RegressionGate {
    /** Relative change below which a timed metric is never flagged. */
    public static final double DEFAULT_THRESHOLD = 0.10;

    private final Thresholds thresholds;

    public RegressionGate(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * Compares every metric of {@code current} with {@code baseline}: verdicts on the whole run
     * first, then in baseline order, then what is new in the run.
     */
    public List<Verdict> compare(BenchmarkRun baseline, BenchmarkRun current) {
        List<Verdict> verdicts = new ArrayList<>(runChecks(current));
        if (!baseline.profile().equals(current.profile())) {
            verdicts.add(runVerdict(Verdict.Status.PROFILE_MISMATCH, "profile mismatch: this run is '"
                    + current.profile() + "', the baseline '" + baseline.profile() + "' (compare runs of one profile:"
                    + " data/baselines/" + current.profile() + ".json)"));
        }
        Map<String, BenchmarkResult> now = index(current);
        Map<String, BenchmarkResult> before = index(baseline);
        for (BenchmarkResult base : baseline.results()) {
            BenchmarkResult cur = now.get(base.key());
            if (cur == null) {
                verdicts.add(new Verdict(base.key(), "", false, Double.NaN, Double.NaN, "", Verdict.Status.MISSING,
                        base.key() + ": in the baseline, not in this run (removed, renamed, or its @Param values changed)"));
                continue;
            }
            for (MetricResult baseMetric : metrics(base)) {
                MetricResult curMetric = metric(cur, baseMetric.name());
                if (curMetric == null) {
                    if (!fromProfiler(baseMetric)) {
                        verdicts.add(new Verdict(base.key(), baseMetric.name(), baseMetric.exact(), value(baseMetric),
                                Double.NaN, baseMetric.unit(), Verdict.Status.MISSING,
                                base.key() + " " + baseMetric.name() + ": in the baseline, not in this run"));
                    }
                } else if (!finite(curMetric)) {
                    verdicts.add(notFinite(base.key(), curMetric, "this run"));
                } else if (!finite(baseMetric)) {
                    verdicts.add(notFinite(base.key(), baseMetric, "the baseline"));
                } else if (baseMetric.exact()) {
                    verdicts.add(exact(base.key(), baseMetric, curMetric));
                } else {
                    verdicts.add(timed(base.key(), baseMetric, curMetric, thresholds.threshold(base.key())));
                }
            }
        }
        for (BenchmarkResult cur : current.results()) {
            BenchmarkResult base = before.get(cur.key());
            for (MetricResult m : metrics(cur)) {
                if (base == null || metric(base, m.name()) == null) {
                    verdicts.add(newMetric(cur.key(), m));
                }
            }
        }
        return verdicts;
    }

    /**
     * Checks a run on its own, for when there is no baseline (yet): it must not be empty, its
     * values must be finite and its exact metrics must agree across iterations.
     */
    public List<Verdict> selfCheck(BenchmarkRun current) {
        List<Verdict> verdicts = new ArrayList<>(runChecks(current));
        for (BenchmarkResult cur : current.results()) {
            for (MetricResult m : metrics(cur)) {
                Verdict v = newMetric(cur.key(), m);
                if (v.status().fails()) {
                    verdicts.add(v);
                }
            }
        }
        return verdicts;
    }

    /** True when any verdict fails the gate. */
    public static boolean fails(List<Verdict> verdicts) {
        return verdicts.stream().anyMatch(v -> v.status().fails());
    }

    private static List<Verdict> runChecks(BenchmarkRun current) {
        return current.results().isEmpty()
                ? List.of(runVerdict(Verdict.Status.EMPTY, "the run has no benchmark results"))
                : List.of();
    }

    private static Verdict runVerdict(Verdict.Status status, String message) {
        return new Verdict(Verdict.RUN, "", false, Double.NaN, Double.NaN, "", status, message);
    }

    private static Verdict newMetric(String key, MetricResult m) {
        if (!finite(m)) {
            return notFinite(key, m, "this run");
        }
        if (m.exact() && !deterministic(m)) {
            return nondeterministic(key, m, Double.NaN);
        }
        return new Verdict(key, m.name(), m.exact(), Double.NaN, value(m), m.unit(), Verdict.Status.NEW,
                key + " " + m.name() + ": new, " + format(value(m)) + " " + m.unit());
    }

    private static Verdict exact(String key, MetricResult base, MetricResult cur) {
        double b = value(base);
        double c = value(cur);
        if (!deterministic(cur)) {
            return nondeterministic(key, cur, b);
        }
        if (Double.compare(b, c) == 0) {
            return new Verdict(key, cur.name(), true, b, c, cur.unit(), Verdict.Status.SAME,
                    key + " " + cur.name() + ": " + format(c) + " as in the baseline");
        }
        Direction direction = Direction.ofExactName(cur.name());
        if (direction.better(c, b)) {
            return new Verdict(key, cur.name(), true, b, c, cur.unit(), Verdict.Status.IMPROVED,
                    key + " " + cur.name() + " improved: baseline " + format(b) + ", current " + format(c)
                            + " (record it with -Dparabench.accept)");
        }
        String why = direction == Direction.UNKNOWN ? "changed" : "regressed";
        return new Verdict(key, cur.name(), true, b, c, cur.unit(), Verdict.Status.REGRESSED,
                key + " " + cur.name() + " " + why + ": baseline " + format(b) + ", current " + format(c)
                        + " (computed metric: any change is a behaviour change)");
    }

    private static Verdict nondeterministic(String key, MetricResult cur, double baseline) {
        return new Verdict(key, cur.name(), true, baseline, value(cur), cur.unit(), Verdict.Status.NONDETERMINISTIC,
                key + " " + cur.name() + " is not deterministic: iterations gave " + Arrays.toString(cur.raw()));
    }

    private static Verdict notFinite(String key, MetricResult m, String where) {
        double bad = Double.NaN;
        for (double v : m.exact() ? m.raw() : new double[]{m.score()}) {
            if (!Double.isFinite(v)) {
                bad = v;
                break;
            }
        }
        return new Verdict(key, m.name(), m.exact(), Double.NaN, Double.NaN, m.unit(), Verdict.Status.NOT_FINITE,
                key + " " + m.name() + ": not a finite number in " + where + " (" + bad + ")");
    }

    private static Verdict timed(String key, MetricResult base, MetricResult cur, double threshold) {
        Direction direction = fromProfiler(cur) ? Direction.UNKNOWN : Direction.ofUnit(cur.unit());
        double b = base.score();
        double c = cur.score();
        double change = b == 0 ? 0 : (c - b) / Math.abs(b);
        boolean beyondThreshold = Math.abs(change) > threshold;
        boolean disjoint = cur.ciHigh() < base.ciLow() || cur.ciLow() > base.ciHigh();
        double widest = Math.max(relativeHalfWidth(base), relativeHalfWidth(cur));
        String values = "baseline " + format(b) + " ± " + format(base.error()) + ", current " + format(c) + " ± "
                + format(cur.error()) + " " + cur.unit() + String.format(Locale.ROOT, " (%+.1f%%)", 100 * change);
        Verdict.Status status;
        String label;
        if (direction == Direction.UNKNOWN) {
            status = Verdict.Status.UNRESOLVED;
            label = " has no known better direction, not judged: ";
        } else if (beyondThreshold && disjoint) {
            status = direction.better(c, b) ? Verdict.Status.IMPROVED : Verdict.Status.SLOWER;
            label = status == Verdict.Status.IMPROVED ? " faster: " : " slower: ";
        } else if (!(widest <= threshold)) {
            status = Verdict.Status.UNRESOLVED;
            label = Double.isNaN(widest)
                    ? " too short to judge (no confidence interval: one iteration): "
                    : String.format(Locale.ROOT, " too short to judge (±%.0f%% interval, wider than the %.0f%% threshold): ",
                    100 * widest, 100 * threshold);
        } else {
            status = Verdict.Status.SAME;
            label = " unchanged within " + Math.round(threshold * 100) + "%: ";
        }
        return new Verdict(key, cur.name(), false, b, c, cur.unit(), status, key + " " + cur.name() + label + values);
    }

    /** Half the confidence interval relative to the score; NaN when JMH gave none. */
    private static double relativeHalfWidth(MetricResult m) {
        return m.score() == 0 ? Double.NaN : m.error() / Math.abs(m.score());
    }

    private static boolean finite(MetricResult m) {
        if (m.exact()) {
            for (double v : m.raw()) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return m.raw().length > 0 || Double.isFinite(m.score());
        }
        return Double.isFinite(m.score());
    }

    /**
     * JMH profilers ({@code -prof gc}: {@code gc.alloc.rate}, {@code gc.count}…; older JMH
     * versions prefix them with {@code ·}) add secondary metrics whose names are not Java
     * identifiers, unlike {@code @AuxCounters} fields; they depend on how the run was invoked,
     * not on the code, so they are never required and have no direction.
     */
    static boolean fromProfiler(MetricResult m) {
        String name = m.name();
        if (name.equals("primary") || name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return !name.equals("primary");
        }
        return !name.chars().allMatch(Character::isJavaIdentifierPart);
    }

    private static boolean deterministic(MetricResult m) {
        double[] raw = m.raw();
        for (double v : raw) {
            if (Double.compare(v, raw[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** An exact metric's value: its per-iteration value (JMH sums counters over iterations). */
    public static double value(MetricResult m) {
        return m.exact() && m.raw().length > 0 ? m.raw()[0] : m.score();
    }

    private static Map<String, BenchmarkResult> index(BenchmarkRun run) {
        Map<String, BenchmarkResult> map = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            map.put(r.key(), r);
        }
        return map;
    }

    private static List<MetricResult> metrics(BenchmarkResult r) {
        List<MetricResult> all = new ArrayList<>();
        all.add(r.primary());
        all.addAll(r.secondary().values());
        return all;
    }

    private static MetricResult metric(BenchmarkResult r, String name) {
        return name.equals("primary") ? r.primary() : r.secondary().get(name);
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7 ? String.format(Locale.ROOT, "%.6g", v) : Double.toString(v);
    }
}
