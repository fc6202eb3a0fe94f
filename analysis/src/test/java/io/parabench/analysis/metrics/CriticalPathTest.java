package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A two-rank step worked out by hand (µs; stream 0 computes, stream 1 runs NCCL send/recv):
 * <pre>
 *   rank 0  F [0, 10]  send [10, 12]  recv [12, 47] ........................ B [47, 65]
 *   rank 1  recv [1, 12]  F [12, 22]  B [22, 45]  send [45, 47]
 * </pre>
 * The sends and receives end together, so they pair: rank 0 → rank 1 done at 12 (rank 0 started
 * its kernel last, at 10), rank 1 → rank 0 done at 47. The step ends with rank 0's B, which waited
 * for rank 1's message (47 > its previous op's end, 10); rank 1's B follows its own F; its F waited
 * for rank 0's message (no earlier op of its own). Critical path: rank 0 F → rank 1 F → rank 1 B →
 * rank 0 B, 10 + 10 + 23 + 18 = 61 µs of ops in a 65 µs step.
 */
public class CriticalPathTest {
    private static final long US = 1000;

    static List<Trace> handTrace(Path dir) throws IOException {
        return TraceReader.read(handTraceFile(dir));
    }

    /** Writes the trace of the class comment into {@code dir} (also used by the command-line tests). */
    public static Path handTraceFile(Path dir) throws IOException {
        Path file = dir.resolve("two-ranks.json");
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, List.of(new DeviceProperties(0, "rank 0", 132),
                new DeviceProperties(1, "rank 1", 132)), -1, 0)) {
            String nccl = "ncclDevKernel_SendRecv(ncclDevKernelArgsStorage<4096ul>)";
            w.complete(EventCategory.KERNEL, "F0:0", 0, 0, 0, 10 * US);
            w.complete(EventCategory.KERNEL, nccl, 0, 1, 10 * US, 2 * US);
            w.complete(EventCategory.KERNEL, nccl, 0, 1, 12 * US, 35 * US);
            w.complete(EventCategory.KERNEL, "B0:0", 0, 0, 47 * US, 18 * US);
            w.complete(EventCategory.KERNEL, nccl, 1, 1, 1 * US, 11 * US);
            w.complete(EventCategory.KERNEL, "F0:0", 1, 0, 12 * US, 10 * US);
            w.complete(EventCategory.KERNEL, "B0:0", 1, 0, 22 * US, 23 * US);
            w.complete(EventCategory.KERNEL, nccl, 1, 1, 45 * US, 2 * US);
        }
        return file;
    }

    static PipelineTimeline timeline(List<Trace> traces) {
        AnalysisOptions options = AnalysisOptions.defaults();
        PipelineMetrics p = TraceMetrics.analyze("hand", traces, options).pipeline().orElseThrow();
        return PipelineTimeline.of(traces, p, options);
    }

    @Test
    void shouldPairSendsAndReceivesThatEndTogether(@TempDir Path dir) throws IOException {
        List<CriticalPath.Edge> edges = CriticalPath.edges(timeline(handTrace(dir)));
        assertEquals(2, edges.size());
        assertEquals(List.of(0, 1, 10 * US, 12 * US), List.of(edges.get(0).fromRank(), edges.get(0).toRank(),
                edges.get(0).sendStartNs(), edges.get(0).doneNs()));
        assertEquals(List.of(1, 0, 45 * US, 47 * US), List.of(edges.get(1).fromRank(), edges.get(1).toRank(),
                edges.get(1).sendStartNs(), edges.get(1).doneNs()));
    }

    @Test
    void shouldFollowTheLatestArrivalAcrossRanks(@TempDir Path dir) throws IOException {
        CriticalPath path = CriticalPath.of(timeline(handTrace(dir)));
        assertEquals(List.of("0 F0:0 0-10", "1 F0:0 12-22", "1 B0:0 22-45", "0 B0:0 47-65"),
                path.ops().stream().map(op -> op.rank() + " " + op.name() + " " + op.startNs() / US + "-"
                        + op.endNs() / US).toList());
        assertEquals(61 * US, path.opsNs());
        assertEquals(List.of(12 * US, 47 * US), path.edges().stream().map(CriticalPath.Edge::doneNs).toList());
    }

    @Test
    void shouldNameTheSlowestRankAndItsWaits(@TempDir Path dir) throws IOException {
        Stragglers s = Stragglers.of(timeline(handTrace(dir)));
        assertEquals(new Stragglers.RankLoad(0, 0, 0, 28 * US, 37 * US), s.ranks().get(0),
                "starts the step, computes 10 + 18, waits in NCCL from 10 to 47");
        assertEquals(new Stragglers.RankLoad(1, 12 * US, 20 * US, 33 * US, 13 * US), s.ranks().get(1),
                "starts at 12, ends at 45 of 65, computes 10 + 23, NCCL 1..12 and 45..47");
        assertEquals(1, s.slowestRank());
        assertEquals(5 * US, s.behindNs(), "33 − 28");
    }
}
