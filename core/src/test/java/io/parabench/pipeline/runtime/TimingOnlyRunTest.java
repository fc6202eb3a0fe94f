package io.parabench.pipeline.runtime;

import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Precision;
import io.parabench.kernels.HostPool;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.trace.ChromeTraceWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The functional/timing split: a timing-only step is the numerics step's timeline, byte for byte. */
class TimingOnlyRunTest {
    private static final DeviceSpec SPEC = DeviceSpec.h200();

    private static List<String> traces(Schedule plan, StageModel model, Emulation emulation, int threads) {
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        List<ChromeTraceWriter> writers = new ArrayList<>();
        for (int r = 0; r < plan.ranks(); r++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            outs.add(out);
            writers.add(ChromeTraceWriter.open(out, List.of(SPEC.properties(r)), r, plan.ranks()));
        }
        try (HostPool pool = HostPool.of(threads)) {
            PipelineRuntime.run(plan, model, SPEC, pool, writers, emulation);
        }
        List<String> traces = new ArrayList<>();
        for (int r = 0; r < plan.ranks(); r++) {
            writers.get(r).close();
            traces.add(outs.get(r).toString(StandardCharsets.UTF_8));
        }
        return traces;
    }

    @Test
    void timingOnlyTracesEqualTheNumericsRunsByteForByte() {
        for (ScheduleKind kind : List.of(ScheduleKind.ONE_F_ONE_B, ScheduleKind.DUALPIPEV, ScheduleKind.DUALPIPE,
                ScheduleKind.ZBV)) {
            Schedule plan = kind.generate(4, 8);
            int stages = plan.layout().stages(0);
            StageModel model = new StageModel(stages, 16, 48, 8, 3);
            for (Precision p : List.of(Precision.FP32, Precision.BF16)) {
                List<String> numerics = traces(plan, model, Emulation.numerics(p), 1);
                List<String> timing = traces(plan, StageModel.shapeOnly(stages, 16, 48, 8), Emulation.timingOnly(p), 1);
                assertEquals(numerics, timing, kind + " " + p);
                assertTrue(numerics.get(0).contains("\"gemm_forward\"") || numerics.get(0).contains("_gemm_forward\""));
            }
        }
    }

    @Test
    void timingOnlyTracesDoNotDependOnRunsOrThreads() {
        for (ScheduleKind kind : List.of(ScheduleKind.DUALPIPEV, ScheduleKind.ZBV)) {
            Schedule plan = kind.generate(4, 10);
            StageModel model = StageModel.shapeOnly(plan.layout().stages(0), 256, 1024, 512);
            List<String> first = traces(plan, model, Emulation.timingOnly(Precision.BF16), 1);
            assertEquals(first, traces(plan, model, Emulation.timingOnly(Precision.BF16), 1), kind.cliName());
            assertEquals(first, traces(plan, model, Emulation.timingOnly(Precision.BF16), 2), kind.cliName());
        }
    }

    @Test
    void zeroBubbleVPostsItsReceivesAsNcclKernelsOnTheCommStream() {
        Schedule plan = ScheduleKind.ZBV.generate(4, 8);
        List<String> traces = traces(plan, StageModel.shapeOnly(plan.layout().stages(0), 256, 1024, 512),
                Emulation.timingOnly(Precision.FP32), 1);
        for (int r = 0; r < plan.ranks(); r++) {
            String t = traces.get(r);
            // ranks 0 and 3 hold the V's ends: 2 sends + 2 receives per micro-batch; ranks 1 and 2 twice that
            int expected = (r == 0 || r == plan.ranks() - 1 ? 4 : 8) * 8;
            assertEquals(expected, count(t, "\"name\":\"ncclDevKernel_SendRecv\",\"pid\":" + r + ",\"tid\":1,"), "rank " + r);
            assertEquals(0, count(t, "Memcpy PtoP"), "no copy engines move zbv's tensors");
            assertTrue(t.contains("\"grid\":[8,1,1],\"block\":[640,1,1],\"sms\":8"), t.substring(0, 200));
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** A timing-only step at gpu-traces' configuration: 4 H200s, 20 micro-batches, 2048→8192→2048, 4096 tokens, fp32. */
    private static TrainingStep gpuTracesStep(ScheduleKind kind) {
        Schedule plan = kind.generate(4, 20);
        return PipelineRuntime.run(plan, StageModel.shapeOnly(plan.layout().stages(0), 2048, 8192, 4096), SPEC,
                HostPool.SERIAL, null, Emulation.timingOnly(Precision.FP32));
    }

    @Test
    void shouldPredictTheRealZeroBubbleVStepOnFourH200sWithin5Percent() {
        // gpu-traces/README.md: torch's ZBV (8 stages) took 758.02 ms; its receives are NCCL kernels that
        // hold 8 SMs beside the GEMMs while they wait
        long stepNs = gpuTracesStep(ScheduleKind.ZBV).stepNs();
        assertEquals(1, stepNs / 758.02e6, 0.05, "step " + stepNs / 1e6 + " ms");
    }

    @Test
    void shouldPredictTheRealOneFOneBStepOnFourH200sWithin5Percent() {
        // gpu-traces/README.md: 1F1B took 383.98 ms
        TrainingStep step = gpuTracesStep(ScheduleKind.ONE_F_ONE_B);
        assertEquals(1, step.stepNs() / 383.98e6, 0.05, "step " + step.stepNs() / 1e6 + " ms");
        assertTrue(Float.isNaN(step.losses()[0]) && step.gradients().isEmpty(), "nothing computed");
    }

    @Test
    void shouldRefuseNumericsOnAShapeOnlyModel() {
        Schedule plan = ScheduleKind.ONE_F_ONE_B.generate(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineRuntime.run(plan,
                StageModel.shapeOnly(2, 4, 4, 4), SPEC, HostPool.SERIAL, null, Emulation.NUMERICS));
        assertEquals("a shape-only model can only run timing-only", e.getMessage());
    }
}
