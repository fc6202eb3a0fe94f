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

class PipelineCommandsTest {



    @Test
    void scheduleJsonShouldHaveExactlyTheReferenceShape() throws Exception {
        CommandRun r = CommandRun.run("schedule", "--kind", "dualpipe", "--ranks", "2", "--chunks", "4", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"kind\":\"dualpipe\",\"ranks\":2,\"chunks\":4,\"ops\":[[\"F0:0\",\"F1:0\",\"F0:1\",\"B1:0\","
                + "\"F1:1&B0:0\",\"B1:1\",\"b0:1\",\"W0:1\"],[\"F1:0\",\"F0:0\",\"F1:1\",\"B0:0\",\"F0:1&B1:0\",\"B0:1\","
                + "\"b1:1\",\"W1:1\"]]}", r.out().strip());
    }

    @Test
    void oddRanksForDualPipeShouldBeOneLineAndExitTwo() {
        CommandRun r = CommandRun.run("schedule", "--kind", "dualpipe", "--ranks", "3", "--chunks", "20");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("parabench schedule: ranks (3) must be even for dualpipe (rank r pairs with rank P-1-r)",
                r.err().strip());
    }

    @Test
    void unknownKindAndMissingOptionShouldExitTwo() {
        assertEquals(2, CommandRun.run("schedule", "--kind", "pipedream", "--ranks", "4", "--chunks", "8").exit());
        CommandRun missing = CommandRun.run("simulate", "--kind", "1f1b", "--ranks", "4");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--chunks"), missing.err());
    }

    @Test
    void simulateJsonShouldCarryReadmeFigures(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("dp.json");
        Path chart = dir.resolve("dp.svg");
        CommandRun r = CommandRun.run("simulate", "--kind", "dualpipe", "--ranks", "8", "--chunks", "20", "--f", "1", "--b", "2",
                "--w", "1", "--fb", "3", "--p2p", "0", "--format", "json", "--trace", trace.toString(),
                "--chart", chart.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(66.0, json.get("makespan").asDouble());
        assertEquals(8, json.get("ranks").size());
        for (JsonNode rank : json.get("ranks")) {
            assertEquals(6.0, rank.get("bubble").asDouble());
            assertEquals(60.0, rank.get("busy").asDouble());
            assertEquals(9, rank.get("peak_activations").asInt());
        }
        assertEquals(6.0 / 66.0, json.get("bubble_rate").asDouble(), 1e-12);
        assertTrue(Files.size(trace) > 1000);
        String svg = Files.readString(chart);
        assertTrue(svg.startsWith("<svg") && svg.contains("rank 7"), "gantt chart written");
    }

    @Test
    void badChartExtensionShouldFailBeforeWritingAnything(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        CommandRun r = CommandRun.run("simulate", "--kind", "1f1b", "--ranks", "2", "--chunks", "2", "--trace", trace.toString(),
                "--chart", dir.resolve("c.gif").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--chart (") && r.err().contains("must end in .svg or .png"), r.err());
        assertFalse(Files.exists(trace), "nothing is half-written");
    }
}
