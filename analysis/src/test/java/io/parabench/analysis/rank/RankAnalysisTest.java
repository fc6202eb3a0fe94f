package io.parabench.analysis.rank;

import io.parabench.analysis.cli.TraceStatsCommand;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.read.TraceReader;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.TimelineTrace;
import io.parabench.testing.SharedData;
import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;
import io.parabench.trace.KernelArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map/reduce split gives what the in-memory analysis gives, on real and generated traces,
 * in the cases where one rank alone cannot know the step window; summaries survive Java
 * serialisation (what Spark does to them).
 */
class RankAnalysisTest {
    private static final long US = 1000;

    private static KernelArgs grid(int stream) {
        return new KernelArgs(0, stream, 8, 128, -1, -1, -1);
    }

    private static String inMemory(Path input, AnalysisOptions options) throws IOException {
        return TraceStatsCommand.json(TraceMetrics.analyze(input.toString(), TraceReader.read(input), options));
    }

    private static String mapReduce(Path input, AnalysisOptions options) throws IOException {
        return TraceStatsCommand.json(LocalRanks.analyze(input, options, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu-traces/1f1b", "gpu-traces/torch_zbv", "profile-data/train.json"})
    void shouldEqualTheInMemoryAnalysisOnRealTraces(String relative) throws IOException {
        Path input = SharedData.require(relative);
        assertEquals(inMemory(input, AnalysisOptions.defaults()), mapReduce(input, AnalysisOptions.defaults()));
    }

    @Test
    void shouldEqualTheInMemoryAnalysisOnOneSimulatedFileOfManyRanks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("zb1p.json");
        TimelineTrace.write(Simulator.simulate(ScheduleKind.ZB1P.generate(8, 16), CostModel.of(1, 2, 1, 1, 3, 0.1)), file);
        String json = mapReduce(file, AnalysisOptions.defaults());
        assertEquals(inMemory(file, AnalysisOptions.defaults()), json);
        assertTrue(json.contains("\"pipeline\""), json);
    }

    /**
     * Rank 0: ProfilerStep#1 at 10 µs, computation [0,5) [12,20) [60,80); rank 1: ProfilerStep#1 at
     * 30 µs, computation [15,25) [40,50). S = 10 µs, so rank 1's kernel at 15 µs, before its own
     * step, is inside the window; [0,5) is not. Window [12,80) = 68 µs; busy 8+20 = 28 and 10+10 =
     * 20; bubbles 40 and 48.
     */
    @Test
    void shouldOpenTheWindowAtAKernelBeforeARanksOwnStep(@TempDir Path dir) throws IOException {
        writeRank(dir, 0, 10, new long[] {0, 5, 12, 20, 60, 80});
        writeRank(dir, 1, 30, new long[] {15, 25, 40, 50});
        PipelineMetrics p = LocalRanks.analyze(dir, AnalysisOptions.defaults(), 2).pipeline().orElseThrow();
        assertEquals(12 * US, p.windowStartNs());
        assertEquals(80 * US, p.windowEndNs());
        assertEquals(List.of(40.0, 48.0), p.ranks().stream().map(RankBubble::bubbleUs).toList());
        assertEquals(inMemory(dir, AnalysisOptions.defaults()), mapReduce(dir, AnalysisOptions.defaults()));
    }

    /**
     * Rank 0: ProfilerStep#1 at 10 µs, computation [10,40); rank 1: no step annotation,
     * computation [5,8) [20,30). Alone, rank 1 measures the whole trace; the step is rank 0's, so
     * rank 1 (only) is mapped again: window [10,40), bubbles 0 and 20 µs.
     */
    @Test
    void shouldMapAgainOnlyTheRankWithoutTheStepOthersHave(@TempDir Path dir) throws IOException {
        writeRank(dir, 0, 10, new long[] {10, 40});
        writeRank(dir, 1, -1, new long[] {5, 8, 20, 30});
        List<String> files = new ArrayList<>();
        TraceReader.traceFiles(dir).forEach(f -> files.add(f.toString()));
        List<List<String>> calls = new ArrayList<>();
        TraceSummary s = RankAnalysis.run(dir.toString(), files, AnalysisOptions.defaults(), (some, step) -> {
            calls.add(some);
            List<RankSummary> out = new ArrayList<>();
            for (String f : some) {
                out.add(RankMap.read(Files.newInputStream(Path.of(f)), f, Path.of(f).getFileName().toString(),
                        AnalysisOptions.defaults(), step));
            }
            return out;
        });
        assertEquals(List.of(files, List.of(dir.resolve("rank1.json").toString())), calls);
        PipelineMetrics p = s.pipeline().orElseThrow();
        assertEquals(30.0, p.stepUs());
        assertEquals(List.of(0.0, 20.0), p.ranks().stream().map(RankBubble::bubbleUs).toList());
        assertEquals(inMemory(dir, AnalysisOptions.defaults()), TraceStatsCommand.json(s));
    }

    @Test
    void shouldGiveTheSameResultFromSerialisedCompactSummaries(@TempDir Path dir) throws IOException {
        writeRank(dir, 0, 10, new long[] {0, 5, 12, 20, 60, 80});
        writeRank(dir, 1, 30, new long[] {15, 25, 40, 50});
        writeRank(dir, 2, -1, new long[] {11, 13, 85, 90});
        AnalysisOptions options = new AnalysisOptions(KernelClassifier.defaults(), "ProfilerStep#*", 5);
        List<String> files = new ArrayList<>();
        TraceReader.traceFiles(dir).forEach(f -> files.add(f.toString()));
        TraceSummary s = RankAnalysis.run(dir.toString(), files, options, (some, step) -> {
            List<RankSummary> out = new ArrayList<>();
            for (String f : some) {
                out.add(roundTrip(RankMap.read(Files.newInputStream(Path.of(f)), f, Path.of(f).getFileName().toString(),
                        options, step).compact()));
            }
            return out;
        });
        assertEquals(inMemory(dir, options), TraceStatsCommand.json(s));
    }

    @Test
    void shouldNameBothFilesOfARankThatAppearsTwice(@TempDir Path dir) throws IOException {
        writeRank(dir, 0, 10, new long[] {10, 40});
        writeRank(dir, 1, 10, new long[] {10, 40});
        Files.copy(dir.resolve("rank1.json"), dir.resolve("again_rank1.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalRanks.analyze(dir, AnalysisOptions.defaults(), 2));
        assertEquals("rank (1) must appear once in " + dir + " but is in " + dir.resolve("again_rank1.json")
                + " and " + dir.resolve("rank1.json"), e.getMessage());
    }

    @Test
    void shouldNameTheFileThatIsNotATrace(@TempDir Path dir) throws IOException {
        writeRank(dir, 0, 10, new long[] {10, 40});
        Files.writeString(dir.resolve("rank1.json"), "{\"traceEvents\": [");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalRanks.analyze(dir, AnalysisOptions.defaults(), 2));
        assertTrue(e.getMessage().startsWith("trace " + dir.resolve("rank1.json")), e.getMessage());
    }

    private static RankSummary roundTrip(RankSummary s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RankSummary) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code rankN.json}: device N, ProfilerStep#1 at {@code stepUs} (none when negative), gemm kernels [start,end) µs. */
    static void writeRank(Path dir, int rank, long stepUs, long[] kernelsUs) {
        try (ChromeTraceWriter w = ChromeTraceWriter.open(dir.resolve("rank" + rank + ".json"),
                List.of(new DeviceProperties(rank, "gpu", 132)), -1, 0)) {
            if (stepUs >= 0) {
                w.complete(EventCategory.USER_ANNOTATION, "ProfilerStep#1", 900, 900, stepUs * US, 100 * US);
            }
            for (int k = 0; k < kernelsUs.length; k += 2) {
                w.complete(EventCategory.KERNEL, "gemm", rank, 7, kernelsUs[k] * US,
                        (kernelsUs[k + 1] - kernelsUs[k]) * US, grid(7));
            }
        }
    }
}
