package io.parabench.analysis.report;

import io.parabench.analysis.TestTraces;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens a trace report in real headless Chromium and checks that it loads without console
 * errors and that every chart is laid out with a non-zero size ({@link HeadlessChromium}). A
 * control page with a deliberate error proves the probe sees errors.
 */
class ReportBrowserTest {
    private static HeadlessChromium chromium;

    @BeforeAll
    static void findChromium() {
        chromium = HeadlessChromium.find();
    }

    @Test
    void shouldLoadTheReportWithoutErrorsAndShowEveryChart(@TempDir Path dir) throws Exception {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        List<Trace> read = TraceReader.read(traces);
        AnalysisOptions options = AnalysisOptions.defaults();
        Path page = dir.resolve("report.html");
        TraceReport.build("browser test", read, TraceMetrics.analyze(traces.toString(), read, options), options).write(page);
        chromium.assertRendersCleanly(page, dir);
    }

    @Test
    void shouldSeeAnErrorOnABrokenPage(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>x</title></head><body>"
                + "<script>console.error('deliberate'); notAFunction();</script></body></html>");
        HeadlessChromium.Probe probe = chromium.open(page, dir);
        assertTrue(probe.errors().contains("console.error: deliberate"), probe.errors());
        assertTrue(probe.errors().contains("notAFunction"), probe.errors());
        assertTrue(probe.charts().isEmpty());
        assertTrue(probe.consoleLines().size() >= 2, "chromium's log shows console messages: " + probe.log());
    }
}
