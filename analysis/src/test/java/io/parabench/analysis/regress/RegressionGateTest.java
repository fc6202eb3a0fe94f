package io.parabench.analysis.regress;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.BenchmarkRunFile;
import io.parabench.analysis.read.JmhResultFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionGateTest {
    @TempDir
    Path dir;

    private static final String SIM = JmhResultFixture.SIMULATE;

    /** A simulator result with its score and the per-iteration values of exact_makespan. */
    private static String entry(String mode, double score, double error, String unit, double... raw) {
        return JmhResultFixture.entry(16, mode, score, error, unit, raw);
    }

    private BenchmarkRun run(String profile, String... entries) throws Exception {
        return JmhResultFixture.run(dir, "20261127-000000", profile, entries);
    }

    private static Verdict find(List<Verdict> verdicts, String metric) {
        return verdicts.stream().filter(v -> v.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void plantedExactRegressionShouldFailNamingBenchmarkMetricAndValues() throws Exception {
        BenchmarkRun baseline = run("quick", entry("thrpt", 100, 1, "ops/s", 400, 400, 400));
        BenchmarkRun current = run("quick", entry("thrpt", 100, 1, "ops/s", 412.1, 412.1, 412.1));
        List<Verdict> verdicts = new RegressionGate(Thresholds.defaults()).compare(baseline, current);
        Verdict v = find(verdicts, "exact_makespan");
        assertEquals(Verdict.Status.REGRESSED, v.status());
        assertEquals(SIM + "{kind=dualpipe,ranks=16} exact_makespan regressed: baseline 400, current 412.100"
                + " (computed metric: any change is a behaviour change)", v.message());
        assertTrue(RegressionGate.fails(verdicts));
    }

    @Test
    void exactImprovementShouldPassAndBeReported() throws Exception {
        BenchmarkRun baseline = run("quick", entry("thrpt", 100, 1, "ops/s", 420, 420));
        BenchmarkRun current = run("quick", entry("thrpt", 100, 1, "ops/s", 412.1, 412.1));
        List<Verdict> verdicts = new RegressionGate(Thresholds.defaults()).compare(baseline, current);
        assertEquals(Verdict.Status.IMPROVED, find(verdicts, "exact_makespan").status());
        assertFalse(RegressionGate.fails(verdicts));
    }

    @Test
    void exactMetricThatDiffersBetweenIterationsShouldFail() throws Exception {
        BenchmarkRun baseline = run("quick", entry("thrpt", 100, 1, "ops/s", 412.1, 412.1));
        BenchmarkRun current = run("quick", entry("thrpt", 100, 1, "ops/s", 412.1, 413));
        Verdict v = find(new RegressionGate(Thresholds.defaults()).compare(baseline, current), "exact_makespan");
        assertEquals(Verdict.Status.NONDETERMINISTIC, v.status());
        assertTrue(v.message().contains("[412.1, 413.0]"), v.message());
    }

    @Test
    void throughputDropBeyondThresholdWithDisjointIntervalsShouldWarnNotFail() throws Exception {
        BenchmarkRun baseline = run("quick", entry("thrpt", 100, 1, "ops/s", 1));
        BenchmarkRun current = run("quick", entry("thrpt", 80, 1, "ops/s", 1));
        List<Verdict> verdicts = new RegressionGate(Thresholds.defaults()).compare(baseline, current);
        Verdict v = find(verdicts, "primary");
        assertEquals(Verdict.Status.SLOWER, v.status(), v.message());
        assertTrue(v.message().contains("(-20.0%)"), v.message());
        assertFalse(RegressionGate.fails(verdicts), "timed verdicts warn");
    }

    @Test
    void timePerOpShouldBeBetterLower() throws Exception {
        BenchmarkRun baseline = run("quick", entry("avgt", 2.0, 0.01, "ms/op", 1));
        BenchmarkRun faster = run("quick", entry("avgt", 1.5, 0.01, "ms/op", 1));
        BenchmarkRun slower = run("quick", entry("avgt", 2.5, 0.01, "ms/op", 1));
        RegressionGate gate = new RegressionGate(Thresholds.defaults());
        assertEquals(Verdict.Status.IMPROVED, find(gate.compare(baseline, faster), "primary").status());
        assertEquals(Verdict.Status.SLOWER, find(gate.compare(baseline, slower), "primary").status());
    }

    @Test
    void overlappingIntervalsOrSmallChangeShouldNotFlag() throws Exception {
        RegressionGate gate = new RegressionGate(Thresholds.defaults());
        BenchmarkRun baseline = run("quick", entry("thrpt", 100, 8, "ops/s", 1));
        assertEquals(Verdict.Status.SAME, find(gate.compare(baseline, run("quick", entry("thrpt", 88, 5, "ops/s", 1))),
                "primary").status(), "intervals overlap and are narrower than the threshold");
        BenchmarkRun tight = run("quick", entry("thrpt", 100, 0.1, "ops/s", 1));
        assertEquals(Verdict.Status.SAME, find(gate.compare(tight, run("quick", entry("thrpt", 95, 0.1, "ops/s", 1))),
                "primary").status(), "5% is under the 10% threshold");
        BenchmarkRun wide = run("quick", entry("thrpt", 100, 30, "ops/s", 1));
        assertEquals(Verdict.Status.UNRESOLVED, find(gate.compare(wide, run("quick", entry("thrpt", 80, 1, "ops/s", 1))),
                "primary").status(), "a ±30% interval cannot tell a 10% change");
    }

    @Test
    void perBenchmarkThresholdShouldOverrideDefault() throws Exception {
        Path props = dir.resolve("thresholds.properties");
        Files.writeString(props, ".*SimulatorBenchmark.* = 0.25\n");
        BenchmarkRun baseline = run("quick", entry("thrpt", 100, 1, "ops/s", 1));
        BenchmarkRun current = run("quick", entry("thrpt", 80, 1, "ops/s", 1));
        assertEquals(Verdict.Status.SAME,
                find(new RegressionGate(Thresholds.read(props)).compare(baseline, current), "primary").status());
    }

    @Test
    void runFileShouldRoundTripWithEnvironment() throws Exception {
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, "[" + entry("thrpt", 100, 1, "ops/s", 412.1) + "]");
        Path runFile = dir.resolve("baseline.json");
        BenchmarkRunFile.write(runFile, "20261127-120000", "quick", Map.of("cores", "2"), jmh);
        BenchmarkRun run = BenchmarkRunFile.read(runFile, "ignored", "ignored");
        assertEquals("quick", run.profile());
        assertEquals("20261127-120000", run.timestamp());
        assertEquals("2", run.environment().get("cores"));
        assertEquals(SIM + "{kind=dualpipe,ranks=16}", run.results().get(0).key());
        assertEquals("SimulatorBenchmark.simulate{kind=dualpipe,ranks=16}", run.results().get(0).shortKey());
    }

    @Test
    void malformedResultsShouldNameFileAndOffset() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"benchmark\": ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkRunFile.read(bad, "t", "quick"));
        assertTrue(e.getMessage().startsWith("benchmark results (" + bad + ") are not valid JSON at byte"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkRunFile.read(dir.resolve("none.json"), "t", "quick"));
        assertEquals("benchmark results (" + dir.resolve("none.json") + ") not found", missing.getMessage());
    }

    @Test
    void directionShouldComeFromUnitAndExactName() {
        assertEquals(Direction.HIGHER_IS_BETTER, Direction.ofUnit("ops/s"));
        assertEquals(Direction.HIGHER_IS_BETTER, Direction.ofUnit("ops/ms"));
        assertEquals(Direction.LOWER_IS_BETTER, Direction.ofUnit("us/op"));
        assertEquals(Direction.LOWER_IS_BETTER, Direction.ofExactName("exact_bubble_rate"));
        assertEquals(Direction.HIGHER_IS_BETTER, Direction.ofExactName("exact_balancedness"));
        assertEquals(Direction.UNKNOWN, Direction.ofExactName("exact_checksum"));
    }
}
