package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;
import io.parabench.trace.KernelArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small traces whose every metric is worked out by hand in the comments. */
class TraceMetricsTest {
    private static final long US = 1000;

    private static KernelArgs grid(int stream, int blocks) {
        return new KernelArgs(0, stream, blocks, 128, -1, -1, -1);
    }

    /**
     * One device, 100 SMs:
     * <pre>
     * gemm           compute  stream 7   [  0, 100) µs  80 blocks
     * ncclDevKernel  comm     stream 20  [ 50, 150)     30 blocks
     * add            compute  stream 7   [120, 130)    200 blocks → 100 SMs
     * Memcpy         memory   stream 7   [160, 170)
     * deep_ep        comm     stream 20  [200, 220)     24 blocks
     * </pre>
     */
    private static Path handWorkedTrace(Path dir) {
        Path file = dir.resolve("hand.json");
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, List.of(new DeviceProperties(0, "test GPU", 100)), -1, 0)) {
            w.complete(EventCategory.KERNEL, "gemm", 0, 7, 0, 100 * US, grid(7, 80));
            w.complete(EventCategory.KERNEL, "ncclDevKernel_SendRecv(x)", 0, 20, 50 * US, 100 * US, grid(20, 30));
            w.complete(EventCategory.KERNEL, "add", 0, 7, 120 * US, 10 * US, grid(7, 200));
            w.complete(EventCategory.GPU_MEMCPY, "Memcpy DtoD", 0, 7, 160 * US, 10 * US);
            w.complete(EventCategory.KERNEL, "void deep_ep::intranode::dispatch(x)", 0, 20, 200 * US, 20 * US, grid(20, 24));
            w.complete(EventCategory.USER_ANNOTATION, "attn(F)", 99, 99, 0, 60 * US);
            w.complete(EventCategory.USER_ANNOTATION, "attn(F)", 99, 99, 100 * US, 10 * US);
            w.complete(EventCategory.USER_ANNOTATION, "mlp(B)", 99, 99, 60 * US, 5 * US);
        }
        return file;
    }

    @Test
    void shouldMeasureAHandWorkedDevice(@TempDir Path dir) throws IOException {
        Path file = handWorkedTrace(dir);
        TraceSummary s = TraceMetrics.analyze(file.toString(), TraceReader.read(file), AnalysisOptions.defaults());
        assertEquals(1, s.devices().size());
        assertFalse(s.pipeline().isPresent(), "one device: no pipeline");
        DeviceMetrics d = s.devices().get(0);
        assertEquals("0", d.key());
        assertEquals(220.0, d.spanUs());
        // busy = [0,150) + [160,170) + [200,220)
        assertEquals(180.0, d.busyUs());
        assertEquals(40.0 / 220.0, d.idleRatio(), 1e-12);
        // compute = [0,100) + [120,130); comm = [50,150) + [200,220); overlap = [50,100) + [120,130)
        assertEquals(110.0, d.computeBusyUs());
        assertEquals(120.0, d.commBusyUs());
        assertEquals(0.5, d.commOverlapRatio(), 1e-12);
        assertEquals(10 * US, d.memoryBusyNs());
        assertEquals(120 * US, d.streamBusyNs().get(7));
        assertEquals(120 * US, d.streamBusyNs().get(20));
        assertEquals(4, d.kernels());
        assertEquals(2, d.commKernels());
        // SM·µs: 80·50 + 100·50 (30 comm + 70 compute, capped) + 30·20 + 100·10 + 30·20 + 0·50 + 24·20 = 11680
        assertEquals(11680.0 / (220 * 100), d.smOccupancyAvg(), 1e-12);
        SmOccupancy occ = d.smOccupancy();
        assertEquals(50 * US, occ.timeNs(1));
        assertEquals(70.0, occ.computeSms(1), "communication keeps its SMs when the cap bites");
        assertEquals(30.0, occ.commSms(1));
        assertEquals("gemm", d.topKernels().get(0).name());
        assertEquals(KernelClass.COMMUNICATION, d.topKernels().get(1).kind());
        assertEquals(List.of(new AnnotationStat("attn(F)", 2, 70 * US), new AnnotationStat("mlp(B)", 1, 5 * US)),
                s.annotations());
    }

    /**
     * 3000 kernels of 10 µs every 20 µs, 66 of 132 SMs: 6000 steps, more than are kept exactly,
     * so the timeline is resampled into bins that must keep the area: 3000 · 10 µs · 66 SMs.
     * Span 2999 · 20 + 10 = 59,990 µs.
     */
    @Test
    void shouldResampleALongTimelineKeepingItsArea(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("long.json");
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, List.of(new DeviceProperties(0, "g", 132)), -1, 0)) {
            for (int k = 0; k < 3000; k++) {
                w.complete(EventCategory.KERNEL, "k", 0, 7, k * 20 * US, 10 * US, grid(7, 66));
            }
        }
        DeviceMetrics d = TraceMetrics.analyze("x", TraceReader.read(file), AnalysisOptions.defaults()).devices().get(0);
        SmOccupancy occ = d.smOccupancy();
        assertEquals(2000, occ.segments());
        double area = 0;
        for (int k = 0; k < occ.segments(); k++) {
            area += occ.computeSms(k) * (occ.timeNs(k + 1) - occ.timeNs(k)) / 1000.0;
            assertEquals(0.0, occ.commSms(k));
        }
        assertEquals(3000 * 10 * 66, area, 1e-6 * area);
        assertEquals(3000.0 * 10 * 66 / (59_990 * 132), d.smOccupancyAvg(), 1e-12);
        assertEquals(59_990 * US, occ.timeNs(2000) - occ.timeNs(0));
    }

    @Test
    void shouldCountAStreamAsCommunicationWhenAsked(@TempDir Path dir) throws IOException {
        Path file = handWorkedTrace(dir);
        AnalysisOptions options = new AnalysisOptions(KernelClassifier.of(null, java.util.Set.of(7)), null, 5);
        DeviceMetrics d = TraceMetrics.analyze("x", TraceReader.read(file), options).devices().get(0);
        assertEquals(0.0, d.computeBusyUs());
        // comm = [0,150) + [200,220)
        assertEquals(170.0, d.commBusyUs());
        assertEquals(0.0, d.commOverlapRatio());
    }

    /**
     * The simulator's layout: one file, pid = rank, one kernel per op named by its token, no
     * grid, plus a user annotation of the same name. Ranks busy:
     * rank 0 [0,20) + [50,90) = 60; rank 1 [10,70) = 60; rank 2 [20,60) = 40.
     * Window [0,90): bubbles 30, 30, 50; rate = (110/3)/90.
     */
    @Test
    void shouldGiveTheSimulatorsBubblesForOneFileOfSeveralRanks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sim.json");
        long[][] ops = {
                {0, 0, 10}, {0, 10, 20}, {0, 50, 70}, {0, 70, 90},
                {1, 10, 20}, {1, 20, 30}, {1, 30, 50}, {1, 50, 70},
                {2, 20, 30}, {2, 30, 40}, {2, 40, 60},
        };
        String[] names = {"F0:0", "F0:1", "B0:0", "B0:1", "F0:0", "F0:1", "F0:2&B1:0", "B0:1", "F0:0", "b0:0", "W0:0"};
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, List.of(new DeviceProperties(0, "rank 0", 0),
                new DeviceProperties(1, "rank 1", 0), new DeviceProperties(2, "rank 2", 0)), -1, 0)) {
            for (int i = 0; i < ops.length; i++) {
                int rank = (int) ops[i][0];
                long start = ops[i][1] * US;
                long dur = (ops[i][2] - ops[i][1]) * US;
                w.complete(EventCategory.KERNEL, names[i], rank, 0, start, dur);
                w.complete(EventCategory.USER_ANNOTATION, names[i], rank, 0, start, dur);
            }
        }
        TraceSummary s = TraceMetrics.analyze("sim", TraceReader.read(file), AnalysisOptions.defaults());
        PipelineMetrics p = s.pipeline().orElseThrow();
        assertEquals(null, p.stepAnnotation());
        assertEquals(90.0, p.stepUs());
        assertEquals(List.of(0, 1, 2), p.ranks().stream().map(RankBubble::rank).toList());
        assertEquals(List.of(30.0, 30.0, 50.0), p.ranks().stream().map(RankBubble::bubbleUs).toList());
        assertEquals(List.of(60.0, 60.0, 40.0), p.ranks().stream().map(RankBubble::computeBusyUs).toList());
        assertEquals(110.0 / 3 / 90, p.bubbleRate(), 1e-12);
        assertTrue(Double.isNaN(s.devices().get(0).smOccupancyAvg()), "no SM count: occupancy unknown");
    }

    /**
     * Two per-rank files named by rank, ProfilerStep#1 starting at 8 µs (rank 0) and 9 µs:
     * rank 0: set-up kernel [0,5), compute [10,30), NCCL [30,50), compute [50,60);
     * rank 1: compute [20,40), [45,70). Window [10,70) = 60 µs; NCCL is no work:
     * bubbles 60 − 30 = 30 and 60 − 45 = 15. Without a step: window [0,70), bubbles 35, 25.
     */
    private static Path twoRanks(Path dir, boolean withStep) {
        try (ChromeTraceWriter w = ChromeTraceWriter.open(dir.resolve("job_rank0.json"),
                List.of(new DeviceProperties(0, "gpu", 132)), -1, 0)) {
            if (withStep) {
                w.complete(EventCategory.USER_ANNOTATION, "ProfilerStep#1", 900, 900, 8 * US, 100 * US);
            }
            w.complete(EventCategory.KERNEL, "setup", 0, 7, 0, 5 * US, grid(7, 1));
            w.complete(EventCategory.KERNEL, "gemm", 0, 7, 10 * US, 20 * US, grid(7, 1));
            w.complete(EventCategory.KERNEL, "ncclDevKernel_SendRecv", 0, 7, 30 * US, 20 * US, grid(7, 1));
            w.complete(EventCategory.KERNEL, "gemm", 0, 7, 50 * US, 10 * US, grid(7, 1));
        }
        try (ChromeTraceWriter w = ChromeTraceWriter.open(dir.resolve("job_rank1.json"),
                List.of(new DeviceProperties(1, "gpu", 132)), -1, 0)) {
            if (withStep) {
                w.complete(EventCategory.USER_ANNOTATION, "ProfilerStep#1", 901, 901, 9 * US, 100 * US);
            }
            w.complete(EventCategory.KERNEL, "gemm", 1, 7, 20 * US, 20 * US, grid(7, 1));
            w.complete(EventCategory.KERNEL, "gemm", 1, 7, 45 * US, 25 * US, grid(7, 1));
        }
        return dir;
    }

    @Test
    void shouldMeasureBubblesFromTheStepAnnotation(@TempDir Path dir) throws IOException {
        List<Trace> traces = TraceReader.read(twoRanks(dir, true));
        PipelineMetrics p = TraceMetrics.analyze("dir", traces, AnalysisOptions.defaults()).pipeline().orElseThrow();
        assertEquals("ProfilerStep#*", p.stepAnnotation());
        assertEquals(60.0, p.stepUs());
        assertEquals(List.of(30.0, 15.0), p.ranks().stream().map(RankBubble::bubbleUs).toList());
        assertEquals(22.5 / 60, p.bubbleRate(), 1e-12);
        PipelineMetrics exact = TraceMetrics.analyze("dir", traces,
                new AnalysisOptions(KernelClassifier.defaults(), "ProfilerStep#1", 5)).pipeline().orElseThrow();
        assertEquals(p.ranks(), exact.ranks());
    }

    @Test
    void shouldUseTheWholeTraceWithoutAStepAnnotation(@TempDir Path dir) throws IOException {
        List<Trace> traces = TraceReader.read(twoRanks(dir, false));
        PipelineMetrics p = TraceMetrics.analyze("dir", traces, AnalysisOptions.defaults()).pipeline().orElseThrow();
        assertEquals(70.0, p.stepUs());
        assertEquals(List.of(35.0, 25.0), p.ranks().stream().map(RankBubble::bubbleUs).toList());
    }

    @Test
    void shouldRejectAStepNoRankHas(@TempDir Path dir) throws IOException {
        List<Trace> traces = TraceReader.read(twoRanks(dir, true));
        AnalysisOptions options = new AnalysisOptions(KernelClassifier.defaults(), "sim:STEP", 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceMetrics.analyze("dir", traces, options));
        assertTrue(e.getMessage().startsWith("--step (sim:STEP) must name a user_annotation"), e.getMessage());
    }
}
