package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoeCommandTest {
    private static JsonNode json(CommandRun r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void eplbPlacementMatchesTheReferenceAndUnloadsTheBusiestGpu() throws Exception {
        JsonNode balanced = json(CommandRun.run("moe", "--gpus", "4", "--experts", "16", "--replicas", "24",
                "--top-k", "2", "--skew", "6", "--clock", "roofline", "--format", "json"));
        JsonNode naive = json(CommandRun.run("moe", "--gpus", "4", "--experts", "16", "--top-k", "2", "--skew", "6",
                "--policy", "none", "--clock", "roofline", "--format", "json"));
        assertEquals(0.0, balanced.get("max_abs_diff").asDouble());
        assertEquals(0.0, naive.get("max_abs_diff").asDouble());
        assertEquals(24, balanced.get("replicas").asInt());
        assertEquals(16, naive.get("replicas").asInt());
        // 4 GPUs × 256 tokens × top-2 rows, spread over 4 GPUs
        assertEquals(512.0, balanced.get("mean_rows_per_gpu").asDouble());
        assertEquals(512.0, naive.get("mean_rows_per_gpu").asDouble());
        assertTrue(balanced.get("max_rows_per_gpu").asInt() < naive.get("max_rows_per_gpu").asInt());
        assertTrue(balanced.get("max_expert_busy(us)").asDouble() < naive.get("max_expert_busy(us)").asDouble());
        assertTrue(balanced.get("layer_time(us)").asDouble() >= balanced.get("max_expert_busy(us)").asDouble());
        assertEquals(4, balanced.get("per_gpu").size());
    }

    @Test
    void traceIsClassifiedByTraceStats(@TempDir Path dir) throws Exception {
        // the roofline clock: at this toy size the calibrated one is bound by 8 µs eager launches
        CommandRun r = CommandRun.run("moe", "--gpus", "2", "--experts", "8", "--top-k", "2", "--tokens", "64",
                "--clock", "roofline", "--trace", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("max |out - reference| 0"), r.out());
        Path trace = dir.resolve("moe.json");
        assertTrue(Files.exists(trace));
        JsonNode stats = json(CommandRun.run("trace-stats", trace.toString(), "--format", "json"));
        for (String id : new String[] {"0", "1"}) {
            JsonNode device = stats.get(id);
            assertTrue(device.get("comm_busy_us").asDouble() > 0, "deep_ep:: kernels count as communication: " + device);
            assertTrue(device.get("compute_busy_us").asDouble() > 0, device.toString());
            assertTrue(device.get("comm_overlap_ratio").asDouble() > 0, "chunked comm overlaps the experts: " + device);
        }
    }

    @Test
    void badInputIsOneLineWithExitTwo() {
        CommandRun r = CommandRun.run("moe", "--gpus", "4", "--replicas", "18");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("replicas (18) must be a multiple of gpus (4)"), r.err());
        CommandRun p = CommandRun.run("moe", "--policy", "best");
        assertEquals(2, p.exit());
        assertTrue(p.err().contains("--policy (best) must be reference or none"), p.err());
        CommandRun n = CommandRun.run("moe", "--policy", "none", "--replicas", "20");
        assertEquals(2, n.exit());
        assertTrue(n.err().contains("--replicas (20) must equal --experts (16)"), n.err());
    }

    @Test
    void timingOnlyRunsDeepSeekV3SizedLayerAndItsTraceReadsInTraceStats(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.run("moe", "--timing-only", "--gpus", "8", "--experts", "256", "--top-k", "8",
                "--width", "7168", "--hidden", "2048", "--tokens", "4096", "--precision", "fp8", "--device", "h800",
                "--format", "json", "--trace", dir.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode run = json(r);
        assertTrue(run.get("max_abs_diff").isNull(), r.out());
        assertEquals("not run (timing-only)", run.get("checks").asText());
        // 8 GPUs × 4096 tokens × top-8 rows over 8 GPUs
        assertEquals(32768.0, run.get("mean_rows_per_gpu").asDouble());
        assertTrue(run.get("layer_time(us)").asDouble() > run.get("max_expert_busy(us)").asDouble());
        JsonNode stats = json(CommandRun.run("trace-stats", dir.resolve("moe.json").toString(), "--format", "json"));
        for (int g = 0; g < 8; g++) {
            JsonNode device = stats.get(String.valueOf(g));
            assertTrue(device.get("comm_busy_us").asDouble() > 0 && device.get("compute_busy_us").asDouble() > 0,
                    device.toString());
        }
    }
}
