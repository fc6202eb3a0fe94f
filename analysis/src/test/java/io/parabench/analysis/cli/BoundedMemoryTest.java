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
}
