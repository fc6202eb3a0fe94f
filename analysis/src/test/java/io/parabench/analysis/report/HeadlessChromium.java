package io.parabench.analysis.report;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

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
 * Opens report pages in real headless Chromium (Debian's {@code chromium}) for the browser
 * tests: checks that a page loads without console errors and that every chart is laid out with
 * a non-zero size, and takes screenshots.
 *
 * <p>How, without Selenium: a copy of the page gets a probe script just before
 * {@code </body>} that records script errors and {@code console.error} calls (hooked in the
 * head, before anything else runs) and the bounding box of every chart's SVG, and writes them
 * into the DOM; {@code chromium --dump-dom} prints the DOM after load. Chromium's own log
 * ({@code --enable-logging=stderr}) is also searched for console messages.
 *
 * <p>{@link #find()} skips the calling test when chromium is not installed, except in CI
 * ({@code CI=true}), where it fails.
 */
final class HeadlessChromium {
    private static final Path[] CANDIDATES = {Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
            Path.of("/usr/bin/google-chrome")};
    private static final String HEAD_HOOK = "<script>window.__errors=[];"
            + "window.addEventListener('error',function(e){window.__errors.push('error: '+e.message);});"
            + "var __ce=console.error;console.error=function(){window.__errors.push('console.error: '"
            + "+Array.prototype.join.call(arguments,' '));__ce.apply(console,arguments);};</script>";
    private static final String PROBE = "<script>(function(){var charts=[];"
            + "document.querySelectorAll('figure.chart svg').forEach(function(s){var r=s.getBoundingClientRect();"
            + "var t=s.querySelector('text');"
            + "charts.push(s.id+'='+Math.round(r.width)+'x'+Math.round(r.height)+'@'+Math.round(r.top)+':'"
            + "+(t?t.textContent.replace(/[,\\]]/g,' '):''));});"
            + "var p=document.createElement('pre');p.id='probe';"
            + "p.textContent='CHARTS['+charts.join(',')+'] ERRORS['+window.__errors.join(' | ')+']';"
            + "document.body.appendChild(p);})();</script>";
    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The installed Chromium; aborts (locally) or fails (in CI) the test when there is none. */
    static HeadlessChromium find() {
        for (Path p : CANDIDATES) {
            if (Files.isExecutable(p)) {
                return new HeadlessChromium(p);
            }
        }
        String message = "headless Chromium not found (apt-get install chromium); the browser test needs it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    /**
     * What the probe saw: per chart {@code id=WxH@top:title} (title = the SVG's first text, commas
     * dropped; top = pixels from the top of the page, as loaded), script errors, Chromium's log.
     */
    record Probe(List<String> charts, String errors, String log) {
        /** Lines of Chromium's log that carry console messages. */
        List<String> consoleLines() {
            List<String> out = new ArrayList<>();
            for (String line : log.split("\n")) {
                if (line.contains("CONSOLE")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    private List<String> command(Path profile, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--window-size=1280,2000"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    private static void await(Process process, Path log) throws IOException, InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("chromium did not finish within 120 s; log: " + Files.readString(log));
        }
    }

    /** Loads a probed copy of the page and returns what the probe saw. */
    Probe open(Path page, Path dir) throws IOException, InterruptedException {
        String html = Files.readString(page);
        html = html.replace("<head>", "<head>" + HEAD_HOOK).replace("</body>", PROBE + "</body>");
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, html);
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path stdout = dir.resolve("dom.html");
        Path stderr = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(command(profile, "--dump-dom", probed.toUri().toString()))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        await(process, stderr);
        String dom = Files.readString(stdout, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<pre id=\"probe\">CHARTS\\[(.*?)\\] ERRORS\\[(.*?)\\]</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the probe ran; chromium exit " + process.exitValue() + ", log: " + Files.readString(stderr));
        List<String> charts = m.group(1).isEmpty() ? List.of() : List.of(m.group(1).split(","));
        return new Probe(charts, m.group(2), Files.readString(stderr));
    }

    /** Asserts the page loads without errors and shows every one of its charts at a readable size. */
    void assertRendersCleanly(Path page, Path dir) throws IOException, InterruptedException {
        int figures = Files.readString(page).split("<figure class=\"chart", -1).length - 1;
        Probe probe = open(page, dir);
        assertEquals("", probe.errors(), "no script or console errors");
        assertEquals(List.of(), probe.consoleLines(), "no console messages in chromium's log");
        assertEquals(figures, probe.charts().size(), "every chart is in the DOM: " + probe.charts());
        for (String chart : probe.charts()) {
            String[] size = chart.substring(chart.indexOf('=') + 1, chart.indexOf('@')).split("x");
            assertTrue(Integer.parseInt(size[0]) > 100 && Integer.parseInt(size[1]) > 50, "chart visible: " + chart);
        }
    }

    /** Takes a PNG screenshot of the page at the given window size. */
    Path screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(png.toAbsolutePath().getParent(), "chromium-profile");
        Path log = png.resolveSibling(png.getFileName() + ".log");
        Process process = new ProcessBuilder(command(profile, "--window-size=" + width + "," + height,
                "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await(process, log);
        assertTrue(Files.size(png) > 0, "screenshot written; log: " + Files.readString(log));
        return png;
    }
}
