package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.HostCalibration;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrateCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();



    /** The one test that really calibrates (about 2 s): stdout is one JSON document with every key. */
    @Test
    void jsonIsOneDocumentWithFiguresAndSpec() throws IOException {
        CommandRun run = CommandRun.run("calibrate", "--format", "json");
        assertEquals(0, run.exit(), run.err());
        JsonNode root;
        try (var parser = MAPPER.createParser(run.out())) {
            root = MAPPER.readTree(parser);
            assertEquals(null, parser.nextToken(), "nothing may follow the JSON document");
        }
        for (String key : new String[]{"gemm_gflops_1_thread", "gemm_gflops_all_threads", "stream_gb_per_s",
                "launch_overhead_us", "elapsed_s"}) {
            assertTrue(root.path(key).isNumber(), key + " in " + run.out());
            assertTrue(root.get(key).asDouble() >= 0, key);
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), root.path("threads").asInt());
        JsonNode spec = root.path("spec");
        assertEquals("host (calibrated)", spec.path("name").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), spec.path("num_sms").asInt());
        for (String key : new String[]{"fp32_flops_per_sm", "bf16_flops_per_sm", "fp8_flops_per_sm", "hbm_gb_per_s"}) {
            assertTrue(spec.path(key).asDouble() > 0, key + " in " + run.out());
        }
        assertTrue(spec.path("launch_overhead_ns").isIntegralNumber());
        assertTrue(run.err().contains("measuring"), "progress goes to stderr: " + run.err());
    }

    @Test
    void badFormatIsOneLineAndExitTwoWithoutCalibrating() {
        CommandRun run = CommandRun.run("calibrate", "--format", "xml");
        assertEquals(Parabench.EXIT_BAD_INPUT, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().contains("--format") && run.err().contains("xml"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void textListsFiguresThenSpec() {
        // hand-made figures: 2 threads at 150 GFLOP/s together, so 75 per SM
        HostCalibration.Figures f = new HostCalibration.Figures("vector 512-bit", 2, 512, 100, 150,
                32 << 20, 20, 8.5, 2.1);
        DeviceSpec d = new DeviceSpec("host (calibrated)", 2, 75e9, 75e9, 75e9, 1L << 30, 20e9, 20e9, 20e9, 8_500);
        String text = CalibrateCommand.text(new HostCalibration.Result(f, d));
        assertTrue(text.startsWith("host calibration: vector 512-bit kernels, 2 threads, 2.1 s\n"), text);
        assertTrue(text.contains("GEMM fp32 512³, 2 threads"), text);
        assertTrue(text.contains("150.0 GFLOP/s (scaling 0.75)"), text);
        assertTrue(text.contains("add, 3 × 32 MiB arrays"), text);
        assertTrue(text.contains("device spec \"host (calibrated)\""), text);
        assertTrue(text.matches("(?s).*FP32 per SM \\(BF16, FP8 the same\\)\\s+75\\.0 GFLOP/s.*"), text);
        assertTrue(text.matches("(?s).*launch overhead\\s+8\\.5 µs.*"), text);
    }
}
