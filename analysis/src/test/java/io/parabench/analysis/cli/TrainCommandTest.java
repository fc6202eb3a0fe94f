package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {



    @Test
    void dualPipeStepMatchesTheReferenceAndWritesOneTracePerRank(@TempDir Path dir) throws Exception {
        Path traces = dir.resolve("traces");
        CommandRun r = CommandRun.run("train", "--kind", "dualpipe", "--ranks", "4", "--chunks", "8", "--width", "16", "--hidden", "32",
                "--tokens", "8", "--trace", traces.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("dualpipe", json.get("kind").asText());
        assertEquals(8, json.get("micro_batches").asInt());
        assertEquals(4, json.get("model_stages").asInt(), "each direction runs the 4 stages of one model");
        assertEquals(0.0, json.get("max_grad_diff").asDouble());
        assertEquals(0.0, json.get("max_loss_diff").asDouble());
        assertTrue(json.get("mean_loss").asDouble() > 0);
        double step = json.get("step_time(us)").asDouble();
        assertEquals(4, json.get("ranks").asInt());
        assertEquals(4, json.get("per_rank").size());
        for (JsonNode rank : json.get("per_rank")) {
            assertTrue(rank.get("busy(us)").asDouble() < step);
            assertTrue(rank.get("bubble").asDouble() > 0 && rank.get("bubble").asDouble() < 1);
        }
        for (int rank = 0; rank < 4; rank++) {
            Path trace = traces.resolve("rank-" + rank + ".json");
            assertTrue(Files.exists(trace), trace.toString());
            JsonNode events = new ObjectMapper().readTree(trace.toFile()).get("traceEvents");
            assertTrue(events.size() > 10);
        }
    }

    /** Title, loss check, step time and column header, then one line per rank. */
    @Test
    void textNamesTheCheckAndEveryRank() {
        CommandRun r = CommandRun.run("train", "--kind", "zb1p", "--ranks", "2", "--chunks", "3", "--width", "8", "--hidden", "16");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("max |grad - reference| 0"), r.out());
        assertTrue(r.out().contains("virtual step time"), r.out());
        assertEquals(4 + 2, r.out().strip().split("\n").length, r.out());
    }

    @Test
    void badSizesAreOneLineAndExitTwo() {
        CommandRun r = CommandRun.run("train", "--kind", "1f1b", "--ranks", "2", "--chunks", "4", "--width", "0");
        assertEquals(2, r.exit());
        assertFalse(r.err().isBlank());
        assertEquals("parabench train: --width (0) must be in 1..1024", r.err().strip());
        CommandRun big = CommandRun.run("train", "--kind", "1f1b", "--ranks", "64", "--chunks", "1024");
        assertEquals(2, big.exit());
        assertEquals("parabench train: --chunks (1024) x model stages (64) x 8 x width x hidden (8589934592 bytes of"
                + " per-micro-batch gradients) must be at most 1073741824; lower --chunks, --ranks, --width or --hidden",
                big.err().strip());
        CommandRun device = CommandRun.run("train", "--kind", "1f1b", "--ranks", "2", "--chunks", "4", "--device", "a100");
        assertEquals(2, device.exit());
        assertEquals("parabench train: device preset (a100) must be one of h800, h100, h200, host", device.err().strip());
    }

    /**
     * Big enough that C2 compiles the GELU kernels while the step runs: with the Vector API's
     * EXP/TANH (platform math stubs once compiled, Java fallbacks before) the pipelined run and
     * the reference differed in the last bits (5e-12 here); with ExpMath they cannot.
     */
    @Test
    void shouldStayBitEqualWhileTheJitCompilesTheKernels() throws Exception {
        CommandRun r = CommandRun.run("train", "--kind", "dualpipe", "--ranks", "4", "--chunks", "16", "--width", "128",
                "--hidden", "512", "--tokens", "128", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(0.0, json.get("max_grad_diff").asDouble(), r.out());
        assertEquals(0.0, json.get("max_loss_diff").asDouble(), r.out());
    }

    @Test
    void timingOnlyRunsARealSizedStepAndReportsTheChecksAsNotRun() throws Exception {
        CommandRun r = CommandRun.run("train", "--timing-only", "--kind", "1f1b", "--ranks", "4", "--chunks", "20",
                "--width", "2048", "--hidden", "8192", "--tokens", "4096", "--device", "h200", "--precision", "fp32",
                "--format", "json");
        assertEquals(0, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        // the real 1F1B step on 4 × H200 (gpu-traces/README.md) took 383.98 ms
        assertEquals(1, json.get("step_time(us)").asDouble() / 383_980, 0.05, r.out());
        assertTrue(json.get("mean_loss").isNull() && json.get("max_grad_diff").isNull(), r.out());
        assertEquals("not run (timing-only)", json.get("checks").asText());
        assertEquals(4, json.get("per_rank").size());
        CommandRun text = CommandRun.run("train", "--timing-only", "--kind", "dualpipev", "--ranks", "4", "--chunks", "8",
                "--width", "4096", "--hidden", "16384", "--tokens", "4096", "--precision", "bf16");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("timing-only: loss and gradient checks not run"), text.out());
        CommandRun bad = CommandRun.run("train", "--timing-only", "--kind", "1f1b", "--ranks", "2", "--chunks", "2",
                "--width", "70000");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--width (70000) must be in 1..65536 with --timing-only"), bad.err());
    }
}
