package io.parabench.analysis.report;

import io.parabench.analysis.read.JfrSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Appends a {@link JfrSummary} to an {@link HtmlReport}: totals, hot methods, allocation by class. */
public final class JfrReportSection {
    private JfrReportSection() {
    }

    public static void append(HtmlReport report, String heading, JfrSummary jfr) {
        report.section(heading);
        report.table(List.of("execution samples", "allocated (MB)", "GCs", "GC pause total (ms)", "GC pause max (ms)",
                        "JVM CPU avg", "JVM CPU max", "machine CPU avg"),
                List.of(List.of(Long.toString(jfr.executionSamples()), mb(jfr.allocatedBytes()), Long.toString(jfr.gcCount()),
                        num(jfr.gcPauseTotalMs()), num(jfr.gcPauseMaxMs()), pct(jfr.jvmCpuAvg()), pct(jfr.jvmCpuMax()),
                        pct(jfr.machineCpuAvg()))));
        List<List<String>> methods = new ArrayList<>();
        for (JfrSummary.Entry e : jfr.hotMethods()) {
            methods.add(List.of(e.name(), Long.toString(e.value()),
                    pct(jfr.executionSamples() == 0 ? Double.NaN : (double) e.value() / jfr.executionSamples())));
        }
        report.subsection("Hot methods (top frame of execution samples)");
        report.table(List.of("method", "samples", "share"), methods);
        List<List<String>> alloc = new ArrayList<>();
        for (JfrSummary.Entry e : jfr.allocationByClass()) {
            alloc.add(List.of(e.name(), mb(e.value())));
        }
        report.subsection("Allocation by class");
        report.table(List.of("class", "allocated (MB)"), alloc);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
