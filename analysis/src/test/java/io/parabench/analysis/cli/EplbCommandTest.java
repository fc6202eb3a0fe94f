package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EplbCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String README_CASE = "[{\"weight\":[[90,132,40,61,104,165,39,4,73,56,183,86],"
            + "[20,107,104,64,19,197,187,157,172,86,16,27]],\"num_replicas\":16,\"num_groups\":4,"
            + "\"num_nodes\":2,\"num_gpus\":8}]";

    @TempDir
    Path dir;



    /** Parses stdout as exactly one JSON document, failing on anything after it. */
    private static JsonNode onlyJson(String stdout) throws IOException {
        try (var parser = MAPPER.createParser(stdout)) {
            JsonNode node = MAPPER.readTree(parser);
            assertEquals(null, parser.nextToken(), "nothing may follow the JSON document");
            return node;
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void shouldPrintTheReadmePlacementAsJson() throws IOException {
        CommandRun r = CommandRun.run("eplb", "--cases", write("readme.json", README_CASE).toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode cases = onlyJson(r.out());
        assertEquals(1, cases.size());
        JsonNode c = cases.get(0);
        assertEquals(MAPPER.readTree("[[5,6,5,7,8,4,3,4,10,9,10,2,0,1,11,1],[7,10,6,8,6,11,8,9,2,4,5,1,5,0,3,1]]"),
                c.get("phy2log"));
        assertEquals(MAPPER.readTree("[[1,2,1,1,2,2,1,1,1,1,2,1],[1,2,1,1,1,2,2,1,2,1,1,1]]"), c.get("logcnt"));
        assertEquals(2, c.get("log2phy").size());
        assertEquals(8, c.get("gpu_load").get(0).size());
        // layer 0 loads sum to 1033 over 8 GPUs; balancedness is mean/max, below 1
        double sum = 0;
        double max = 0;
        for (JsonNode g : c.get("gpu_load").get(0)) {
            sum += g.asDouble();
            max = Math.max(max, g.asDouble());
        }
        assertEquals(1033, sum, 1e-6);
        assertTrue(c.get("balancedness").asDouble() > 0 && c.get("balancedness").asDouble() <= 1);
    }

    @Test
    void shouldMatchTheReferenceOnEverySharedCaseThroughTheCommandLine() throws IOException {
        Path file = SharedData.require("eplb/reference-cases.json");
        CommandRun r = CommandRun.run("eplb", "--cases", file.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode got = onlyJson(r.out());
        JsonNode want = MAPPER.readTree(file.toFile());
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).get("phy2log"), got.get(i).get("phy2log"), "case " + i);
            assertEquals(want.get(i).get("logcnt"), got.get(i).get("logcnt"), "case " + i);
        }
    }

    @Test
    void shouldReachTheOptimumWithTheImprovedPolicyAndDrawTheChart() throws IOException {
        Path weights = write("w.json", "[600,560,120,120,20,10,10,10]");
        Path chart = dir.resolve("load.svg");
        CommandRun r = CommandRun.run("eplb", "--weights", weights.toString(), "--replicas", "16", "--groups", "1", "--nodes", "1",
                "--gpus", "8", "--policy", "improved", "--chart", chart.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        double max = 0;
        for (JsonNode g : onlyJson(r.out()).get("gpu_load").get(0)) {
            max = Math.max(max, g.asDouble());
        }
        assertEquals(560.0 / 3 + 10, max, 1e-4);
        String svg = Files.readString(chart);
        assertTrue(svg.startsWith("<svg") || svg.contains("<svg"), "an SVG document");
        assertTrue(svg.contains("after (improved)"), "legend names the policy");
    }

    @Test
    void shouldPrintATextSummaryOfOnePlan() throws IOException {
        Path weights = write("w.json", "[[600,560,120,120,20,10,10,10]]");
        CommandRun r = CommandRun.run("eplb", "--weights", weights.toString(), "--replicas", "16", "--groups", "1", "--nodes", "1",
                "--gpus", "8");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("232.00"), r.out()); // the reference's heaviest GPU, worked out in core's tests
        assertTrue(r.out().contains("phy2log[0]: 0 1 2 1 3 1 0 4 0 5 0 6 0 7 1 1"), r.out());
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void shouldSimulateServingDeterministically() throws IOException {
        String[] args = {"eplb", "--simulate", "30", "--experts", "32", "--layers", "2", "--replicas", "40",
                "--groups", "4", "--nodes", "2", "--gpus", "8", "--rebalance-every", "10", "--seed", "9",
                "--format", "json"};
        CommandRun a = CommandRun.run(args);
        CommandRun b = CommandRun.run(args);
        assertEquals(0, a.exit(), a.err());
        assertEquals(a.out(), b.out());
        JsonNode sim = onlyJson(a.out());
        assertEquals(30, sim.get("realised_balancedness").size());
        assertEquals(2, sim.get("rebalances").size());
        assertEquals(10, sim.get("rebalances").get(0).get("step").asInt());
    }

    @Test
    void shouldRejectBadInputWithOneLineAndExitCode2() throws IOException {
        Path readme = write("readme.json", README_CASE);
        assertBadInput(CommandRun.run("eplb", "--cases", readme.toString(), "--weights", readme.toString()),
                "must be exactly one of --cases FILE, --weights FILE or --simulate STEPS");
        assertBadInput(CommandRun.run("eplb", "--cases", dir.resolve("missing.json").toString()), "must be a readable file");
        assertBadInput(CommandRun.run("eplb", "--cases", readme.toString(), "--no-duplicate-on-gpu"), "needs --policy improved");
        assertBadInput(CommandRun.run("eplb", "--weights", write("nan.json", "[[1, \"NaN\"]]").toString(), "--replicas", "2",
                "--groups", "1", "--nodes", "1", "--gpus", "1"), "load of layer 0 expert 1 (NaN) must be finite and >= 0");
        assertBadInput(CommandRun.run("eplb", "--weights", write("nan-token.json", "[[1, NaN]]").toString(), "--replicas", "2",
                "--groups", "1", "--nodes", "1", "--gpus", "1"), "load of layer 0 expert 1 (NaN) must be finite and >= 0");
        Path broken = write("broken.json", "[[1, 2,");
        assertBadInput(CommandRun.run("eplb", "--weights", broken.toString(), "--replicas", "2", "--groups", "1", "--nodes", "1",
                "--gpus", "1"), broken + " is not valid JSON at line 1 column 8");
        assertBadInput(CommandRun.run("eplb", "--weights", write("ragged.json", "[[1,2],[3]]").toString(), "--replicas", "2",
                "--groups", "1", "--nodes", "1", "--gpus", "1"), "ragged");
        assertBadInput(CommandRun.run("eplb", "--weights", readme.toString(), "--replicas", "5", "--groups", "1", "--nodes", "1",
                "--gpus", "2"), "replicas (5) must be a multiple of gpus (2)");
        assertBadInput(CommandRun.run("eplb", "--weights", write("w.json", "[1,2,3]").toString(), "--replicas", "4",
                "--groups", "1", "--nodes", "1", "--gpus", "2", "--chart", "out.pdf"), "must end in .svg or .png");
        assertBadInput(CommandRun.run("eplb", "--cases", write("bad.json", "[{\"weight\":[[1,2]],\"num_replicas\":1,"
                + "\"num_groups\":1,\"num_nodes\":1,\"num_gpus\":1}]").toString()), "replicas (1) must be >= experts (2)");
    }

    @Test
    void shouldPrintNothingWhenALaterCaseCannotBePlanned() throws IOException {
        // case 1 has 2 experts per node but 3 slots per GPU: no way to avoid duplicates on a GPU
        Path file = write("two.json", "[{\"weight\":[[1,2,3,4]],\"num_replicas\":4,\"num_groups\":1,\"num_nodes\":1,"
                + "\"num_gpus\":2},{\"weight\":[[1,2]],\"num_replicas\":6,\"num_groups\":1,\"num_nodes\":1,"
                + "\"num_gpus\":2}]");
        CommandRun r = CommandRun.run("eplb", "--cases", file.toString(), "--policy", "improved", "--no-duplicate-on-gpu", "--format", "json");
        assertBadInput(r, "case 1: experts per node (2) must be >= replicas per GPU (3)");
        assertEquals("", r.out());
    }

    private static void assertBadInput(CommandRun r, String message) {
        assertEquals(Parabench.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("phy2log"), r.out());
    }
}
