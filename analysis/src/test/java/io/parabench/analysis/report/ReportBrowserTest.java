package io.parabench.analysis.report;

import io.parabench.analysis.TestTraces;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens a trace report in real headless Chromium (Debian's {@code chromium}) and checks that
 * it loads without console errors and that every chart is laid out with a non-zero size.
 *
 * <p>How, without Selenium: a copy of the page gets a probe script just before
 * {@code </body>} that records script errors and {@code console.error} calls (hooked in the
 * head, before anything else runs) and the bounding box of every chart's SVG, and writes them
 * into the DOM; {@code chromium --dump-dom} prints the DOM after load. Chromium's own log
 * ({@code --enable-logging=stderr}) is also searched for console messages. A control page with
 * a deliberate error proves the probe sees errors.
 *
 * <p>Skipped when chromium is not installed, except in CI ({@code CI=true}), where it fails.
 */
class ReportBrowserTest {
    private static final Path[] CANDIDATES = {Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
            Path.of("/usr/bin/google-chrome")};
    private static final String HEAD_HOOK = "<script>window.__errors=[];"
            + "window.addEventListener('error',function(e){window.__errors.push('error: '+e.message);});"
            + "var __ce=console.error;console.error=function(){window.__errors.push('console.error: '"
            + "+Array.prototype.join.call(arguments,' '));__ce.apply(console,arguments);};</script>";
    private static final String PROBE = "<script>(function(){var charts=[];"
            + "document.querySelectorAll('figure.chart svg').forEach(function(s){var r=s.getBoundingClientRect();"
            + "charts.push(s.id+'='+Math.round(r.width)+'x'+Math.round(r.height));});"
            + "var p=document.createElement('pre');p.id='probe';"
            + "p.textContent='CHARTS['+charts.join(',')+'] ERRORS['+window.__errors.join(' | ')+']';"
            + "document.body.appendChild(p);})();</script>";
    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        for (Path p : CANDIDATES) {
            if (Files.isExecutable(p)) {
                chromium = p;
                return;
            }
        }
        String message = "headless Chromium not found (apt-get install chromium); the browser test needs it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    private record Probe(List<String> charts, String errors, String log) {
    }

    private static Probe open(Path page, Path dir) throws IOException, InterruptedException {
        String html = Files.readString(page);
        html = html.replace("<head>", "<head>" + HEAD_HOOK).replace("</body>", PROBE + "</body>");
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, html);
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path stdout = dir.resolve("dom.html");
        Path stderr = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--window-size=1280,2000", "--dump-dom", probed.toUri().toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("chromium did not finish within 120 s");
        }
        String dom = Files.readString(stdout, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<pre id=\"probe\">CHARTS\\[(.*?)\\] ERRORS\\[(.*?)\\]</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the probe ran; chromium exit " + process.exitValue() + ", log: " + Files.readString(stderr));
        List<String> charts = m.group(1).isEmpty() ? List.of() : List.of(m.group(1).split(","));
        return new Probe(charts, m.group(2), Files.readString(stderr));
    }

    private static List<String> consoleLines(String log) {
        List<String> out = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains("CONSOLE")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void shouldLoadTheReportWithoutErrorsAndShowEveryChart(@TempDir Path dir) throws Exception {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        List<Trace> read = TraceReader.read(traces);
        AnalysisOptions options = AnalysisOptions.defaults();
        Path page = dir.resolve("report.html");
        TraceReport.build("browser test", read, TraceMetrics.analyze(traces.toString(), read, options), options).write(page);
        int figures = Files.readString(page).split("<figure class=\"chart\">", -1).length - 1;

        Probe probe = open(page, dir);
        assertEquals("", probe.errors(), "no script or console errors");
        assertEquals(List.of(), consoleLines(probe.log()), "no console messages in chromium's log");
        assertEquals(figures, probe.charts().size(), "every chart is in the DOM: " + probe.charts());
        for (String chart : probe.charts()) {
            String[] size = chart.substring(chart.indexOf('=') + 1).split("x");
            assertTrue(Integer.parseInt(size[0]) > 100 && Integer.parseInt(size[1]) > 50, "chart visible: " + chart);
        }
    }

    @Test
    void shouldSeeAnErrorOnABrokenPage(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>x</title></head><body>"
                + "<script>console.error('deliberate'); notAFunction();</script></body></html>");
        Probe probe = open(page, dir);
        assertTrue(probe.errors().contains("console.error: deliberate"), probe.errors());
        assertTrue(probe.errors().contains("notAFunction"), probe.errors());
        assertTrue(probe.charts().isEmpty());
        assertTrue(consoleLines(probe.log()).size() >= 2, "chromium's log shows console messages: " + probe.log());
    }
}
