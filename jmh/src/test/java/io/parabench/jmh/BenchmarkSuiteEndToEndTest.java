package io.parabench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite end to end on a tiny profile (one simulator benchmark, one short iteration, one
 * fork): the report appears with populated charts; a baseline planted with a better exact
 * metric fails the gate naming benchmark, metric and both values; a worse one passes as an
 * improvement; accepting records baseline and history.
 */
class BenchmarkSuiteEndToEndTest {
    private static final String PARAMS = "kind=dualpipe;ranks=4;chunks=16";

    private static BenchmarkSuite suite(Path root, boolean accept) {
        return new BenchmarkSuite(root, Profile.TINY, "SimulatorBenchmark", BenchmarkSuite.params(PARAMS), accept, false);
    }

    private record Outcome(int exit, String stderr) {
    }

    private static Outcome run(BenchmarkSuite suite, String timestamp) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Outcome(suite.run(timestamp), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    /** Copies a run's JMH result into a baseline file with exact_makespan shifted by {@code delta}. */
    private static double plantBaseline(Path jmhJson, Path baseline, double delta) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ArrayNode results = (ArrayNode) json.readTree(jmhJson.toFile());
        ObjectNode makespan = (ObjectNode) results.get(0).get("secondaryMetrics").get("exact_makespan");
        ArrayNode raw = (ArrayNode) makespan.get("rawData").get(0);
        double actual = raw.get(0).asDouble();
        for (int i = 0; i < raw.size(); i++) {
            raw.set(i, DoubleNode.valueOf(actual + delta));
        }
        ObjectNode run = json.createObjectNode();
        run.put("parabench_run", 1);
        run.put("timestamp", "20000101-000000");
        run.put("profile", "quick");
        run.set("jmh", results);
        Files.createDirectories(baseline.getParent());
        json.writeValue(baseline.toFile(), run);
        return actual;
    }

    @Test
    void shouldReportThenGateOnExactMetrics(@TempDir Path root) throws Exception {
        Outcome first = run(suite(root, false), "20261127-000001");
        assertEquals(0, first.exit, first.stderr);
        Path report = root.resolve("reports/index.html");
        String html = Files.readString(report);
        assertTrue(html.contains("SimulatorBenchmark.simulate{chunks=16,kind=dualpipe,ranks=4}"), "score table");
        assertTrue(html.contains("exact_makespan") && html.contains("exact_bubble_rate"), "secondary metrics");
        assertEquals(2, html.split("<svg", -1).length - 1, "score chart and trend chart");
        assertTrue(html.contains("no baseline yet"));

        Path jmhJson = root.resolve("reports/jmh/20261127-000001.json");
        Path baseline = root.resolve("data/baselines/quick.json");
        double makespan = plantBaseline(jmhJson, baseline, -1.0);
        Outcome planted = run(suite(root, false), "20261127-000002");
        assertEquals(1, planted.exit, "a better baseline makespan is a regression: " + planted.stderr);
        String expected = "FAIL io.parabench.jmh.SimulatorBenchmark.simulate{chunks=16,kind=dualpipe,ranks=4}"
                + " exact_makespan regressed: baseline " + fmt(makespan - 1) + ", current " + fmt(makespan);
        assertTrue(planted.stderr.contains(expected), planted.stderr);
        assertTrue(Files.readString(report).contains("REGRESSED"));

        plantBaseline(jmhJson, baseline, +1.0);
        Outcome improved = run(suite(root, false), "20261127-000003");
        assertEquals(0, improved.exit, improved.stderr);
        assertTrue(improved.stderr.contains("exact_makespan improved"), improved.stderr);

        Outcome accepted = run(suite(root, true), "20261127-000004");
        assertEquals(0, accepted.exit, accepted.stderr);
        JsonNode recorded = new ObjectMapper().readTree(baseline.toFile());
        assertEquals("20261127-000004", recorded.get("timestamp").asText());
        assertEquals("tiny", recorded.get("profile").asText());
        try (Stream<Path> history = Files.list(root.resolve("data/history"))) {
            assertEquals(List.of("20261127-000004-tiny.json"),
                    history.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** The gate's number format: whole numbers bare, others to six significant digits. */
    private static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    @Test
    void shouldRejectMalformedParams() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchmarkSuite.params("kind"));
        assertEquals("parabench.params (kind) must look like name=v1,v2;name2=v3", e.getMessage());
        assertEquals(Map.of(), BenchmarkSuite.params(""));
    }
}
