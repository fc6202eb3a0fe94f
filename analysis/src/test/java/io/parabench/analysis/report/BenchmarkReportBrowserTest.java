package io.parabench.analysis.report;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.JmhResultFixture;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Thresholds;
import io.parabench.analysis.regress.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark report in real headless Chromium: it loads without errors, every chart (scores
 * with error bars, history trend lines) is laid out, and a screenshot shows the rendered score
 * bars, not an empty page.
 */
class BenchmarkReportBrowserTest {

    @Test
    void shouldRenderVerdictsScoresAndHistory(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find();
        BenchmarkRun older = JmhResultFixture.run(dir, "20261120-100000", "quick",
                JmhResultFixture.entry(16, "thrpt", 120, 2, "ops/s", 400, 400, 400),
                JmhResultFixture.entry(64, "thrpt", 30, 1, "ops/s", 900, 900, 900));
        BenchmarkRun baseline = JmhResultFixture.run(dir, "20261125-100000", "quick",
                JmhResultFixture.entry(16, "thrpt", 110, 2, "ops/s", 400, 400, 400),
                JmhResultFixture.entry(64, "thrpt", 31, 1, "ops/s", 900, 900, 900));
        BenchmarkRun current = JmhResultFixture.run(dir, "20261127-100000", "quick",
                JmhResultFixture.entry(16, "thrpt", 80, 2, "ops/s", 401, 401, 401),
                JmhResultFixture.entry(64, "thrpt", 32, 1, "ops/s", 900, 900, 900));
        List<Verdict> verdicts = new RegressionGate(Thresholds.defaults()).compare(baseline, current);
        Path page = dir.resolve("index.html");
        new BenchmarkReport(current, verdicts, List.of(older, baseline), "data/baselines/quick.json").write(page);

        String html = Files.readString(page);
        assertTrue(html.contains("FAIL against data/baselines/quick.json"), "summary shows the gate's outcome");
        assertTrue(html.contains("REGRESSED") && html.contains("SLOWER"), "verdict table");
        assertEquals(2, html.split("<figure class=\"chart\">", -1).length - 1, "score chart and trend chart");

        chromium.assertRendersCleanly(page, dir);

        BufferedImage shot = ImageIO.read(chromium.screenshot(page, dir.resolve("report.png"), 1280, 2400).toFile());
        assertEquals(1280, shot.getWidth());
        int bar = 0;
        for (int y = 0; y < shot.getHeight(); y += 2) {
            for (int x = 0; x < shot.getWidth(); x += 2) {
                int rgb = shot.getRGB(x, y) & 0xFFFFFF;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.abs(r - 0x4A) < 24 && Math.abs(g - 0x90) < 24 && Math.abs(b - 0xC2) < 24) {
                    bar++;
                }
            }
        }
        assertTrue(bar > 500, "the score bars are painted in the screenshot (" + bar + " sampled pixels)");
    }
}
