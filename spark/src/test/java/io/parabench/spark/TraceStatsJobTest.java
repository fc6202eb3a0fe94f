package io.parabench.spark;

import io.parabench.analysis.cli.Parabench;
import io.parabench.analysis.cli.TraceStatsCommand;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.rank.LocalRanks;
import io.parabench.testing.SharedData;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark job in local mode ({@code local[2]}, one session for the class) gives exactly the
 * local engine's JSON, on a generated 64-rank set and on the real 1F1B step, and fails bad input
 * with one line naming the file.
 */
class TraceStatsJobTest {
    @TempDir
    static Path work;
    private static SparkSession spark;
    private static Path ranks64;

    @BeforeAll
    static void startSparkAndGenerate64Ranks() {
        spark = EmbeddedSpark.start("local[2]");
        ranks64 = work.resolve("ranks64");
        // one real training step of 1F1B on 64 emulated GPUs: compute, NCCL-named copies, streams
        CommandOutcome train = CommandOutcome.of(Parabench::execute, "train", "--kind", "1f1b", "--ranks", "64",
                "--chunks", "64", "--width", "16", "--hidden", "16", "--tokens", "4", "--threads", "1",
                "--trace", ranks64.toString());
        assertEquals(0, train.exit(), train.err());
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private record CommandOutcome(int exit, String out, String err) {
        interface Entry {
            int run(String[] args, PrintWriter out, PrintWriter err);
        }

        static CommandOutcome of(Entry entry, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = entry.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new CommandOutcome(exit, out.toString(), err.toString());
        }
    }

    private static CommandOutcome job(String... args) {
        return CommandOutcome.of((a, out, err) -> TraceStatsJob.run(spark, a, out, err), args);
    }

    private static String local(Path input, AnalysisOptions options) throws IOException {
        return TraceStatsCommand.json(LocalRanks.analyze(input, options, 2)) + "\n";
    }

    @Test
    void shouldEqualTheLocalEngineOnSixtyFourGeneratedRanks() throws IOException {
        Path out = work.resolve("out64");
        CommandOutcome run = job(ranks64.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        String json = Files.readString(out.resolve(TraceStatsJob.JSON_FILE));
        assertEquals(local(ranks64, AnalysisOptions.defaults()), json);
        assertTrue(json.contains("\"rank\" : 63"), "64 ranks in the pipeline");
    }

    @Test
    void shouldEqualTheLocalEngineOnTheRealOneFOneBStepReadThroughAGlob() throws IOException {
        Path dir = SharedData.require("gpu-traces/1f1b");
        Path out = work.resolve("out1f1b");
        CommandOutcome run = job(dir + "/*_rank*.json.gz", "--out", out.toString(), "--step", "sim:STEP",
                "--comm-pattern", "nccl", "--report");
        assertEquals(0, run.exit(), run.err());
        AnalysisOptions options = new AnalysisOptions(KernelClassifier.of("nccl", Set.of()), "sim:STEP",
                AnalysisOptions.DEFAULT_TOP_KERNELS);
        assertEquals(local(dir, options), Files.readString(out.resolve(TraceStatsJob.JSON_FILE)));
        String html = Files.readString(out.resolve(TraceStatsJob.REPORT_FILE));
        // the bubble of rank 0 in ms, as the local report writes it (README: 56.92 ms)
        assertTrue(html.contains("Pipeline step and bubbles") && html.contains("56.923"), "report with the bubbles");
        assertTrue(html.contains("Device 3 (") && html.contains("<svg"), "per-device sections with charts");
    }

    @Test
    void shouldRunEmbeddedFromTheTraceStatsCommand() throws IOException {
        CommandOutcome run = CommandOutcome.of(Parabench::execute, "trace-stats", ranks64.toString(), "--engine", "spark",
                "--format", "json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(local(ranks64, AnalysisOptions.defaults()), run.out());
    }

    @Test
    void shouldNameTheUnreadableFileAmongMany() throws IOException {
        Path dir = copyOfRanks("corrupt", 8);
        Files.writeString(dir.resolve("rank-5.json"), "{\"traceEvents\": [ {\"ph\": \"X\", ");
        CommandOutcome run = job(dir.toString(), "--out", work.resolve("never").toString());
        assertEquals(2, run.exit());
        assertOneLine(run.err(), "TraceStatsJob: trace file:" + dir.resolve("rank-5.json") + " at byte offset 30"
                + " (traceEvents[0]): an object is not closed");
        assertTrue(Files.notExists(work.resolve("never").resolve(TraceStatsJob.JSON_FILE)));
    }

    @Test
    void shouldNameBothFilesOfARankThatAppearsTwice() throws IOException {
        Path dir = copyOfRanks("twice", 4);
        Files.copy(dir.resolve("rank-2.json"), dir.resolve("copy-of-rank-2.json"));
        CommandOutcome run = job(dir.toString(), "--out", work.resolve("never").toString());
        assertEquals(2, run.exit());
        assertOneLine(run.err(), "TraceStatsJob: rank (2) must appear once in " + dir + " but is in file:"
                + dir.resolve("copy-of-rank-2.json") + " and file:" + dir.resolve("rank-2.json"));
    }

    @Test
    void shouldRejectAGlobThatMatchesNothing() {
        String glob = work.resolve("ranks64") + "/*.trace";
        CommandOutcome run = job(glob, "--out", work.resolve("never").toString());
        assertEquals(2, run.exit());
        assertOneLine(run.err(), "TraceStatsJob: INPUT (" + glob + ") must name an existing directory, file or glob"
                + " of trace files, but matches nothing");
    }

    private static void assertOneLine(String err, String prefix) {
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith(prefix), err);
    }

    private static Path copyOfRanks(String name, int n) throws IOException {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        for (int r = 0; r < n; r++) {
            Files.copy(ranks64.resolve("rank-" + r + ".json"), dir.resolve("rank-" + r + ".json"));
        }
        return dir;
    }
}
