package io.parabench.analysis.report;

import io.parabench.analysis.chart.BenchmarkScoreChart;
import io.parabench.analysis.chart.BenchmarkTrendChart;
import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.MetricResult;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Verdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark report ({@code reports/index.html}): the gate's outcome and the machine first,
 * then the verdict table, each benchmark's scores with 99.9% error bars, secondary metrics, the
 * history of every benchmark as trend lines, and optional JFR summaries. Built on
 * {@link HtmlReport}, so it is one self-contained file written atomically.
 */
public final class BenchmarkReport {
    private final BenchmarkRun current;
    private final List<Verdict> verdicts;
    private final List<BenchmarkRun> history;
    private final String baselineName;
    private final List<java.util.function.Consumer<HtmlReport>> appendices = new ArrayList<>();

    /**
     * @param current      this run
     * @param verdicts     the gate's verdicts against the baseline (empty when there is none)
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

    /** Adds sections after the history, e.g. a JFR summary per benchmark ({@link JfrReportSection}). */
    public BenchmarkReport withAppendix(java.util.function.Consumer<HtmlReport> appendix) {
        appendices.add(appendix);
        return this;
    }

    public HtmlReport build() {
        HtmlReport html = new HtmlReport("parabench benchmarks — " + current.profile() + " run " + current.timestamp());
        summary(html);
        verdictTable(html);
        scores(html);
        secondary(html);
        trends(html);
        appendices.forEach(a -> a.accept(html));
        return html;
    }

    public void write(Path path) {
        build().write(path);
    }

    private void summary(HtmlReport html) {
        html.section("Summary");
        long failing = verdicts.stream().filter(v -> v.status().fails()).count();
        long slower = verdicts.stream().filter(v -> v.status() == Verdict.Status.SLOWER).count();
        long improved = verdicts.stream().filter(v -> v.status() == Verdict.Status.IMPROVED).count();
        String gate;
        if (baselineName == null) {
            gate = failing > 0 ? "FAIL: exact metrics are not deterministic (no baseline to compare with)"
                    : "no baseline yet: accept this run with -Dparabench.accept to start one";
        } else {
            gate = (RegressionGate.fails(verdicts) ? "FAIL" : "PASS") + " against " + baselineName + ": " + failing
                    + " failing exact metric(s), " + slower + " slower timed metric(s) (warnings), " + improved
                    + " improvement(s)";
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Regression gate", gate);
        facts.put("Benchmarks", current.results().size() + " results (benchmark × parameters)");
        facts.put("Profile", current.profile());
        current.environment().forEach(facts::put);
        html.definitions(facts);
        html.note("Exact metrics (names starting with exact_) are computed, not timed — virtual makespan, bubble"
                + " rate, balancedness — and must equal the baseline: a worse value fails the gate. Timed metrics"
                + " are flagged only when the score moved beyond the threshold (default 10%) and the 99.9%"
                + " confidence intervals do not overlap; slower timed metrics warn.");
    }

    private void verdictTable(HtmlReport html) {
        html.section("Verdicts");
        if (verdicts.isEmpty()) {
            html.paragraph("No baseline to compare with.");
            return;
        }
        List<Verdict> sorted = new ArrayList<>(verdicts);
        sorted.sort(Comparator.comparing((Verdict v) -> !v.status().fails())
                .thenComparing(v -> v.status() != Verdict.Status.SLOWER)
                .thenComparing(v -> v.status() != Verdict.Status.IMPROVED));
        List<List<String>> rows = new ArrayList<>();
        for (Verdict v : sorted) {
            rows.add(List.of(v.status().name(), shortKey(v.benchmark()), v.metric(), v.exact() ? "exact" : "timed",
                    num(v.baseline()), num(v.current()), v.unit(),
                    Double.isNaN(v.change()) ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * v.change())));
        }
        html.table(List.of("verdict", "benchmark", "metric", "kind", "baseline", "current", "unit", "change"), rows);
    }

    private void scores(HtmlReport html) {
        html.section("Scores");
        List<List<String>> rows = new ArrayList<>();
        for (BenchmarkResult r : current.results()) {
            MetricResult p = r.primary();
            rows.add(List.of(r.shortKey(), r.mode(), num(p.score()), num(p.error()), p.unit()));
        }
        html.table(List.of("benchmark", "mode", "score", "± 99.9% CI", "unit"), rows);
        for (Map.Entry<String, List<BenchmarkResult>> e : byMethod(current.results()).entrySet()) {
            List<BenchmarkResult> results = e.getValue();
            html.chart(BenchmarkScoreChart.create(results.get(0).shortName(), results), 900,
                    120 + 28 * results.size(), results.get(0).shortName() + ": score per parameter set, 99.9% CI");
        }
    }

    private void secondary(HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        for (BenchmarkResult r : current.results()) {
            for (MetricResult m : r.secondary().values()) {
                double value = m.exact() && m.raw().length > 0 ? m.raw()[0] : m.score();
                rows.add(List.of(r.shortKey(), m.name(), m.exact() ? "exact" : "timed", num(value),
                        m.exact() ? "" : num(m.error()), m.unit()));
            }
        }
        if (!rows.isEmpty()) {
            html.section("Secondary metrics");
            html.table(List.of("benchmark", "metric", "kind", "value", "± 99.9% CI", "unit"), rows);
        }
    }

    private void trends(HtmlReport html) {
        html.section("History");
        List<BenchmarkRun> runs = new ArrayList<>();
        for (BenchmarkRun run : history) {
            if (run.profile().equals(current.profile())) {
                runs.add(run);
            }
        }
        runs.add(current);
        html.paragraph(runs.size() + " run(s) of the " + current.profile()
                + " profile: the recorded history (data/history) and this run, last.");
        for (Map.Entry<String, List<BenchmarkResult>> e : byMethod(current.results()).entrySet()) {
            String name = e.getValue().get(0).shortName();
            html.chart(BenchmarkTrendChart.create(name + " over time", runs, e.getKey()), 900, 320,
                    name + ": primary score per recorded run");
        }
    }

    private static Map<String, List<BenchmarkResult>> byMethod(List<BenchmarkResult> results) {
        Map<String, List<BenchmarkResult>> map = new LinkedHashMap<>();
        for (BenchmarkResult r : results) {
            map.computeIfAbsent(r.benchmark(), k -> new ArrayList<>()).add(r);
        }
        return map;
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
