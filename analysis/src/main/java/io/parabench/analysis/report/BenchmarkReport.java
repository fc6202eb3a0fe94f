package io.parabench.analysis.report;

import io.parabench.analysis.chart.BenchmarkScoreChart;
import io.parabench.analysis.chart.HeadlineBarChart;
import io.parabench.analysis.chart.HistoryTrendChart;
import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.EplbReferenceTimes;
import io.parabench.analysis.read.MetricResult;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Verdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark report ({@code reports/index.html}) as a dashboard. The first screen answers
 * "did anything change?": the gate's verdict, then what changed (failures, slower, improved,
 * new; unchanged and too-short-to-judge metrics folded away), then the headline charts
 * ({@link BenchmarkHeadlines}: pipeline bubbles, EPLB against DeepSeek, vector against scalar
 * kernels, GEMM against the calibrated peak, trace reading, training step). Below: each
 * headline's trend over {@code data/history}, generic score charts for benchmarks no headline
 * covers, and the full tables last. One self-contained file ({@link HtmlReport}), written
 * atomically; no script.
 */
public final class BenchmarkReport {
    /** Rows of "what changed" shown before the rest is folded away. */
    private static final int CHANGES_SHOWN = 3;
    private static final int CELL_WIDTH = 420;
    private static final int CELL_HEIGHT = 265;

    private final BenchmarkRun current;
    private final List<Verdict> verdicts;
    private final List<BenchmarkRun> history;
    private final String baselineName;
    private final List<Consumer<HtmlReport>> appendices = new ArrayList<>();
    private Map<EplbReferenceTimes.Shape, Double> eplbReference = Map.of();

    /**
     * @param current      this run
     * @param verdicts     the gate's verdicts (against the baseline, or the run's own checks)
     * @param history      recorded runs, oldest first, not including {@code current}
     * @param baselineName what the verdicts compare with, e.g. {@code data/baselines/quick.json},
     *                     or null when there was no baseline
     */
    public BenchmarkReport(BenchmarkRun current, List<Verdict> verdicts, List<BenchmarkRun> history, String baselineName) {
        this.current = current;
        this.verdicts = List.copyOf(verdicts);
        this.history = List.copyOf(history);
        this.baselineName = baselineName;
    }

    /** Holds EPLB times against DeepSeek's reference seconds from this file ({@link EplbReferenceTimes}); null: none. */
    public BenchmarkReport withEplbReference(Path referenceCases) {
        eplbReference = referenceCases == null ? Map.of() : EplbReferenceTimes.read(referenceCases);
        return this;
    }

    /** Adds sections at the end, e.g. a JFR summary per benchmark ({@link JfrReportSection}). */
    public BenchmarkReport withAppendix(Consumer<HtmlReport> appendix) {
        appendices.add(appendix);
        return this;
    }

    public HtmlReport build() {
        HtmlReport html = new HtmlReport("parabench benchmarks — " + current.profile() + " run " + current.timestamp());
        List<BenchmarkRun> runs = trendRuns();
        BenchmarkHeadlines headlines = new BenchmarkHeadlines(current, runs, eplbReference);
        List<BenchmarkHeadlines.Headline> figures = headlines.build();
        verdict(html, headlines);
        changes(html);
        if (!figures.isEmpty()) {
            html.grid(g -> figures.forEach(f -> {
                if (f.wide()) {
                    g.wide();
                }
                g.chart(HeadlineBarChart.create(f.title(), f.valueLabel(), f.bars(), f.references()),
                        f.wide() ? 2 * CELL_WIDTH : CELL_WIDTH, CELL_HEIGHT, f.caption());
            }));
            trends(html, figures, runs);
        }
        others(html, headlines);
        tables(html);
        appendices.forEach(a -> a.accept(html));
        return html;
    }

    public void write(Path path) {
        build().write(path);
    }

