package io.parabench.analysis.regress;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.JmhResultFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each way a run used to slip through the gate (issue 13): every one must now fail, with one
 * line naming what is wrong. Each of these passed the gate before the gate failed closed.
 */
class GateHolesTest {
    @TempDir
    Path dir;

    private static final String SIM = JmhResultFixture.SIMULATE;
    private final RegressionGate gate = new RegressionGate(Thresholds.defaults());

    private BenchmarkRun run(String profile, String... entries) throws Exception {
        return JmhResultFixture.run(dir, "20261127-000000", profile, entries);
    }

    private static String sim(int ranks, double makespan) {
        return JmhResultFixture.entry(ranks, "thrpt", 100, 1, "ops/s", makespan, makespan);
    }

    private static List<String> failing(List<Verdict> verdicts) {
        return verdicts.stream().filter(v -> v.status().fails()).map(Verdict::message).toList();
    }

    @Test
    void benchmarkInTheBaselineButNotInTheRunShouldFailNamingIt() throws Exception {
        BenchmarkRun baseline = run("quick", sim(16, 400), sim(64, 900));
        BenchmarkRun current = run("quick", sim(16, 400));
        List<String> failing = failing(gate.compare(baseline, current));
        assertEquals(List.of(SIM + "{kind=dualpipe,ranks=64}: in the baseline, not in this run (removed, renamed,"
                + " or its @Param values changed)"), failing);
    }

    @Test
    void metricInTheBaselineButNotInTheRunShouldFail() throws Exception {
        BenchmarkRun baseline = run("quick", sim(16, 400));
        BenchmarkRun renamed = run("quick", sim(16, 400).replace("exact_makespan", "exact_span"));
        List<String> failing = failing(gate.compare(baseline, renamed));
        assertEquals(List.of(SIM + "{kind=dualpipe,ranks=16} exact_makespan: in the baseline, not in this run"),
                failing);
    }

    @Test
    void emptyRunShouldFail() throws Exception {
        BenchmarkRun baseline = run("quick", sim(16, 400));
        BenchmarkRun empty = run("quick");
        List<String> failing = failing(gate.compare(baseline, empty));
        assertTrue(failing.contains("the run has no benchmark results"), failing.toString());
        assertTrue(RegressionGate.fails(gate.selfCheck(empty)), "empty even without a baseline");
    }

    @Test
    void nonNumericExactValueShouldFailEvenWhenTheBaselineHasTheSame() throws Exception {
        String nan = sim(16, 400).replace("\"rawData\":[[400.0,400.0]]", "\"rawData\":[[\"NaN\",\"NaN\"]]");
        BenchmarkRun baseline = run("quick", nan);
        BenchmarkRun current = run("quick", nan);
        List<String> failing = failing(gate.compare(baseline, current));
        assertEquals(List.of(SIM + "{kind=dualpipe,ranks=16} exact_makespan: not a finite number in this run (NaN)"),
                failing);
        assertTrue(RegressionGate.fails(gate.selfCheck(current)), "without a baseline too");
    }

    @Test
    void infiniteScoreShouldFail() throws Exception {
        BenchmarkRun baseline = run("quick", sim(16, 400));
        BenchmarkRun current = run("quick", JmhResultFixture.entry(16, "thrpt", Double.POSITIVE_INFINITY, 1, "ops/s", 400, 400)
                .replace("Infinity", "\"Infinity\""));
        List<String> failing = failing(gate.compare(baseline, current));
        assertEquals(List.of(SIM + "{kind=dualpipe,ranks=16} primary: not a finite number in this run (Infinity)"),
                failing);
    }

    @Test
    void profileMismatchShouldFail() throws Exception {
        BenchmarkRun quick = run("quick", sim(16, 400));
        BenchmarkRun gateRun = run("gate", sim(16, 400));
        List<String> failing = failing(gate.compare(quick, gateRun));
        assertEquals(List.of("profile mismatch: this run is 'gate', the baseline 'quick'"
                + " (compare runs of one profile: data/baselines/gate.json)"), failing);
    }

    @Test
    void benchmarkNewInTheRunShouldBeReportedAsNewAndPass() throws Exception {
        BenchmarkRun baseline = run("quick", sim(16, 400));
        BenchmarkRun current = run("quick", sim(16, 400), sim(64, 900));
        List<Verdict> verdicts = gate.compare(baseline, current);
        assertFalse(RegressionGate.fails(verdicts));
        assertTrue(verdicts.stream().anyMatch(v -> v.status() == Verdict.Status.NEW
                && v.benchmark().equals(SIM + "{kind=dualpipe,ranks=64}") && v.metric().equals("exact_makespan")));
    }

    @Test
    void intervalsWiderThanTheThresholdShouldSayTooShortToJudgeNotSame() throws Exception {
        BenchmarkRun baseline = run("quick", JmhResultFixture.entry(16, "thrpt", 100, 1000, "ops/s", 1));
        BenchmarkRun current = run("quick", JmhResultFixture.entry(16, "thrpt", 105, 900, "ops/s", 1));
        Verdict v = gate.compare(baseline, current).stream().filter(x -> x.metric().equals("primary")).findFirst()
                .orElseThrow();
        assertEquals(Verdict.Status.UNRESOLVED, v.status(), v.message());
        assertTrue(v.message().contains("too short to judge"), v.message());
        assertFalse(v.status().fails(), "timed metrics never fail");
    }

    @Test
    void profilerMetricsShouldNeverBeRequiredNorJudged() throws Exception {
        String withGc = sim(16, 400).replace("\"secondaryMetrics\":{", "\"secondaryMetrics\":{\"gc.alloc.rate\":{\"score\":10,"
                + "\"scoreError\":1,\"scoreConfidence\":[9,11],\"scoreUnit\":\"MB/sec\",\"rawData\":[[10]]},");
        BenchmarkRun baseline = run("quick", withGc);
        assertFalse(RegressionGate.fails(gate.compare(baseline, run("quick", sim(16, 400)))),
                "a baseline run with -prof gc does not require it of the next run");
        BenchmarkRun faster = run("quick", withGc.replace("\"score\":10,", "\"score\":50,")
                .replace("[9,11]", "[49,51]"));
        Verdict alloc = gate.compare(baseline, faster).stream().filter(v -> v.metric().equals("gc.alloc.rate"))
                .findFirst().orElseThrow();
        assertEquals(Verdict.Status.UNRESOLVED, alloc.status(), "MB/sec of allocation is not better higher: " + alloc);
    }
}
