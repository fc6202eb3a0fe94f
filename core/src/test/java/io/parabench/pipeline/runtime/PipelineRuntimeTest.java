package io.parabench.pipeline.runtime;

import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Launch;
import io.parabench.kernels.HostPool;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.trace.ChromeTraceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipelined step equals the non-pipelined reference bit for bit, for every schedule kind: both
 * issue the same kernels on the same shapes, the kernels' reduction order does not depend on the
 * host, and gradients are summed in micro-batch order on both sides.
 */
class PipelineRuntimeTest {
    private static final DeviceSpec SPEC = DeviceSpec.h800();

    private static StageModel modelFor(Schedule schedule, int width, int hidden) {
        return new StageModel(schedule.layout().stages(0), width, hidden, 5, 20261127L);
    }

    private static int microBatches(Schedule schedule) {
        int n = 0;
        for (int f = 0; f < schedule.layout().flows(); f++) {
            n += schedule.layout().microBatches(f);
        }
        return n;
    }

    @ParameterizedTest(name = "{0} P={1} chunks={2} v={3} d={4} h={5}")
    @CsvSource({
            "1f1b, 2, 4, 1, 8, 16",
            "1f1b, 4, 6, 1, 12, 24",
            "zb1p, 2, 3, 1, 8, 16",
            "zb1p, 4, 6, 1, 16, 32",
            "gpipe, 4, 4, 1, 12, 20",
            "interleaved, 2, 4, 2, 8, 16",
            "interleaved, 4, 8, 2, 12, 24",
            "interleaved, 2, 4, 3, 8, 16",
            "dualpipe, 2, 4, 1, 8, 16",
            "dualpipe, 4, 10, 1, 12, 24",
            "dualpipev, 2, 4, 1, 8, 16",
            "dualpipev, 4, 10, 1, 16, 32",
            "zbv, 2, 3, 1, 8, 16",
            "zbv, 4, 10, 1, 16, 32",
    })
    void pipelinedStepEqualsReferenceBitForBit(String kind, int ranks, int chunks, int v, int width, int hidden) {
        Schedule schedule = ScheduleKind.of(kind).generate(ranks, chunks, Math.max(v, 2));
        StageModel model = modelFor(schedule, width, hidden);
        TrainingStep step = PipelineRuntime.run(schedule, model, SPEC, HostPool.SERIAL, null);
        ReferenceRun reference = ReferenceRun.run(model, microBatches(schedule), SPEC, HostPool.SERIAL);

        assertEquals(microBatches(schedule), step.losses().length);
        assertArrayEquals(reference.losses(), step.losses(), 0f, "losses, bit for bit");
        assertEquals(model.stages(), step.gradients().size());
        for (int s = 0; s < model.stages(); s++) {
            assertEquals(reference.gradients().get(s), step.gradients().get(s), "stage " + s + " gradients, bit for bit");
            assertEquals(0.0, reference.gradients().get(s).maxAbsDifference(step.gradients().get(s)));
            assertTrue(maxAbs(step.gradients().get(s).inputWeight()) > 0, "stage " + s + " got a gradient");
        }
        for (float loss : step.losses()) {
            assertTrue(loss > 0 && Float.isFinite(loss), "loss " + loss);
        }
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Per-rank trace bytes, with {@code threads} host threads. */
    private static List<byte[]> traces(Schedule schedule, int threads) {
        StageModel model = modelFor(schedule, 12, 24);
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        List<ChromeTraceWriter> writers = new ArrayList<>();
        for (int r = 0; r < schedule.ranks(); r++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            outs.add(out);
            writers.add(ChromeTraceWriter.open(out, List.of(SPEC.properties(r)), r, schedule.ranks()));
        }
        try (HostPool pool = HostPool.of(threads)) {
            PipelineRuntime.run(schedule, model, SPEC, pool, writers);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (int r = 0; r < schedule.ranks(); r++) {
            writers.get(r).close();
            bytes.add(outs.get(r).toByteArray());
        }
        return bytes;
    }

    @ParameterizedTest
    @CsvSource({"dualpipe, 4, 8", "zb1p, 4, 6", "dualpipev, 2, 4"})
    void perRankTracesAreByteIdenticalAcrossRunsAndThreadCounts(String kind, int ranks, int chunks) {
        Schedule schedule = ScheduleKind.of(kind).generate(ranks, chunks);
        List<byte[]> first = traces(schedule, 1);
        List<byte[]> again = traces(schedule, 1);
        List<byte[]> twoThreads = traces(schedule, 2);
        for (int r = 0; r < ranks; r++) {
            assertArrayEquals(first.get(r), again.get(r), "rank " + r + " trace, second run");
            assertArrayEquals(first.get(r), twoThreads.get(r), "rank " + r + " trace, 2 host threads");
            String json = new String(first.get(r), StandardCharsets.UTF_8);
            assertTrue(json.contains("gemm_backward_weight") && json.contains("Memcpy PtoP"),
                    "rank " + r + " trace holds kernels and copies");
        }
    }

    @Test
    void copiesRunUnderComputeAndConsumersWaitForThem() {
        Schedule schedule = ScheduleKind.ONE_F_ONE_B.generate(4, 8);
        TrainingStep step = PipelineRuntime.run(schedule, modelFor(schedule, 16, 32), SPEC, HostPool.SERIAL, null);

        // rank 1's first op, F0:0, consumes rank 0's first copy: it cannot start before the copy ends
        Launch firstCopy = step.copyLaunches().get(0).get(0);
        Launch consumer = step.opLaunches().get(1).get(0);
        assertEquals("F0:0", consumer.name());
        assertTrue(consumer.startNs() >= firstCopy.endNs(), "F0:0 on rank 1 waits for its activation copy");

        // in the steady state a rank sends one micro-batch while computing the next
        long overlapped = 0;
        for (int r = 0; r < step.ranks(); r++) {
            for (Launch copy : step.copyLaunches().get(r)) {
                for (Launch op : step.opLaunches().get(r)) {
                    if (copy.overlaps(op)) {
                        overlapped += Math.min(copy.endNs(), op.endNs()) - Math.max(copy.startNs(), op.startNs());
                    }
                }
            }
        }
        assertTrue(overlapped > 0, "some copy time is hidden under compute");

        // every rank idles somewhere (1F1B has bubbles) and runs each of its 2·8 ops as one span;
        // ends of the pipe send one way only
        for (int r = 0; r < step.ranks(); r++) {
            assertTrue(step.computeBusyNs(r) > 0 && step.computeBusyNs(r) < step.stepNs());
            assertTrue(step.bubble(r) > 0 && step.bubble(r) < 1);
            assertEquals(2 * 8, step.opLaunches().get(r).size());
        }
        assertEquals(8, step.copyLaunches().get(0).size(), "rank 0 sends only activations");
        assertEquals(8, step.copyLaunches().get(3).size(), "rank 3 sends only gradients");
        assertEquals(16, step.copyLaunches().get(1).size(), "middle ranks send both");
    }

    @Test
    void modelStagesMustMatchTheSchedule() {
        Schedule schedule = ScheduleKind.DUALPIPEV.generate(2, 4);
        StageModel model = new StageModel(2, 8, 16, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineRuntime.run(schedule, model, SPEC, HostPool.SERIAL, null));
        assertEquals("model stages (2) must equal the dualpipev schedule's stages per flow (4)", e.getMessage());
    }
}
