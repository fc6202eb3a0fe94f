package io.parabench.analysis.report;

import io.parabench.analysis.chart.HeadlineBar;
import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.MetricResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GEMM headline: every GEMM benchmark's GFLOP/s beside the calibrated peaks, with the vector width of each bar. */
class GemmHeadlineTest {
    private static final String CLASS = "io.parabench.jmh.GemmBenchmark.";

    private static BenchmarkResult result(String method, Map<String, String> params, double gflops) {
        MetricResult primary = new MetricResult("primary", 1, 0.01, 0.99, 1.01, "ops/s", new double[]{1, 1});
        MetricResult gflop = new MetricResult("gflop", gflops, gflops / 100, gflops * 0.99, gflops * 1.01, "ops/s",
                new double[]{gflops, gflops});
        return new BenchmarkResult(CLASS + method, "thrpt", 1, new TreeMap<>(params), primary, Map.of("gflop", gflop));
    }

    private static BenchmarkResult traffic(String method, Map<String, String> params, double gbytes) {
        MetricResult primary = new MetricResult("primary", 1, 0.01, 0.99, 1.01, "ops/s", new double[]{1, 1});
        MetricResult w = new MetricResult("wGbytes", gbytes, gbytes / 100, gbytes * 0.99, gbytes * 1.01, "ops/s",
                new double[]{gbytes, gbytes});
        return new BenchmarkResult(CLASS + method, "thrpt", 1, new TreeMap<>(params), primary, Map.of("wGbytes", w));
    }

    @Test
    void shouldShowDecodeShapesAsTheRateOfReadingWAgainstTheReadBoundPerThreadCount() {
        BenchmarkRun run = new BenchmarkRun("2026-12-02T20:45:00Z", "quick", Map.of("vector_bits", "512"),
                List.of(traffic("skinny", Map.of("m", "1", "threads", "1"), 13.7),
                        traffic("skinnyPacked", Map.of("m", "1", "threads", "1"), 21.2),
                        traffic("skinnyPacked", Map.of("m", "8", "threads", "2"), 27.2),
                        traffic("skinnyReadBound", Map.of("threads", "1"), 22.4),
                        traffic("skinnyReadBound", Map.of("threads", "2"), 36.5)));
        BenchmarkHeadlines.Headline decode = new BenchmarkHeadlines(run, List.of(run), Map.of()).build().stream()
                .filter(h -> h.title().startsWith("Decode")).findFirst().orElseThrow();
        assertEquals(Map.of("reading W once, 1 thread", 22.4, "reading W once, 2 threads", 36.5), decode.references());
        List<String> bars = decode.bars().stream().map(b -> b.series() + " " + b.category() + " " + b.value()).toList();
        assertEquals(List.of("W as stored m=1, 1 thread 13.7", "W packed once m=1, 1 thread 21.2",
                "W packed once m=8, 2 threads 27.2"), bars);
    }

    private static BenchmarkResult paired(Map<String, String> params, double productTime, double readTime) {
        return paired("skinnyPackedFromMemory", params, productTime, readTime);
    }

    private static BenchmarkResult paired(String method, Map<String, String> params, double productTime,
                                          double readTime) {
        MetricResult primary = new MetricResult("primary", 1, 0.01, 0.99, 1.01, "ops/s", new double[]{1, 1});
        MetricResult product = new MetricResult("productTime", productTime, productTime / 50, productTime * 0.98,
                productTime * 1.02, "ops/s", new double[]{productTime, productTime});
        MetricResult read = new MetricResult("readTime", readTime, readTime / 50, readTime * 0.98, readTime * 1.02,
                "ops/s", new double[]{readTime, readTime});
        return new BenchmarkResult(CLASS + method, "thrpt", 1, new TreeMap<>(params), primary,
                Map.of("productTime", product, "readTime", read));
    }

    /**
     * The paired share: read time over product time per decode shape, against the 70% line, with
     * the errors combined; the AVX2 fork's shapes are a series of their own, and a trend apart.
     */
    @Test
    void shouldShowThePairedDecodeShareAsReadTimeOverProductTime() {
        BenchmarkRun run = new BenchmarkRun("2026-12-03T04:55:00Z", "quick", Map.of("vector_bits", "512"),
                List.of(paired(Map.of("m", "1", "threads", "1"), 0.40, 0.60),
                        paired(Map.of("m", "8", "threads", "2"), 0.55, 0.44),
                        paired("skinnyPackedFromMemoryAvx2", Map.of("m", "8", "threads", "1"), 0.75, 0.25)));
        BenchmarkHeadlines.Headline share = new BenchmarkHeadlines(run, List.of(run), Map.of()).build().stream()
                .filter(h -> h.title().startsWith("Decode GEMM: share")).findFirst().orElseThrow();
        assertEquals(Map.of("issue 14 target", 70.0), share.references());
        List<String> bars = share.bars().stream().map(b -> b.series() + ": " + b.category()
                + String.format(Locale.ROOT, " %.1f ± %.2f", b.value(), b.error())).toList();
        // 2% relative error on each time: 2.83% of the share.
        assertEquals(List.of("W packed once: m=1, 1 thread 150.0 ± 4.24", "W packed once: m=8, 2 threads 80.0 ± 2.26",
                "W packed once, AVX2 (-XX:UseAVX=2): m=8, 1 thread 33.3 ± 0.94"), bars);
        assertEquals(80.0, share.trend().get("m=8, 2 threads")[0], 1e-9);
        assertEquals(100 * 0.25 / 0.75, share.trend().get("m=8, 1 thread, AVX2")[0], 1e-9);
    }