    /** The history of this profile and this run, last: what the trends show. */
    private List<BenchmarkRun> trendRuns() {
        List<BenchmarkRun> runs = new ArrayList<>();
        for (BenchmarkRun run : history) {
            if (run.profile().equals(current.profile())) {
                runs.add(run);
            }
        }
        runs.add(current);
        return runs;
    }

    private void verdict(HtmlReport html, BenchmarkHeadlines headlines) {
        Map<Verdict.Status, Integer> counts = new LinkedHashMap<>();
        for (Verdict.Status s : Verdict.Status.values()) {
            counts.put(s, 0);
        }
        verdicts.forEach(v -> counts.merge(v.status(), 1, Integer::sum));
        long failing = verdicts.stream().filter(v -> v.status().fails()).count();
        String text;
        String kind;
        if (baselineName == null) {
            kind = failing > 0 ? "fail" : "none";
            text = (failing > 0 ? "FAIL: " + failing + " problem(s) in the run itself" : "NO BASELINE: the run was"
                    + " only checked on its own (finite, deterministic); nothing was compared");
        } else {
            kind = failing > 0 ? "fail" : "pass";
            text = (failing > 0 ? "FAIL" : "PASS") + " against " + baselineName + ": " + failing + " failing, "
                    + counts.get(Verdict.Status.SLOWER) + " slower (warn), " + counts.get(Verdict.Status.IMPROVED)
                    + " improved, " + counts.get(Verdict.Status.NEW) + " new, " + counts.get(Verdict.Status.SAME)
                    + " unchanged, " + counts.get(Verdict.Status.UNRESOLVED) + " too short to judge";
        }
        html.banner(text, kind);
        Map<String, String> env = current.environment();
        html.note(current.results().size() + " results (benchmark × parameters), profile " + current.profile()
                + " · " + env.getOrDefault("cpu", "cpu unknown") + ", " + env.getOrDefault("cores", "?") + " cores · java "
                + env.getOrDefault("java", "?") + (env.containsKey("fork_java") ? " (forks: " + env.get("fork_java") + ")" : "")
                + " · " + headlines.vectorWidth()
                + (env.containsKey("commit") ? " · commit " + env.get("commit") : ""));
    }

    private void changes(HtmlReport html) {
        List<Verdict> changed = new ArrayList<>();
        List<Verdict> unchanged = new ArrayList<>();
        for (Verdict v : verdicts) {
            (v.status().changed() ? changed : unchanged).add(v);
        }
        changed.sort(java.util.Comparator.comparingInt(v -> v.status().reportOrder()));
        html.section("What changed");
        if (changed.isEmpty()) {
            html.paragraph(baselineName == null ? "Nothing to compare with." : "Nothing: every metric is unchanged"
                    + " or too short to judge.");
        } else {
            List<Verdict> shown = changed.subList(0, Math.min(CHANGES_SHOWN, changed.size()));
            html.compactTable(CHANGE_HEADERS, rows(shown));
            if (changed.size() > shown.size()) {
                List<Verdict> rest = changed.subList(shown.size(), changed.size());
                html.folded(rest.size() + " more change(s)", h -> h.compactTable(CHANGE_HEADERS, rows(rest)));
            }
        }
        if (!unchanged.isEmpty()) {
            long unresolved = unchanged.stream().filter(v -> v.status() == Verdict.Status.UNRESOLVED).count();
            html.folded((unchanged.size() - unresolved) + " unchanged, " + unresolved + " too short to judge",
                    h -> h.compactTable(CHANGE_HEADERS, rows(unchanged)));
        }
    }

    private static final List<String> CHANGE_HEADERS = List.of("verdict", "benchmark", "metric", "baseline", "current",
            "change");

