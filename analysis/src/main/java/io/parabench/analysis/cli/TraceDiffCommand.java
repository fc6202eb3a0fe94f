package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.chart.KernelNames;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceDiff;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.read.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code parabench trace-diff A B}: what changed from one trace (file or directory of per-rank
 * traces) to another — step time, bubbles per rank, and the kernels and annotations whose
 * summed time changed most, names present in one trace only marked.
 */
@Command(name = "trace-diff", mixinStandardHelpOptions = true,
        description = {"Compare two profiler traces (files or directories of per-rank traces), e.g. 1F1B vs ZBV or"
                + " yesterday vs today: step time, pipeline bubbles per rank, and per kernel and per annotation the"
                + " count and summed time in each, ranked by the change of summed time.",
                "Times in microseconds; delta = B − A."})
public final class TraceDiffCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "first trace file or directory")
    Path first;

    @Parameters(index = "1", paramLabel = "B", description = "second trace file or directory")
    Path second;

    @Mixin
    FormatOption format;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "kernel and annotation rows to print, by impact (default: ${DEFAULT-VALUE})")
    int top;

    @Mixin
    TraceAnalysisOptions analysis;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new IllegalArgumentException("--top (" + top + ") must be >= 1");
        }
        AnalysisOptions options = analysis.analysisOptions();
        TraceSummary a = TraceMetrics.analyze(first.toString(), TraceReader.read(first), options);
        TraceSummary b = TraceMetrics.analyze(second.toString(), TraceReader.read(second), options);
        TraceDiff diff = TraceDiff.of(a, b);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.json() ? json(diff, top) + System.lineSeparator() : text(diff, top));
        out.flush();
        return 0;
    }

    static String json(TraceDiff d, int top) {
        ObjectNode root = JsonOutput.object();
        root.put("a", d.a().source());
        root.put("b", d.b().source());
        root.put("step_a_us", TraceDiff.stepNs(d.a()) / 1e3);
        root.put("step_b_us", TraceDiff.stepNs(d.b()) / 1e3);
        root.put("step_delta_us", d.stepDeltaNs() / 1e3);
        d.a().pipeline().ifPresent(p -> TraceStatsJson.putNumber(root, "bubble_rate_a", p.bubbleRate()));
        d.b().pipeline().ifPresent(p -> TraceStatsJson.putNumber(root, "bubble_rate_b", p.bubbleRate()));
        ArrayNode ranks = root.putArray("ranks");
        for (TraceDiff.RankDelta r : d.ranks()) {
            ObjectNode row = ranks.addObject();
            row.put("rank", r.rank());
            row.put("bubble_a_us", r.bubbleNsA() / 1e3);
            row.put("bubble_b_us", r.bubbleNsB() / 1e3);
            row.put("bubble_delta_us", r.bubbleDeltaNs() / 1e3);
            row.put("compute_a_us", r.computeNsA() / 1e3);
            row.put("compute_b_us", r.computeNsB() / 1e3);
        }
        putDeltas(root.putArray("kernels"), d.kernels(), top);
        root.put("kernels_not_listed", Math.max(0, d.kernels().size() - top));
        putDeltas(root.putArray("annotations"), d.annotations(), top);
        root.put("annotations_not_listed", Math.max(0, d.annotations().size() - top));
        return JsonOutput.write(root);
    }

    private static void putDeltas(ArrayNode array, List<TraceDiff.Delta> rows, int top) {
        for (TraceDiff.Delta k : rows.subList(0, Math.min(top, rows.size()))) {
            ObjectNode row = array.addObject();
            row.put("name", k.name());
            if (k.kind() != null) {
                row.put("class", k.kind().name().toLowerCase(Locale.ROOT));
            }
            row.put("count_a", k.countA());
            row.put("count_b", k.countB());
            row.put("sum_a_us", k.totalNsA() / 1e3);
            row.put("sum_b_us", k.totalNsB() / 1e3);
            row.put("delta_us", k.deltaNs() / 1e3);
            if (k.onlyIn() != null) {
                row.put("only_in", k.onlyIn());
            } else {
                row.putNull("only_in");
            }
        }
    }

    static String text(TraceDiff d, int top) {
        StringBuilder sb = new StringBuilder();
        sb.append("A: ").append(d.a().source()).append(System.lineSeparator());
        sb.append("B: ").append(d.b().source()).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "step             %14.3f us -> %14.3f us  (%+.3f us, %+.1f%%)%n",
                TraceDiff.stepNs(d.a()) / 1e3, TraceDiff.stepNs(d.b()) / 1e3, d.stepDeltaNs() / 1e3,
                percent(d.stepDeltaNs(), TraceDiff.stepNs(d.a()))));
        if (d.a().pipeline().isPresent() && d.b().pipeline().isPresent()) {
            sb.append(String.format(Locale.ROOT, "bubble rate      %14.4f    -> %14.4f%n",
                    d.a().pipeline().get().bubbleRate(), d.b().pipeline().get().bubbleRate()));
        }
        for (TraceDiff.RankDelta r : d.ranks()) {
            sb.append(String.format(Locale.ROOT, "rank %-4d bubble %14.3f us -> %14.3f us  (%+.3f us)%n", r.rank(),
                    r.bubbleNsA() / 1e3, r.bubbleNsB() / 1e3, r.bubbleDeltaNs() / 1e3));
        }
        appendDeltas(sb, "kernels", d.kernels(), top);
        appendDeltas(sb, "annotations", d.annotations(), top);
        return sb.toString();
    }

    private static void appendDeltas(StringBuilder sb, String what, List<TraceDiff.Delta> rows, int top) {
        if (rows.isEmpty()) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "%s by impact (sum B − sum A):%n", what));
        sb.append(String.format(Locale.ROOT, "  %14s %10s %10s  %s%n", "delta_us", "count_a", "count_b", "name"));
        for (TraceDiff.Delta k : rows.subList(0, Math.min(top, rows.size()))) {
            sb.append(String.format(Locale.ROOT, "  %+14.3f %10d %10d  %s%s%n", k.deltaNs() / 1e3, k.countA(), k.countB(),
                    KernelNames.shorten(k.name()), k.onlyIn() == null ? "" : "  [only in " + k.onlyIn() + "]"));
        }
        if (rows.size() > top) {
            sb.append(String.format(Locale.ROOT, "  … %d more (--top N)%n", rows.size() - top));
        }
    }

    private static double percent(long delta, long base) {
        return base == 0 ? 0 : 100.0 * delta / base;
    }
}
