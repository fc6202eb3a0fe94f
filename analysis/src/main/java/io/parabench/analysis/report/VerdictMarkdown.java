package io.parabench.analysis.report;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Verdict;

import java.util.List;
import java.util.Locale;

/**
 * The gate's verdict as GitHub-flavoured Markdown, for a pull-request comment or a job summary:
 * one outcome line, then a table of what changed (failures, slower, improved, new); unchanged
 * and too-short-to-judge metrics are only counted.
 */
public final class VerdictMarkdown {
    private VerdictMarkdown() {
    }

    public static String render(List<Verdict> verdicts, String baselineName, BenchmarkRun current) {
        boolean failed = RegressionGate.fails(verdicts);
        long unchanged = verdicts.stream().filter(v -> v.status() == Verdict.Status.SAME).count();
        long unresolved = verdicts.stream().filter(v -> v.status() == Verdict.Status.UNRESOLVED).count();
        StringBuilder sb = new StringBuilder();
        sb.append("### parabench benchmarks: ").append(failed ? "FAIL" : "pass").append("\n\n");
        sb.append(current.results().size()).append(" results, profile `").append(current.profile()).append("`, ")
                .append(baselineName == null ? "no baseline" : "against `" + baselineName + "`").append("; ")
                .append(unchanged).append(" unchanged, ").append(unresolved).append(" too short to judge.\n\n");
        List<Verdict> changed = verdicts.stream().filter(v -> v.status().changed())
                .sorted(java.util.Comparator.comparingInt((Verdict v) -> v.status().reportOrder()))
                .toList();
        if (changed.isEmpty()) {
            return sb.append("Nothing changed.\n").toString();
        }
        sb.append("| verdict | benchmark | metric | baseline | current | change |\n|---|---|---|---|---|---|\n");
        for (Verdict v : changed) {
            sb.append("| ").append(v.status().name()).append(" | `").append(cell(v.benchmark())).append("` | ")
                    .append(cell(v.metric())).append(" | ").append(num(v.baseline())).append(" | ")
                    .append(num(v.current())).append(" | ")
                    .append(Double.isNaN(v.change()) ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * v.change()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        String simple = text.replaceFirst("^io\\.parabench\\.jmh\\.", "");
        return simple.replace("|", "\\|");
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
