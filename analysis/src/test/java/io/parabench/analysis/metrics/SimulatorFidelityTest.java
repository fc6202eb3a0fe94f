package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.Timeline;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How well the simulator predicts a real pipeline step: the 1F1B step recorded on 4 × H200
 * ({@code ../shared/data/gpu-traces/1f1b}, 4 stages, 20 micro-batches) against a simulation of
 * the same schedule with the per-op costs measured on the same GPUs (that folder's README:
 * F 5.679, B 11.196, b 5.747, W 5.562, F&amp;B 17.248, p2p 0.151 ms).
 *
 * <p>The simulator knows nothing of the trace; agreement within a few percent means its cost
 * model (ops in order, inputs arriving p2p after their producer ends) captures what shapes the
 * real step. It does not model kernel-level jitter or launch gaps, so the real ranks run their
 * ops slightly faster in the pipeline (327 ms of compute) than the isolated costs add up to
 * (337.5 ms): the makespan is predicted within 3%, the bubble within 5%.
 */
class SimulatorFidelityTest {

    @Test
    void simulatedOneFOneBShouldPredictTheRealStepOnFourH200() throws Exception {
        List<Trace> traces = TraceReader.read(SharedData.require("gpu-traces/1f1b"));
        PipelineMetrics real = TraceMetrics.analyze("1f1b", traces, AnalysisOptions.defaults()).pipeline().orElseThrow();
        assertEquals(4, real.ranks().size());
        double realStepMs = real.stepUs() / 1000;
        double realMeanBubbleMs = real.ranks().stream().mapToDouble(RankBubble::bubbleUs).average().orElseThrow() / 1000;

        CostModel measured = CostModel.of(5.679, 11.196, 5.747, 5.562, 17.248, 0.151);
        Timeline simulated = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(4, 20), measured);

        assertTrue(Math.abs(simulated.makespan() - realStepMs) / realStepMs < 0.03,
                "makespan " + simulated.makespan() + " ms vs real step " + realStepMs + " ms");
        assertTrue(Math.abs(simulated.maxBubble() - realMeanBubbleMs) / realMeanBubbleMs < 0.05,
                "bubble " + simulated.maxBubble() + " ms vs real mean " + realMeanBubbleMs + " ms");
        assertEquals(real.bubbleRate(), simulated.bubbleRate(), 0.01, "bubble rate");
    }
}
