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

class PlanCommandTest {

    @Test
    void shouldReturnOnlyConfigurationsThatFit(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("plan.svg");
        CommandRun r = CommandRun.run("plan", SharedData.require("gpu-traces/1f1b").toString(), "--max-activations", "4.5",
                "--chunks-range", "8..16", "--format", "json", "--chart", chart.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("fitting").asInt() < json.get("configurations").asInt(), "some must not fit 4.5 activations");
        for (JsonNode c : json.get("pareto")) {
            assertTrue(c.get("peak_activations").asDouble() <= 4.5, c.toString());
        }
        JsonNode best = json.get("best");
        assertTrue(best.get("peak_activations").asDouble() <= 4.5);
        assertEquals(best.get("us_per_micro_batch").asDouble(),
                json.get("pareto").get(json.get("pareto").size() - 1).get("us_per_micro_batch").asDouble(), 1e-9,
                "the fastest point of the front is the best");
        assertTrue(Files.readString(chart).contains("<svg"));
    }

    @Test
    void shouldRequireOneMemoryLimit() {
        CommandRun none = CommandRun.run("plan", "any-dir");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("a memory limit is required"), none.err());
        CommandRun both = CommandRun.run("plan", "any-dir", "--max-activations", "4", "--memory-cap", "80");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("excludes --memory-cap"), both.err());
        CommandRun range = CommandRun.run("plan", "any-dir", "--max-activations", "4", "--chunks-range", "8-16");
        assertEquals(2, range.exit());
        assertTrue(range.err().contains("--chunks-range (8-16) must be a..b"), range.err());
    }
}
