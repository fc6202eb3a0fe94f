package io.parabench.jmh;

import io.parabench.analysis.read.JfrSummaryReader;
import io.parabench.analysis.report.BenchmarkReport;
import io.parabench.analysis.report.JfrReportSection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adds the recordings of JMH's JFR profiler ({@code -Pjfr}) to the benchmark report: one
 * section per benchmark, summarised with JMC's parser (hot methods, allocation, GC, CPU).
 */
final class JfrSections {
    private JfrSections() {
    }

    static void add(BenchmarkReport report, Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> recordings;
        try (Stream<Path> files = Files.walk(dir)) {
            recordings = files.filter(f -> f.getFileName().toString().endsWith(".jfr")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path recording : recordings) {
            String benchmark = dir.relativize(recording.getParent()).toString();
            try {
                var summary = JfrSummaryReader.read(recording);
                report.withAppendix(html -> JfrReportSection.append(html, "JFR: " + benchmark, summary));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read JFR recording " + recording + ": " + e.getMessage(), e);
            }
        }
    }
}