    private static BenchmarkResult beside(String method, String threads, double parabenchTime, double openblasTime,
                                          double gflopEach) {
        MetricResult primary = new MetricResult("primary", 1, 0.01, 0.99, 1.01, "ops/s", new double[]{1, 1});
        MetricResult ours = new MetricResult("parabenchTime", parabenchTime, parabenchTime / 100, parabenchTime * 0.99,
                parabenchTime * 1.01, "ops/s", new double[]{parabenchTime, parabenchTime});
        MetricResult theirs = new MetricResult("openblasTime", openblasTime, openblasTime / 100, openblasTime * 0.99,
                openblasTime * 1.01, "ops/s", new double[]{openblasTime, openblasTime});
        MetricResult work = new MetricResult("gflopEach", gflopEach, 0, gflopEach, gflopEach, "ops/s",
                new double[]{gflopEach, gflopEach});
        return new BenchmarkResult("io.parabench.jmh.GemmBesideOpenBlasBenchmark." + method, "thrpt", 1,
                new TreeMap<>(Map.of("threads", threads, "size", "1024", "coreType", "auto")), primary,
                Map.of("parabenchTime", ours, "openblasTime", theirs, "gflopEach", work));
    }

    /** Beside OpenBLAS: OpenBLAS's time over parabench's per width and thread count, against the 90% line, with both rates. */
    @Test
    void shouldShowParabenchAsAShareOfOpenBlasTimedBesideIt() {
        BenchmarkRun run = new BenchmarkRun("2026-12-03T12:00:00Z", "quick", Map.of("vector_bits", "512"),
                List.of(beside("sgemm", "1", 0.52, 0.48, 98),
                        beside("sgemmAvx2", "1", 0.50, 0.50, 50),
                        beside("sgemm128Bit", "2", 0.20, 0.28, 17)));
        BenchmarkHeadlines.Headline h = new BenchmarkHeadlines(run, List.of(run), Map.of()).build().stream()
                .filter(x -> x.title().startsWith("parabench beside OpenBLAS")).findFirst().orElseThrow();
        assertEquals(Map.of("issue 14 target", 90.0), h.references());
        List<String> bars = h.bars().stream()
                .map(b -> b.category() + String.format(Locale.ROOT, " %.1f ± %.2f", b.value(), b.error())).toList();
        // 1% relative error on each time: 1.41% of the share.
        assertEquals(List.of("native width, 1 thread 92.3 ± 1.31", "AVX2, 1 thread 100.0 ± 1.41",
                "128-bit, 2 threads 140.0 ± 1.98"), bars);
        // 98 GFLOP in 0.52 and 0.48 of the iteration's seconds.
        assertTrue(h.caption().contains("native width, 1 thread 188 against 204"), h.caption());
        assertEquals(140.0, h.trend().get("128-bit, 2 threads")[0], 1e-9);
    }

    /** A run whose forks ran another JVM (-jvm) says so beside the suite's own. */
    @Test
    void shouldNameTheForksJvmInTheReportHeader(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        BenchmarkRun run = new BenchmarkRun("2026-12-03T12:00:00Z", "quick",
                Map.of("vector_bits", "512", "java", "17.0.15+6", "fork_java", "25.0.3+9-LTS"),
                List.of(beside("sgemm", "1", 0.52, 0.48, 98)));
        java.nio.file.Path page = dir.resolve("index.html");
        new BenchmarkReport(run, List.of(), List.of(run), null).write(page);
        String html = java.nio.file.Files.readString(page);
        assertTrue(html.contains("java 17.0.15+6 (forks: 25.0.3+9-LTS) · 512-bit vectors"), html.substring(0, 2000));
    }

    @Test
    void shouldShowSquareNarrowedAndSkinnyGemmsAgainstThePeakWithTheirWidths() {
        BenchmarkRun run = new BenchmarkRun("2026-12-02T07:00:00Z", "quick",
                Map.of("vector_bits", "512", "gemm_peak_gflops_1_thread", "160.0", "gemm_peak_gflops_all_threads", "300.0",
                        "cores", "2"),
                List.of(result("gemm", Map.of("threads", "1", "size", "1024", "layout", "FORWARD"), 140),
                        result("gemm256Bit", Map.of(), 80),
                        result("gemm128Bit", Map.of(), 45),
                        result("gemmAvx2", Map.of(), 75),
                        result("skinny", Map.of("m", "8", "threads", "1"), 70)));
        BenchmarkHeadlines.Headline gemm = new BenchmarkHeadlines(run, List.of(run), Map.of()).build().stream()
                .filter(h -> h.title().startsWith("GEMM")).findFirst().orElseThrow();
        assertEquals("GEMM fp32 GFLOP/s (512-bit vectors)", gemm.title());
        assertEquals(Map.of("calibrated peak, 1 thread", 160.0, "calibrated peak, 2 threads", 300.0), gemm.references());
        List<String> categories = gemm.bars().stream().map(HeadlineBar::category).toList();
        assertTrue(categories.contains("1024³ FORWARD at 256-bit vectors"), categories.toString());
        assertTrue(categories.contains("1024³ FORWARD at 128-bit vectors"), categories.toString());
        assertTrue(categories.contains("m=8 ×2048×2048 FORWARD (skinny)"), categories.toString());
        assertEquals(80, gemm.bars().stream().filter(b -> b.category().contains("256-bit vectors")).findFirst().orElseThrow().value());
        assertEquals(75, gemm.bars().stream().filter(b -> b.category().equals("1024³ FORWARD with AVX2 (256-bit, 16 registers)"))
                .findFirst().orElseThrow().value());
    }
}
