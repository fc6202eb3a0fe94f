package io.parabench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite end to end on a tiny profile (one simulator benchmark, one short iteration, one
 * fork): no baseline fails; a partial run is refused by a strict accept and merged by
 * {@code accept=merge} (baseline and history together); a baseline planted with a better exact
 * metric fails the gate naming benchmark, metric and both values, a worse one passes as an
 * improvement, and a baseline entry the run lacks fails. stdout carries only the report path.
 */
class BenchmarkSuiteEndToEndTest {
    private static final String PARAMS = "kind=dualpipe;ranks=4;chunks=16";
    private static final String KEY = "io.parabench.jmh.SimulatorBenchmark.simulate{chunks=16,kind=dualpipe,ranks=4}";

    private static BenchmarkSuite suite(Path root, String accept, String jmh) {
        return CommandLine.populateCommand(new BenchmarkSuite(), "--root", root.toString(), "--profile", "tiny",
                "--include", "SimulatorBenchmark", "--params", PARAMS, "--accept", accept, "--jmh", jmh);
    }

    private record Outcome(int exit, String stdout, String stderr) {
    }

    private static Outcome run(BenchmarkSuite suite, String timestamp) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        try {
            int exit = suite.run(timestamp);
            return new Outcome(exit, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    /** The recorded baseline with exact_makespan shifted by {@code delta}; returns the recorded value. */
    private static double shiftBaseline(Path baseline, double delta) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode run = (ObjectNode) json.readTree(baseline.toFile());
        ObjectNode makespan = (ObjectNode) run.get("jmh").get(0).get("secondaryMetrics").get("exact_makespan");
        ArrayNode raw = (ArrayNode) makespan.get("rawData").get(0);
        double actual = raw.get(0).asDouble();
        for (int i = 0; i < raw.size(); i++) {
            raw.set(i, DoubleNode.valueOf(actual + delta));
        }
        Path shifted = baseline.resolveSibling("shifted.json");
        json.writeValue(shifted.toFile(), run);
        return actual;
    }

    @Test
    void shouldFailWithoutBaselineThenMergeThenGateOnExactMetrics(@TempDir Path root) throws Exception {
        Outcome first = run(suite(root, "false", ""), "20261127-000001");
        assertEquals(1, first.exit, "no baseline is a failure: " + first.stderr);
        assertTrue(first.stderr.contains("FAIL no baseline for profile 'tiny' (data/baselines/tiny.json)"), first.stderr);
        Path report = root.resolve("reports/index.html");
        assertEquals(report + System.lineSeparator(), first.stdout, "stdout is the report path alone");
        assertTrue(first.stderr.contains("# Run complete"), "JMH's progress is on stderr");
        String html = Files.readString(report);
        assertTrue(html.contains("Pipeline bubble rate") && html.contains("Pipeline makespan"), "headline charts");
        assertTrue(html.contains("NO BASELINE"));
        JsonNode kept = new ObjectMapper().readTree(root.resolve("reports/jmh/20261127-000001.json").toFile());
        assertTrue(kept.isArray() && kept.get(0).get("benchmark").asText().endsWith("SimulatorBenchmark.simulate"),
                "JMH's own JSON array is kept unchanged");

        Outcome strict = run(suite(root, "true", ""), "20261127-000002");
        assertEquals(1, strict.exit, strict.stderr);
        assertTrue(strict.stderr.contains("not accepted: the run is partial (-Dparabench.include=SimulatorBenchmark"
                + " -Dparabench.params=" + PARAMS + ")"), strict.stderr);
        Path baseline = root.resolve("data/baselines/tiny.json");
        assertTrue(Files.notExists(baseline), "a refused run records nothing");

        Outcome merged = run(suite(root, "merge", ""), "20261127-000003");
        assertEquals(0, merged.exit, merged.stderr);
        assertEquals("20261127-000003", new ObjectMapper().readTree(baseline.toFile()).get("timestamp").asText());
        try (Stream<Path> history = Files.list(root.resolve("data/history"))) {
            assertEquals(List.of("20261127-000003-tiny.json"), history.map(p -> p.getFileName().toString()).toList());
        }

        double makespan = shiftBaseline(baseline, -1.0);
        Files.move(baseline.resolveSibling("shifted.json"), baseline, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Outcome planted = run(suite(root, "false", ""), "20261127-000004");
        assertEquals(1, planted.exit, "a better baseline makespan is a regression: " + planted.stderr);
        String expected = "FAIL " + KEY + " exact_makespan regressed: baseline " + fmt(makespan - 1) + ", current "
                + fmt(makespan);
        assertTrue(planted.stderr.contains(expected), planted.stderr);
        assertTrue(Files.readString(report).contains("REGRESSED"));
        assertTrue(Files.readString(root.resolve("reports/summary.md")).contains("| REGRESSED | `SimulatorBenchmark"));

        // a worse baseline: the run is an improvement; -Dparabench.jmh options reach JMH
        shiftBaseline(baseline, +2.0);
        Files.move(baseline.resolveSibling("shifted.json"), baseline, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Outcome improved = run(suite(root, "false", "-i 2"), "20261127-000005");
        assertEquals(0, improved.exit, improved.stderr);
        assertTrue(improved.stderr.contains("exact_makespan improved"), improved.stderr);
        assertTrue(improved.stderr.contains("Iteration   2:"), "-i 2 from parabench.jmh ran two iterations");
    }

    /** The gate's number format: whole numbers bare, others to six significant digits. */
    private static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    @Test
    void userJmhOptionsShouldWinOverTheProfile(@TempDir Path root) {
        BenchmarkSuite quick = CommandLine.populateCommand(new BenchmarkSuite(), "--root", root.toString());
        Options options = quick.options(BenchmarkSuite.jmhOptions("-f 2 -wi 3 -prof gc SimulatorBenchmark"), Map.of(),
                root);
        assertEquals(2, options.getForkCount().get());
        assertEquals(3, options.getWarmupIterations().get());
        assertEquals(Profile.QUICK.measurementIterations, options.getMeasurementIterations().get(), "profile's");
        assertEquals(List.of("SimulatorBenchmark"), options.getIncludes());
        assertEquals("gc", options.getProfilers().get(0).getKlass());
        Options defaults = quick.options(BenchmarkSuite.jmhOptions(""), Map.of(), root);
        assertEquals(Profile.QUICK.forks, defaults.getForkCount().get());
        assertEquals(List.of("io\\.parabench\\.jmh\\..*"), defaults.getIncludes());
    }

    @Test
    void shouldRunTheOpenBlasPairOnlyWhenAskedFor(@TempDir Path root) {
        BenchmarkSuite quick = CommandLine.populateCommand(new BenchmarkSuite(), "--root", root.toString());
        Options defaults = quick.options(BenchmarkSuite.jmhOptions(""), Map.of(), root);
        assertTrue(defaults.getExcludes().contains("GemmBesideOpenBlasBenchmark\\..*"), defaults.getExcludes().toString());
        BenchmarkSuite asked = CommandLine.populateCommand(new BenchmarkSuite(), "--root", root.toString(),
                "--include", "GemmBesideOpenBlasBenchmark.sgemm$");
        Options named = asked.options(BenchmarkSuite.jmhOptions(""), Map.of(), root);
        assertEquals(List.of("GemmBesideOpenBlasBenchmark.sgemm$"), named.getIncludes());
        assertTrue(named.getExcludes().stream().noneMatch(e -> e.startsWith("GemmBesideOpenBlasBenchmark\\..")),
                named.getExcludes().toString());
        Options jmhIncluded = quick.options(BenchmarkSuite.jmhOptions("GemmBesideOpenBlas"), Map.of(), root);
        assertTrue(jmhIncluded.getExcludes().stream().noneMatch(e -> e.startsWith("GemmBesideOpenBlasBenchmark\\..")),
                jmhIncluded.getExcludes().toString());
    }

    @Test
    void shouldNameForkJvmsOnlyWhenTheyAreNotTheSuites() {
        assertEquals(java.util.Optional.empty(), BenchmarkSuite.forkJava(List.of("17.0.15", "17.0.15"), "17.0.15"));
        assertEquals(java.util.Optional.empty(), BenchmarkSuite.forkJava(List.of(), "17.0.15"));
        assertEquals(java.util.Optional.of("25.0.3+9-LTS"), BenchmarkSuite.forkJava(List.of("25.0.3+9-LTS"), "17.0.15"));
        assertEquals(java.util.Optional.of("17.0.15, 25.0.3+9-LTS"),
                BenchmarkSuite.forkJava(List.of("25.0.3+9-LTS", "17.0.15"), "17.0.15"));
    }

    @Test
    void shouldRejectMalformedOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.params("kind"));
        assertEquals("parabench.params (kind) must look like name=v1,v2;name2=v3", e.getMessage());
        assertEquals(Map.of(), BenchmarkSuite.params(""));
        IllegalArgumentException jmh = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkSuite.jmhOptions("-f many"));
        assertTrue(jmh.getMessage().startsWith("parabench.jmh (-f many): "), jmh.getMessage());
        IllegalArgumentException accept = assertThrows(IllegalArgumentException.class,
                () -> io.parabench.analysis.regress.Acceptance.Mode.of("yes please"));
        assertEquals("parabench.accept (yes please) must be true, merge or replace", accept.getMessage());
    }
}
