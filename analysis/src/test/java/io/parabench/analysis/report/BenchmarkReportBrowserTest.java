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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark dashboard in real headless Chromium: it loads offline without errors; the first
 * screen (1280 × 1000) holds the gate's verdict and the pipeline, EPLB and kernel headline
 * charts, which a screenshot shows painted; what changed is listed, unchanged rows folded away.
 */
class BenchmarkReportBrowserTest {
    private static final String JMH = "io.parabench.jmh.";
    private static final int FIRST_SCREEN = 1000;

    /** A run with the headline benchmarks; {@code shift} moves dualpipe's makespan at P=16 (a regression when > 0). */
    static BenchmarkRun run(Path dir, String timestamp, double shift, double kernelError) throws Exception {
        List<String> entries = new ArrayList<>();
        String[] kinds = {"dualpipe", "1f1b", "zb1p"};
        double[] bubble = {0.06, 0.15, 0.05};
        for (int ranks : new int[]{16, 64}) {
            for (int k = 0; k < kinds.length; k++) {
                double makespan = 1000 + 100 * k + ranks + (k == 0 && ranks == 16 ? shift : 0);
                entries.add(JmhResultFixture.result(JMH + "SimulatorBenchmark.simulate", "thrpt",
                        Map.of("kind", kinds[k], "ranks", "" + ranks, "chunks", "128"), 5000, 100, "ops/s",
                        Map.of("exact_makespan", makespan, "exact_bubble_rate", bubble[k] * ranks / 16), Map.of()));
            }
        }
        for (String policy : new String[]{"reference", "improved"}) {
            for (String deployment : new String[]{"prefill", "decode"}) {
                boolean reference = policy.equals("reference");
                entries.add(JmhResultFixture.result(JMH + "EplbBenchmark.rebalance", "avgt",
                        Map.of("policy", policy, "deployment", deployment), reference ? 0.5 : 200, reference ? 0.02 : 60,
                        "ms/op", Map.of("exact_balancedness", reference ? 0.74 : 0.79), Map.of()));
            }
        }
        String[] kernels = {"add", "scale", "geluTanh", "softmax", "topK"};
        for (int i = 0; i < kernels.length; i++) {
            for (String impl : new String[]{"vector", "scalar"}) {
                double gb = impl.equals("vector") ? 70.0 / (i + 1) : 7.0 / (i + 1);
                entries.add(JmhResultFixture.result(JMH + "KernelBenchmark." + kernels[i], "thrpt",
                        Map.of("impl", impl, "size", "1048576"), gb * 100, gb * 100 * kernelError, "ops/s", Map.of(),
                        Map.of("gbytes", new double[]{gb, gb * kernelError})));
            }
        }
        return JmhResultFixture.run(dir, timestamp, "quick", entries.toArray(String[]::new));
    }

    @Test
    void firstScreenShouldHoldTheVerdictAndThePipelineEplbAndKernelCharts(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find();
        BenchmarkRun older = run(dir, "20261120-100000", 0, 0.02);
        BenchmarkRun baseline = run(dir, "20261125-100000", 0, 0.02);
        BenchmarkRun current = run(dir, "20261127-100000", 7, 3.0);
        List<Verdict> verdicts = new RegressionGate(Thresholds.defaults()).compare(baseline, current);
        Path page = dir.resolve("index.html");
        new BenchmarkReport(current, verdicts, List.of(older, baseline), "data/baselines/quick.json").write(page);

        String html = Files.readString(page);
        assertTrue(html.contains("FAIL against data/baselines/quick.json: 1 failing"), "the gate's verdict");
        int changes = html.indexOf("What changed");
        assertTrue(html.indexOf("REGRESSED", changes) > changes, "the regression is listed under what changed");
        assertTrue(html.contains("<details><summary>"), "unchanged rows are folded away");
        assertTrue(html.contains("too short to judge"), "a ±300% interval is too short to judge");
        assertTrue(!html.contains("<script") && !html.matches("(?s).*(src|href)=[\"']?https?:.*"),
                "works offline: no script, nothing fetched");

        chromium.assertRendersCleanly(page, dir);
        List<String> charts = chromium.open(page, dir).charts();
        for (String title : List.of("Pipeline bubble rate", "EPLB rebalance time vs DeepSeek", "Kernels: vector vs scalar twin")) {
            String chart = charts.stream().filter(c -> c.endsWith(":" + title)).findFirst()
                    .orElseThrow(() -> new AssertionError(title + " not among " + charts));
            String[] size = chart.substring(chart.indexOf('=') + 1, chart.indexOf('@')).split("x");
            int top = Integer.parseInt(chart.substring(chart.indexOf('@') + 1, chart.indexOf(':')));
            assertTrue(top + Integer.parseInt(size[1]) <= FIRST_SCREEN, title + " is on the first screen: " + chart);
        }

        BufferedImage shot = ImageIO.read(chromium.screenshot(page, dir.resolve("first-screen.png"), 1280, FIRST_SCREEN)
                .toFile());
        assertEquals(1280, shot.getWidth());
        int banner = count(shot, 0xFBE3E3, 0, 200);
        int blue = count(shot, 0x4C78A8, 0, FIRST_SCREEN);
        int orange = count(shot, 0xF58518, 0, FIRST_SCREEN);
        int green = count(shot, 0x54A24B, 0, FIRST_SCREEN);
        assertTrue(banner > 2000, "the red FAIL banner is painted (" + banner + " sampled pixels)");
        assertTrue(blue > 500 && orange > 500 && green > 200, "headline bars are painted: blue " + blue + ", orange "
                + orange + ", green " + green);
    }

    /** Pixels (every second row and column) within ±16 per channel of {@code rgb}, between rows y0 and y1. */
    private static int count(BufferedImage image, int rgb, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < Math.min(y1, image.getHeight()); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int p = image.getRGB(x, y) & 0xFFFFFF;
                if (Math.abs((p >> 16) - (rgb >> 16)) < 16 && Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) < 16
                        && Math.abs((p & 0xFF) - (rgb & 0xFF)) < 16) {
                    n++;
                }
            }
        }
        return n;
    }
}
