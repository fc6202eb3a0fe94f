package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareCommandTest {

    private static JsonNode kind(JsonNode json, String kind) {
        for (JsonNode s : json.get("schedules")) {
            if (s.get("kind").asText().equals(kind)) {
                return s;
            }
        }
        throw new AssertionError("no " + kind + " in " + json);
    }

    @Test
    void shouldCompareEveryScheduleOnTheSameModel(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("cmp.svg");
        CommandRun r = CommandRun.run("compare", "--ranks", "8", "--chunks", "32", "--fb", "3",
                "--format", "json", "--chart", chart.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(7, json.get("schedules").size());
        // the DualPipe README's formulas, F=1 B=2 W=1 F&B=3, PP=8
        assertEquals(21.0, kind(json, "1f1b").get("max_bubble").asDouble(), 1e-9);
        assertEquals(7.0, kind(json, "zb1p").get("max_bubble").asDouble(), 1e-9);
        assertEquals(6.0, kind(json, "dualpipe").get("max_bubble").asDouble(), 1e-9);
        assertEquals(2.0, kind(json, "dualpipe").get("parameters").asDouble(), "two copies of the parameters");
        // Megatron's interleaved bubble (PP-1)(F+B)/v with v=2: each of its stages is half a 1/P share
        assertEquals(10.5, kind(json, "interleaved").get("max_bubble").asDouble(), 1e-9);
        // DualPipeV: 2P half-size stages; 17 half-stage activations on a rank = 8.5 shares
        assertEquals(8.5, kind(json, "dualpipev").get("peak_activations").asDouble(), 1e-9);
        assertEquals(1.0, kind(json, "dualpipev").get("parameters").asDouble());
        assertTrue(Files.readString(chart).contains("dualpipev"));
        // ZB-V: the V layout of DualPipeV, one copy of the parameters, 1F1B's peak memory (P shares)
        assertEquals(1.0, kind(json, "zbv").get("parameters").asDouble());
        assertEquals(8.0, kind(json, "zbv").get("peak_activations").asDouble(), 1e-9);
    }

    @Test
    void shouldListSchedulesWhoseRulesTheSizeBreaks() throws Exception {
        CommandRun r = CommandRun.run("compare", "--ranks", "3", "--chunks", "20",
                "--kinds", "dualpipe,1f1b", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("ranks (3) must be even for dualpipe (rank r pairs with rank P-1-r)",
                kind(json, "dualpipe").get("error").asText());
        assertEquals(6.0, kind(json, "1f1b").get("max_bubble").asDouble(), 1e-9);
    }

    @Test
    void shouldRejectUnknownKindAndBadChartBeforeWork() {
        assertEquals(2, CommandRun.run("compare", "--ranks", "4", "--chunks", "8", "--kinds", "pipedream").exit());
        CommandRun r = CommandRun.run("compare", "--ranks", "4", "--chunks", "8", "--chart", "x.gif");
        assertEquals(2, r.exit());
        assertEquals("parabench compare: --chart (x.gif) must end in .svg or .png", r.err().strip());
    }
}
