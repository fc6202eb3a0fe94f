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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accepting a run as the baseline: a failed or partial run is refused unless merged; broken runs
 * never; the merge keeps what the run left out; baseline and history are written together.
 */
class AcceptanceTest {
    @TempDir
    Path dir;

    private final RegressionGate gate = new RegressionGate(Thresholds.defaults());

    private static String sim(int ranks, double makespan) {
        return JmhResultFixture.entry(ranks, "thrpt", 100, 1, "ops/s", makespan, makespan);
    }

    private BenchmarkRun run(String... entries) throws Exception {
        return JmhResultFixture.run(dir, "t", "quick", entries);
    }

    @Test
    void failedRunShouldBeRefusedUnlessMergedOrReplaced() throws Exception {
        List<Verdict> regressed = gate.compare(run(sim(16, 400)), run(sim(16, 412)));
        assertTrue(RegressionGate.fails(regressed));
        Optional<String> strict = Acceptance.refusal(Acceptance.Mode.STRICT, regressed, Optional.empty());
        assertEquals(Optional.of("not accepted: the gate failed (1 failure(s)); record a deliberate change with"
                + " -Dparabench.accept=merge, or =replace when benchmarks were removed or renamed"), strict);
        assertEquals(Optional.empty(), Acceptance.refusal(Acceptance.Mode.MERGE, regressed, Optional.empty()));
        assertEquals(Optional.empty(), Acceptance.refusal(Acceptance.Mode.REPLACE, regressed, Optional.empty()));
    }

    @Test
    void partialRunShouldBeRefusedUnlessMerged() throws Exception {
        List<Verdict> passing = gate.compare(run(sim(16, 400)), run(sim(16, 400)));
        Optional<String> partial = Optional.of("-Dparabench.include=Gemm");
        assertEquals(Optional.of("not accepted: the run is partial (-Dparabench.include=Gemm) and would shrink the"
                + " baseline; merge it into the baseline with -Dparabench.accept=merge"),
                Acceptance.refusal(Acceptance.Mode.STRICT, passing, partial));
        assertTrue(Acceptance.refusal(Acceptance.Mode.REPLACE, passing, partial).isPresent());
        assertEquals(Optional.empty(), Acceptance.refusal(Acceptance.Mode.MERGE, passing, partial));
        assertEquals(Optional.empty(), Acceptance.refusal(Acceptance.Mode.STRICT, passing, Optional.empty()));
    }

    @Test
    void brokenRunsShouldNeverBeAccepted() throws Exception {
        List<Verdict> empty = gate.selfCheck(run());
        for (Acceptance.Mode mode : List.of(Acceptance.Mode.STRICT, Acceptance.Mode.MERGE, Acceptance.Mode.REPLACE)) {
            assertEquals(Optional.of("not accepted: the run has no benchmark results"),
                    Acceptance.refusal(mode, empty, Optional.empty()), mode.name());
        }
        List<Verdict> noisy = gate.selfCheck(run(JmhResultFixture.entry(16, "thrpt", 100, 1, "ops/s", 400, 401)));
        assertTrue(Acceptance.refusal(Acceptance.Mode.MERGE, noisy, Optional.empty()).orElseThrow()
                .contains("is not deterministic"));
    }

    @Test
    void mergeShouldReplaceTheRunsEntriesKeepTheRestAndWriteHistoryWithIt() throws Exception {
        BenchmarkData data = new BenchmarkData(dir);
        Path first = dir.resolve("first.json");
        Files.writeString(first, "[" + sim(16, 400) + "," + sim(64, 900) + "]");
        Acceptance.record(Acceptance.Mode.STRICT, data, "20261201-000000", "quick", Map.of("cores", "2"), first);
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "[" + sim(64, 880) + "," + sim(128, 1000) + "]");
        Path baseline = Acceptance.record(Acceptance.Mode.MERGE, data, "20261201-000001", "quick", Map.of(), partial);

        BenchmarkRun merged = BenchmarkRunFile.read(baseline, "x", "x");
        assertEquals(List.of("{kind=dualpipe,ranks=16}", "{kind=dualpipe,ranks=64}", "{kind=dualpipe,ranks=128}"),
                merged.results().stream().map(r -> r.key().substring(JmhResultFixture.SIMULATE.length())).toList());
        assertEquals(880, RegressionGate.value(merged.results().get(1).secondary().get("exact_makespan")));
        assertEquals("20261201-000001", merged.timestamp());
        BenchmarkRun history = BenchmarkRunFile.read(dir.resolve("data/history/20261201-000001-quick.json"), "x", "x");
        assertEquals(2, history.results().size(), "the history entry holds the run as it was measured");
        assertEquals(2, BenchmarkRunFile.readHistory(data.history()).size());
    }

    @Test
    void baselineShouldStayWhenTheHistoryEntryCannotBeWritten() throws Exception {
        BenchmarkData data = new BenchmarkData(dir);
        Path run = dir.resolve("run.json");
        Files.writeString(run, "[" + sim(16, 400) + "]");
        Acceptance.record(Acceptance.Mode.STRICT, data, "20261201-000000", "quick", Map.of(), run);
        String before = Files.readString(data.baseline("quick"));
        Files.writeString(run, "[" + sim(16, 390) + "]");
        assertThrows(IllegalArgumentException.class,
                () -> Acceptance.record(Acceptance.Mode.STRICT, data, "20261201-000000", "quick", Map.of(), run),
                "the same history entry again");
        assertEquals(before, Files.readString(data.baseline("quick")), "baseline untouched");
        try (var files = Files.list(data.baseline("quick").getParent())) {
            assertEquals(List.of("quick.json"), files.map(p -> p.getFileName().toString()).toList(), "no temp files");
        }
    }

    @Test
    void committedThresholdsFileShouldExistAndParse() throws Exception {
        BenchmarkData repo = BenchmarkData.find(Path.of("")).orElseThrow();
        Path file = repo.thresholds();
        assertTrue(Files.isRegularFile(file), file + " is committed");
        Thresholds t = Thresholds.read(file);
        assertEquals(RegressionGate.DEFAULT_THRESHOLD, t.threshold("io.parabench.jmh.NoSuchBenchmark.x"));
        assertEquals(0.20, t.threshold("io.parabench.jmh.GemmBenchmark.gemm{layout=FORWARD,size=1024,threads=2}"));
        assertEquals(RegressionGate.DEFAULT_THRESHOLD,
                t.threshold("io.parabench.jmh.GemmBenchmark.gemm{layout=FORWARD,size=1024,threads=1}"));
    }
}