    private static List<List<String>> rows(List<Verdict> verdicts) {
        List<List<String>> rows = new ArrayList<>();
        for (Verdict v : verdicts) {
            rows.add(List.of(label(v.status()), shortKey(v.benchmark()), v.metric() + (v.unit().isEmpty() ? ""
                    : " (" + v.unit() + ")"), num(v.baseline()), num(v.current()),
                    Double.isNaN(v.change()) ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * v.change())));
        }
        return rows;
    }

    private static String label(Verdict.Status status) {
        return status == Verdict.Status.UNRESOLVED ? "too short to judge" : status.name();
    }

    private void trends(HtmlReport html, List<BenchmarkHeadlines.Headline> figures, List<BenchmarkRun> runs) {
        html.section("History");
        html.paragraph(runs.size() + " run(s) of the " + current.profile() + " profile: data/history, then this run.");
        List<String> labels = runs.stream().map(BenchmarkRun::timestamp).toList();
        html.grid(g -> figures.forEach(f -> g.chart(HistoryTrendChart.create(f.trendTitle(), f.valueLabel(), labels,
                f.trend()), CELL_WIDTH, CELL_HEIGHT, f.trendTitle())));
    }

    private void others(HtmlReport html, BenchmarkHeadlines headlines) {
        Map<String, List<BenchmarkResult>> byMethod = new LinkedHashMap<>();
        for (BenchmarkResult r : current.results()) {
            if (!headlines.covered().contains(r.benchmark())) {
                byMethod.computeIfAbsent(r.benchmark(), k -> new ArrayList<>()).add(r);
            }
        }
        if (byMethod.isEmpty()) {
            return;
        }
        html.section("Other benchmarks");
        for (List<BenchmarkResult> results : byMethod.values()) {
            html.chart(BenchmarkScoreChart.create(results.get(0).shortName(), results), 900,
                    120 + 28 * results.size(), results.get(0).shortName() + ": score per parameter set, 99.9% CI");
        }
    }

    private void tables(HtmlReport html) {
        html.section("Scores");
        List<List<String>> rows = new ArrayList<>();
        for (BenchmarkResult r : current.results()) {
            MetricResult p = r.primary();
            rows.add(List.of(r.shortKey(), r.mode(), num(p.score()), num(p.error()), p.unit(), judgement(p)));
        }
        html.compactTable(List.of("benchmark", "mode", "score", "± 99.9% CI", "unit", "interval"), rows);
        List<List<String>> secondary = new ArrayList<>();
        for (BenchmarkResult r : current.results()) {
            for (MetricResult m : r.secondary().values()) {
                secondary.add(List.of(r.shortKey(), m.name(), m.exact() ? "exact" : "timed", num(RegressionGate.value(m)),
                        m.exact() ? "" : num(m.error()), m.unit(), m.exact() ? "computed" : judgement(m)));
            }
        }
        if (!secondary.isEmpty()) {
            html.section("Secondary metrics");
            html.compactTable(List.of("benchmark", "metric", "kind", "value", "± 99.9% CI", "unit", "interval"), secondary);
        }
        html.note("Exact metrics (names starting with exact_) are computed, not timed — virtual makespan, bubble"
                + " rate, balancedness — and must equal the baseline: a worse value fails the gate. Timed metrics"
                + " are flagged only when the score moved beyond the threshold (default 10%) and the 99.9%"
                + " confidence intervals do not overlap; when an interval is wider than the threshold the run is"
                + " too short to judge. Slower timed metrics warn, they never fail.");
    }

    private static String judgement(MetricResult m) {
        double relative = m.error() / Math.abs(m.score());
        if (!Double.isFinite(relative)) {
            return "none (one iteration): too short to judge";
        }
        String pct = String.format(Locale.ROOT, "±%.0f%%", 100 * relative);
        return relative <= RegressionGate.DEFAULT_THRESHOLD ? pct : pct + ": too short to judge";
    }

    private static String shortKey(String key) {
        int brace = key.indexOf('{');
        String method = brace < 0 ? key : key.substring(0, brace);
        int dot = method.lastIndexOf('.');
        int cls = dot > 0 ? method.lastIndexOf('.', dot - 1) : -1;
        return key.substring(cls + 1);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 0.01 && Math.abs(v) < 1e6 ? "%.4f" : "%.4e", v);
    }
}
