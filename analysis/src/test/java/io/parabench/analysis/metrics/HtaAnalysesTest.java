package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HTA's analyses on a trace small enough to work out by hand (times in µs): three launch calls
 * and their kernels on stream 7,
 * <pre>
 *   call 1  [0, 5)    → gemm  [10, 20)
 *   call 2  [6, 10)   → gemm  [25, 27)     gap 5 after the first gemm, call started before it ended
 *   call 3  [40, 100) → nccl  [200, 250)   gap 173, call started after the second gemm ended
 * </pre>
 */
class HtaAnalysesTest {
    private static final String TRACE = "{\"traceEvents\":["
            + call(1, 0, 5) + "," + call(2, 6, 4) + "," + call(3, 40, 60) + ","
            + kernel("gemm", 1, 10, 10) + "," + kernel("gemm", 2, 25, 2) + ","
            + kernel("ncclDevKernel_AllReduce_Sum_f32_RING_LL", 3, 200, 50) + "]}";

    private static String call(int correlation, int ts, int dur) {
        return "{\"ph\":\"X\",\"cat\":\"cuda_runtime\",\"name\":\"cudaLaunchKernel\",\"pid\":100,\"tid\":100,\"ts\":" + ts
                + ",\"dur\":" + dur + ",\"args\":{\"correlation\":" + correlation + "}}";
    }

    private static String kernel(String name, int correlation, int ts, int dur) {
        return "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"" + name + "\",\"pid\":0,\"tid\":7,\"ts\":" + ts + ",\"dur\":" + dur
                + ",\"args\":{\"stream\":7,\"correlation\":" + correlation + "}}";
    }

    private static DeviceMetrics device() throws IOException {
        Trace t = TraceReader.read(new ByteArrayInputStream(TRACE.getBytes(StandardCharsets.UTF_8)), "hand.json");
        AnalysisOptions hta = new AnalysisOptions(KernelClassifier.hta(), null, 10, TimeBase.HTA,
                AnalysisOptions.DEFAULT_KERNEL_WAIT_NS, AnalysisOptions.DEFAULT_RUNTIME_CUTOFF_NS,
                AnalysisOptions.DEFAULT_LAUNCH_DELAY_CUTOFF_NS);
        return TraceMetrics.analyze("hand.json", List.of(t), hta).devices().get(0);
    }

    @Test
    void shouldBreakTheSpanDownAsHtaDoes() throws IOException {
        Temporal t = device().temporal();
        assertEquals(240_000, t.kernelTimeNs(), "250 − 10");
        assertEquals(178_000, t.idleNs(), "240 − (10 + 2 + 50)");
        assertEquals(12_000, t.computeNs(), "the two gemms");
        assertEquals(50_000, t.nonComputeNs(), "240 − 12 − 178: the NCCL kernel");
    }

    @Test
    void shouldGiveKernelStatisticsWithTheSampleStandardDeviation() throws IOException {
        DeviceMetrics d = device();
        KernelStat gemm = d.breakdown().rows().stream().filter(k -> k.name().equals("gemm")).findFirst().orElseThrow();
        assertEquals(KernelClass.COMPUTATION, gemm.kind());
        assertEquals(2, gemm.count());
        assertEquals(12_000, gemm.totalNs());
        assertEquals(6_000, gemm.meanNs());
        assertEquals(2_000, gemm.minNs());
        assertEquals(10_000, gemm.maxNs());
        assertEquals(Math.sqrt(32) * 1000, gemm.stdNs(), 1e-6, "sqrt(((10−6)² + (2−6)²) / (2 − 1)) µs");
        assertEquals(1.0, d.breakdown().share(gemm));
        assertEquals(KernelClass.COMMUNICATION, d.breakdown().rows().get(0).kind(), "the nccl kernel is the longest");
    }

    @Test
    void shouldSplitIdleTimeIntoHostWaitKernelWaitAndOther() throws IOException {
        StreamIdle s = device().idleBreakdown().get(0);
        assertEquals(7, s.stream());
        assertEquals(173_000, s.hostWaitNs(), "call 3 started at 40, after the gemm ended at 27");
        assertEquals(5_000, s.kernelWaitNs(), "gap of 5 < 30, call 2 started at 6, before 20");
        assertEquals(0, s.otherNs());
    }

    @Test
    void shouldCountLaunchOutliersAndShortKernels() throws IOException {
        LaunchSummary l = device().launches();
        assertEquals(3, l.launches());
        assertEquals(1, l.runtimeOutliers(), "call 3 took 60 > 50");
        assertEquals(0, l.delayOutliers(), "delays 5, 15 and 100: none above 100");
        assertEquals(1, l.shortKernels(), "the second gemm runs 2 after a call of 4");
        assertEquals(100_000, l.launchDelayNs().max(), "200 − 40 − 60");
        assertEquals(15_000, l.launchDelayNs().p50());
    }

    @Test
    void shouldTrackTheQueueLengthOfTheStream() throws IOException {
        Distribution q = device().queueLength().get(7);
        // +1 at 0, +1 at 6, −1 at 10, −1 at 25, +1 at 40, −1 at 200: values 1 2 1 0 1 0
        assertEquals(6, q.count());
        assertEquals(5.0 / 6, q.mean(), 1e-12);
        assertEquals(2, q.max());
        assertEquals(0, q.min());
        assertEquals(1, q.p50());
    }
}
