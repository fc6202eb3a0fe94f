package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.Timeline;
import io.parabench.pipeline.TimelineTrace;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator computes per-rank bubbles itself (makespan − busy); its trace, read back by the
 * analysis, must give the same bubbles. Costs are the per-op costs measured on H200 in
 * {@code gpu-traces/README.md} (ms, written as µs by the trace). The trace rounds every op
 * boundary to a whole nanosecond, so a rank may differ by at most one nanosecond per op.
 */
class SimulatorTraceBubblesTest {
    @ParameterizedTest
    @CsvSource({
            "1f1b, 4, 8",
            "zb1p, 4, 8",
            "gpipe, 4, 6",
            "dualpipe, 4, 10",
            "dualpipev, 4, 10",
            "interleaved, 4, 8",
            "1f1b, 1, 3",
    })
    void shouldGiveTheSimulatorsBubbles(String kind, int ranks, int chunks, @TempDir Path dir) throws IOException {
        CostModel costs = CostModel.of(5.679, 11.196, 5.747, 5.562, 17.248, 0.151);
        Timeline timeline = Simulator.simulate(ScheduleKind.of(kind).generate(ranks, chunks), costs);
        Path file = dir.resolve("sim.json");
        TimelineTrace.write(timeline, file);

        List<Trace> traces = TraceReader.read(file);
        TraceSummary summary = TraceMetrics.analyze(file.toString(), traces, AnalysisOptions.defaults());
        if (ranks == 1) {
            assertEquals(true, summary.pipeline().isEmpty(), "one rank: no pipeline");
            return;
        }
        PipelineMetrics p = summary.pipeline().orElseThrow();
        assertEquals(Math.round(timeline.makespan() * 1000), p.stepNs(), 1, "window = makespan");
        assertEquals(ranks, p.ranks().size());
        for (int r = 0; r < ranks; r++) {
            RankBubble b = p.ranks().get(r);
            assertEquals(r, b.rank());
            int ops = timeline.schedule().ops(r).size();
            assertEquals(timeline.bubble(r) * 1000, b.bubbleNs(), ops + 1.0, kind + " rank " + r);
        }
        assertEquals(timeline.bubbleRate(), p.bubbleRate(), 1e-6);
    }
}
