package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void predictAddsAPredictionToEveryRowKeepsTheOtherFieldsAndScoresEachGroup() throws Exception {
        Path file = SharedData.require("gpu-kernels/h200-kernels.json");
        CommandRun r = CommandRun.run("device", "predict", "--device", "h200", "--kernels", file.toString(),
                "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode out = MAPPER.readTree(r.out());
        JsonNode in = MAPPER.readTree(file.toFile());
        assertEquals(in.get("gemm").size(), out.get("gemm").size());
        for (int i = 0; i < in.get("gemm").size(); i++) {
            JsonNode row = out.get("gemm").get(i);
            assertEquals(in.get("gemm").get(i).get("kernel_names"), row.get("kernel_names"), "fields kept, in order");
            assertTrue(row.get("predicted_us").asDouble() > 0);
        }
        for (JsonNode row : out.get("mem")) {
            assertTrue(row.get("predicted_us").asDouble() > 0);
        }
        for (JsonNode row : out.get("mlp")) {
            assertTrue(row.has("predicted_F_us") && row.has("predicted_B_us") && row.has("predicted_B_input_us"));
        }
        JsonNode summary = out.get("summary");
        for (String group : new String[] {"gemm fp32", "gemm tf32", "gemm bf16", "gemm fp8", "mem copy", "mem add",
                "mem gelu_tanh", "mem gelu_tanh_backward", "mem softmax_256", "mem row_sum_8192"}) {
            assertTrue(summary.get(group).get("median_abs_error").asDouble() <= 0.10, group);
            assertTrue(summary.get(group).get("p90_abs_error").asDouble() <= 0.25, group);
        }
        assertTrue(summary.get("mlp fp32 h=2048 F").get("median_abs_error").asDouble() <= 0.05);
        assertTrue(summary.get("contention gemm+copy").get("p90_abs_error").asDouble() <= 0.15);
        assertTrue(summary.get("contention gemm+gemm").get("p90_abs_error").asDouble() <= 0.15);
        // the datasheet roofline, for comparison, is far off
        JsonNode roofline = MAPPER.readTree(CommandRun.run("device", "predict", "--clock", "roofline", "--kernels",
                file.toString(), "--format", "json").out()).get("summary");
        assertTrue(roofline.get("gemm bf16").get("median_abs_error").asDouble() > 0.2);
    }

    @Test
    void fitWritesASpecThatPredictAndTrainAccept(@TempDir Path dir) throws Exception {
        Path file = SharedData.require("gpu-kernels/h200-kernels.json");
        Path spec = dir.resolve("h200.json");
        CommandRun fit = CommandRun.run("device", "fit", file.toString(), "--out", spec.toString());
        assertEquals(0, fit.exit(), fit.err());
        assertTrue(fit.out().contains("gemm bf16"), fit.out());
        JsonNode written = MAPPER.readTree(spec.toFile());
        assertEquals("NVIDIA H200", written.get("name").asText());
        assertEquals(132, written.get("num_sms").asInt());
        CommandRun predict = CommandRun.run("device", "predict", "--device", spec.toString(), "--kernels", file.toString());
        assertEquals(0, predict.exit(), predict.err());
        CommandRun train = CommandRun.run("train", "--kind", "1f1b", "--ranks", "2", "--chunks", "2",
                "--device-spec", spec.toString(), "--format", "json");
        assertEquals(0, train.exit(), train.err());
        assertEquals("NVIDIA H200", MAPPER.readTree(train.out()).get("device").asText());
    }

    @Test
    void badInputIsOneLineWithExitTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"gemm\":[{\"precision\":\"fp16\",\"m\":1,\"n\":1,\"k\":1}]}");
        CommandRun r = CommandRun.run("device", "predict", "--kernels", bad.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("precision (fp16) must be one of fp32, tf32, bf16, fp8"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CommandRun clock = CommandRun.run("device", "predict", "--clock", "exact", "--kernels", bad.toString());
        assertEquals(2, clock.exit());
        assertTrue(clock.err().contains("--clock (exact) must be calibrated or roofline"), clock.err());
    }
}
