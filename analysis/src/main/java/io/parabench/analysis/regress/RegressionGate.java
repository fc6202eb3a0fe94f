package io.parabench.analysis.regress;

import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.MetricResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a benchmark run with a baseline, metric by metric, and decides what fails.
 *
 * <p>Two kinds of metric, two rules:
 * <ul>
 *   <li><b>Exact</b> metrics ({@code exact_…} secondary metrics: virtual makespan, bubble rate,
 *       EPLB balancedness — computed, not timed) must be deterministic (every iteration gives
 *       the same value) and equal the baseline. A value worse than the baseline, or changed
 *       when the metric has no known direction, is {@link Verdict.Status#REGRESSED} and fails;
 *       a better one is {@link Verdict.Status#IMPROVED}, passes, and is reported so that the
 *       baseline can be accepted.</li>
 *   <li><b>Timed</b> metrics (scores and rate counters) get their direction from the unit
 *       ({@link Direction#ofUnit}). A change counts only when the score moved by more than the
 *       threshold (default {@value #DEFAULT_THRESHOLD}, overridable per benchmark) <em>and</em>
 *       the 99.9% confidence intervals of the two runs do not overlap; a worse one is
 *       {@link Verdict.Status#SLOWER}, which warns but does not fail: wall-clock time on shared
 *       machines is too noisy to stop a build. Timed metrics are compared only between runs of
 *       the same profile.</li>
 * </ul>
 */
public final class RegressionGate {
    /** Relative change below which a timed metric is never flagged. */
    public static final double DEFAULT_THRESHOLD = 0.10;

    private final Thresholds thresholds;

    public RegressionGate(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** Compares every metric of {@code current} with {@code baseline}; baseline order first, then new ones. */
    public List<Verdict> compare(BenchmarkRun baseline, BenchmarkRun current) {
        boolean sameProfile = baseline.profile().equals(current.profile());
        Map<String, BenchmarkResult> now = index(current);
        Map<String, BenchmarkResult> before = index(baseline);
        List<Verdict> verdicts = new ArrayList<>();
        for (BenchmarkResult base : baseline.results()) {
            BenchmarkResult cur = now.get(base.key());
            for (MetricResult baseMetric : metrics(base)) {
                MetricResult curMetric = cur == null ? null : metric(cur, baseMetric.name());
                if (!baseMetric.exact() && !sameProfile) {
                    continue;
                }
                if (curMetric == null) {
                    verdicts.add(new Verdict(base.key(), baseMetric.name(), baseMetric.exact(), value(baseMetric),
                            Double.NaN, baseMetric.unit(), Verdict.Status.MISSING,
                            base.key() + " " + baseMetric.name() + ": in the baseline, not in this run"));
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
                    if (m.exact() && !deterministic(m)) {
                        verdicts.add(nondeterministic(cur.key(), m, Double.NaN));
                    } else if (m.exact() || sameProfile) {
                        verdicts.add(new Verdict(cur.key(), m.name(), m.exact(), Double.NaN, value(m), m.unit(),
                                Verdict.Status.NEW, cur.key() + " " + m.name() + ": new, " + format(value(m)) + " " + m.unit()));
                    }
                }
            }
        }
        return verdicts;
    }

    /** Checks a run against itself: exact metrics must agree across iterations (no baseline yet). */
    public List<Verdict> selfCheck(BenchmarkRun current) {
        List<Verdict> verdicts = new ArrayList<>();
        for (BenchmarkResult cur : current.results()) {
            for (MetricResult m : metrics(cur)) {
                if (m.exact() && !deterministic(m)) {
                    verdicts.add(nondeterministic(cur.key(), m, Double.NaN));
                }
            }
        }
        return verdicts;
    }

    /** True when any verdict fails the gate. */
    public static boolean fails(List<Verdict> verdicts) {
        return verdicts.stream().anyMatch(v -> v.status().fails());
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
                key + " " + cur.name() + " is not deterministic: iterations gave " + java.util.Arrays.toString(cur.raw()));
    }

    private static Verdict timed(String key, MetricResult base, MetricResult cur, double threshold) {
        Direction direction = Direction.ofUnit(cur.unit());
        double b = base.score();
        double c = cur.score();
        double change = b == 0 ? 0 : (c - b) / Math.abs(b);
        boolean beyondThreshold = Math.abs(change) > threshold;
        boolean disjoint = cur.ciHigh() < base.ciLow() || cur.ciLow() > base.ciHigh();
        String values = "baseline " + format(b) + " ± " + format(base.error()) + ", current " + format(c) + " ± "
                + format(cur.error()) + " " + cur.unit() + String.format(Locale.ROOT, " (%+.1f%%)", 100 * change);
        Verdict.Status status;
        if (!beyondThreshold || !disjoint || direction == Direction.UNKNOWN) {
            status = Verdict.Status.SAME;
        } else {
            status = direction.better(c, b) ? Verdict.Status.IMPROVED : Verdict.Status.SLOWER;
        }
        String label = switch (status) {
            case IMPROVED -> " faster: ";
            case SLOWER -> " slower: ";
            default -> " unchanged within " + Math.round(threshold * 100) + "% or noise: ";
        };
        return new Verdict(key, cur.name(), false, b, c, cur.unit(), status, key + " " + cur.name() + label + values);
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
    private static double value(MetricResult m) {
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
