package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceDiffCommandTest {
    @Test
    void shouldListTheStepBubbleAndTopKernelChangesFrom1f1bToZbv() throws IOException {
        Path a = SharedData.require("gpu-traces/1f1b");
        Path b = SharedData.require("gpu-traces/torch_zbv");
        CommandRun r = CommandRun.run("trace-diff", a.toString(), b.toString(), "--format", "json", "--top", "5");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        // the gpu-traces README: step windows 383.98 and 758.02 ms, bubble rates 0.148 and 0.067
        assertEquals(383.98, root.get("step_a_us").asDouble() / 1000, 0.01);
        assertEquals(758.02, root.get("step_b_us").asDouble() / 1000, 0.01);
        assertEquals(root.get("step_b_us").asDouble() - root.get("step_a_us").asDouble(),
                root.get("step_delta_us").asDouble(), 1e-6);
        assertEquals(0.148, root.get("bubble_rate_a").asDouble(), 0.0005);
        assertEquals(0.067, root.get("bubble_rate_b").asDouble(), 0.0005);
        double[] bubbleA = {56.92, 57.12, 57.09, 55.43};
        double[] bubbleB = {38.04, 51.06, 58.69, 54.85};
        for (int rank = 0; rank < 4; rank++) {
            JsonNode row = root.get("ranks").get(rank);
            assertEquals(bubbleA[rank], row.get("bubble_a_us").asDouble() / 1000, 0.01);
            assertEquals(bubbleB[rank], row.get("bubble_b_us").asDouble() / 1000, 0.01);
        }
        JsonNode kernels = root.get("kernels");
        assertEquals(5, kernels.size());
        double previous = Double.MAX_VALUE;
        for (JsonNode k : kernels) {
            double impact = Math.abs(k.get("delta_us").asDouble());
            assertTrue(impact <= previous, "ranked by |delta|");
            previous = impact;
            assertEquals(k.get("sum_b_us").asDouble() - k.get("sum_a_us").asDouble(), k.get("delta_us").asDouble(), 1e-6);
        }
        // the 1F1B step ends with a long all-reduce wait; ZBV's send/recv count grows with its 8 stages
        assertTrue(kernels.get(0).get("name").asText().startsWith("ncclDevKernel_AllReduce"), kernels.toString());
        JsonNode sendRecv = kernels.get(1);
        assertTrue(sendRecv.get("name").asText().startsWith("ncclDevKernel_SendRecv("), sendRecv.toString());
        assertEquals(132, sendRecv.get("count_a").asInt());
        assertEquals(480, sendRecv.get("count_b").asInt());
        JsonNode onlyInA = null;
        for (JsonNode x : root.get("annotations")) {
            if (x.get("name").asText().equals("sim:comm")) {
                onlyInA = x;
            }
        }
        assertTrue(onlyInA != null && onlyInA.get("only_in").asText().equals("A"), root.get("annotations").toString());
    }

    @Test
    void shouldRejectANonPositiveTopInOneLine() {
        CommandRun r = CommandRun.run("trace-diff", "a.json", "b.json", "--top", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--top (0) must be >= 1"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
