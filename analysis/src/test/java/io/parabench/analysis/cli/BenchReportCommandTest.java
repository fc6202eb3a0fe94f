package io.parabench.analysis.cli;

import io.parabench.analysis.read.JmhResultFixture;
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

    @Test
    void shouldReportAndFailOnAnExactRegressionWithoutRunningJmh(@TempDir Path dir) throws Exception {
        Path baseline = results(dir, "baseline.json", 400);
        Path current = results(dir, "20261127-120000.json", 412.1);
        Path out = dir.resolve("report.html");
        CommandRun r = CommandRun.run("bench-report", current.toString(), "--baseline",
                baseline.toString(), "--history", dir.resolve("none").toString(), "--out", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("FAIL " + JmhResultFixture.SIMULATE + "{kind=dualpipe,ranks=16} exact_makespan"
                + " regressed: baseline 400, current 412.100"), r.err());
        assertEquals(out.toString(), r.out().strip());
        assertTrue(Files.readString(out).contains("REGRESSED"));

        CommandRun same = CommandRun.run("bench-report", current.toString(), "--baseline",
                current.toString(), "--history", dir.resolve("none").toString(), "--out", out.toString());
        assertEquals(0, same.exit(), same.err());
    }

    @Test
    void shouldRejectMissingResults(@TempDir Path dir) {
        CommandRun r = CommandRun.run("bench-report", dir.resolve("nope.json").toString());
        assertEquals(2, r.exit());
        assertEquals("parabench bench-report: RESULTS (" + dir.resolve("nope.json")
                + ") must be an existing JMH result file", r.err().strip());
    }
}
