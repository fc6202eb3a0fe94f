package io.parabench.analysis.cli;

import io.parabench.analysis.read.JmhResultFixture;
import io.parabench.analysis.regress.BenchmarkData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportCommandTest {

    private static Path results(Path dir, String name, double makespan) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "[" + JmhResultFixture.entry(16, "thrpt", 100, 1, "ops/s", makespan, makespan) + "]");
        return file;
    }

    private static CommandRun report(Path results, Path against, Path dir, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("bench-report", results.toString(),
                "--against", against.toString(), "--history", dir.resolve("none").toString(), "--out",
                dir.resolve("report.html").toString()));
        args.addAll(java.util.List.of(more));
        return CommandRun.run(args.toArray(String[]::new));
    }

    @Test
    void shouldReportAndFailOnAnExactRegressionWithoutRunningJmh(@TempDir Path dir) throws Exception {
        Path baseline = results(dir, "baseline.json", 400);
        Path current = results(dir, "20261127-120000.json", 412.1);
        CommandRun r = report(current, baseline, dir, "--markdown", dir.resolve("summary.md").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("FAIL " + JmhResultFixture.SIMULATE + "{kind=dualpipe,ranks=16} exact_makespan"
                + " regressed: baseline 400, current 412.100"), r.err());
        assertEquals(dir.resolve("report.html").toString(), r.out().strip());
        assertTrue(Files.readString(dir.resolve("report.html")).contains("REGRESSED"));
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("| REGRESSED | `SimulatorBenchmark.simulate"
                + "{kind=dualpipe,ranks=16}` | exact_makespan | 400 | 412.100 | +3.0% |"));

        assertEquals(0, report(current, current, dir).exit(), "a run compared with itself passes");
    }

    @Test
    void baselineWithOneBenchmarkRemovedFromTheRunShouldFailNamingIt(@TempDir Path dir) throws Exception {
        Path baseline = dir.resolve("baseline.json");
        Files.writeString(baseline, "[" + JmhResultFixture.entry(16, "thrpt", 100, 1, "ops/s", 400, 400) + ","
                + JmhResultFixture.entry(64, "thrpt", 30, 1, "ops/s", 900, 900) + "]");
        Path current = results(dir, "run.json", 400);
        CommandRun r = report(current, baseline, dir);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("FAIL " + JmhResultFixture.SIMULATE + "{kind=dualpipe,ranks=64}: in the baseline,"
                + " not in this run"), r.err());
    }

    @Test
    void emptyRunShouldFail(@TempDir Path dir) throws Exception {
        Path baseline = results(dir, "baseline.json", 400);
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "[]");
        CommandRun r = report(empty, baseline, dir);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("FAIL the run has no benchmark results"), r.err());
        CommandRun alone = CommandRun.run("bench-report", empty.toString(), "--no-baseline", "--out",
                dir.resolve("r.html").toString());
        assertEquals(1, alone.exit(), "empty even without a baseline: " + alone.err());
    }

    @Test
    void withoutABaselineShouldSaySoAndFailUnlessNoBaseline(@TempDir Path dir) throws Exception {
        Path current = results(dir, "run.json", 400);
        CommandRun r = CommandRun.run("bench-report", current.toString(), "--profile", "nosuch", "--out",
                dir.resolve("r.html").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("parabench bench-report: no baseline for profile 'nosuch' ("), r.err());
        assertTrue(r.err().contains("data/baselines/nosuch.json does not exist); pass --against FILE, or --no-baseline"),
                r.err());
        CommandRun alone = CommandRun.run("bench-report", current.toString(), "--profile", "nosuch", "--no-baseline",
                "--out", dir.resolve("r.html").toString());
        assertEquals(0, alone.exit(), alone.err());
        assertTrue(alone.err().contains("regression gate: pass (no baseline)"), alone.err());
    }

    @Test
    void theRepositoryBaselineShouldBeFoundFromASubFolder(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("repo");
        Files.createDirectories(root.resolve("data/baselines"));
        Path deep = Files.createDirectories(root.resolve("jmh/src/main"));
        assertEquals(root, BenchmarkData.find(deep).orElseThrow().root());
        assertEquals(root.resolve("data/baselines/gate.json"), BenchmarkData.find(deep).orElseThrow().baseline("gate"));
        assertTrue(BenchmarkData.find(dir).isEmpty(), "no repository above");
    }

    @Test
    void shouldRejectMissingResults(@TempDir Path dir) {
        CommandRun r = CommandRun.run("bench-report", dir.resolve("nope.json").toString());
        assertEquals(2, r.exit());
        assertEquals("parabench bench-report: RESULTS (" + dir.resolve("nope.json")
                + ") must be an existing JMH result file", r.err().strip());
    }
}
