package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;
import io.parabench.trace.KernelArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trace-stats} summarises a trace larger than its heap: a 40 MB trace in a forked JVM
 * capped at 32 MB. Loading the JSON as a tree would need several times the file size; the
 * streaming reader keeps about 41 bytes per GPU event. (The 200 MB trace in a 256 MB heap is
 * {@code TraceReadBenchmark}, which also reports the MB/s.)
 */
class BoundedMemoryTest {
    private static final String KERNEL = "void cutlass::device_kernel<dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::"
            + "GemmKernel>(dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::Params)";

    @Test
    void shouldSummariseATraceLargerThanTheHeap(@TempDir Path dir) throws IOException, InterruptedException {
        Path trace = dir.resolve("big.json");
        long kernels = 0;
        try (ChromeTraceWriter w = ChromeTraceWriter.open(trace, List.of(new DeviceProperties(0, "gpu", 132)), 0, 1)) {
            long t = 0;
            while (kernels < 170_000) {
                // 10 µs kernels back to back on stream 7, with a 1 µs gap after every 10th
                w.complete(EventCategory.KERNEL, KERNEL, 0, 7, t, 10_000, new KernelArgs(0, 7, 132, 384, -1, -1, -1));
                t += kernels % 10 == 9 ? 11_000 : 10_000;
                kernels++;
            }
        }
        long size = Files.size(trace);
        assertTrue(size > 40_000_000L, "trace is " + size + " bytes");

        Path out = dir.resolve("out.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Parabench.class.getName(), "trace-stats", trace.toString(), "--format", "json")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), err);
        JsonNode device = new ObjectMapper().readTree(out.toFile()).get("0");
        // 170,000 kernels of 10 µs, a 1 µs gap after every 10th except the last: span = 1.7e6 + 16,999 µs
        assertEquals(1_700_000.0 + 16_999.0, device.get("span_us").asDouble());
        assertEquals(1_700_000.0, device.get("busy_us").asDouble());
        assertEquals(1.0 * 1_700_000 / 1_716_999, device.get("sm_occupancy_avg").asDouble(), 1e-12);
    }

    // Issue 11 item 6: a 9.7 MB .gz with 30 M events needed 3.1 GB RSS. The reader's columns now
    // take 45 bytes a kernel, grow in blocks without copying, and are charged against the heap:
    // a trace that does not fit is refused in one line before the heap runs out.
    @Test
    void shouldRefuseAGzipWhoseEventsDoNotFitTheHeapInOneLine(@TempDir Path dir) throws IOException, InterruptedException {
        Path trace = dir.resolve("bomb.json.gz");
        try (java.io.Writer w = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(trace), 1 << 16), StandardCharsets.US_ASCII)) {
            w.write("{\"traceEvents\":[");
            for (int i = 0; i < 1_200_000; i++) {
                w.write("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":7,\"ts\":" + i
                        + ",\"dur\":1},");
            }
            w.write("{}]}");
        }
        assertTrue(Files.size(trace) < 10_000_000L, "a small file: " + Files.size(trace) + " bytes");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Parabench.class.getName(), "trace-stats", trace.toString(), "--format", "json")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("bomb.json.gz at byte offset"), err);
        assertTrue(err.matches("(?s).*need more than \\d+ MiB, the reader's share \\(45%\\) of the heap's \\d+ MiB;"
                + " raise the heap.*"), err);
    }
}
