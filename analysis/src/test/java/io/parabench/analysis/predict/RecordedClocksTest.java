package io.parabench.analysis.predict;

import io.parabench.gpu.DeviceClock;
import io.parabench.pipeline.Op;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two GPUs run the same forward (one 100 µs GEMM) every 300 µs from trace time 1 ms; GPU 1's
 * clock halves after its second forward. Times worked out by hand.
 */
class RecordedClocksTest {
    private static final long ORIGIN_NS = 1_000_000;

    private static RecordedOp forward(int rank, int mb, double us, double besideUs, long startUs, String... extra) {
        List<RecordedKernel> kernels = new ArrayList<>();
        kernels.add(new RecordedKernel(us, besideUs, 1, 0, "gemm grid 512", ORIGIN_NS + startUs * 1000));
        for (String shape : extra) {
            kernels.add(new RecordedKernel(10, 0, 1, 0, shape, ORIGIN_NS + (startUs + (long) us) * 1000));
        }
        return new RecordedOp(rank, Op.forward(0, mb), rank, 0, us, besideUs > 0, kernels, -1);
    }

    private static RecordedClocks clocks() {
        List<RecordedOp> gpu0 = new ArrayList<>();
        List<RecordedOp> gpu1 = new ArrayList<>();
        for (int mb = 0; mb < 4; mb++) {
            // only GPU 0 runs the loss: that work tells nothing of its clock
            gpu0.add(forward(0, mb, 100, 0, 300L * mb, "loss grid 1"));
            gpu1.add(forward(1, mb, mb < 2 ? 100 : 200, 0, 300L * mb));
        }
        // beside a transfer the GEMM's time is not the clock's: no reading, the clock stays halved
        gpu1.add(forward(1, 4, 300, 100, 1200));
        return RecordedClocks.of(List.of(gpu0, gpu1), ORIGIN_NS, 1500);
    }

    @Test
    void shouldReadEachGpusClockFromKernelsDoingTheSameWork() {
        RecordedClocks clocks = clocks();
        DeviceClock gpu1 = clocks.clocks().get(1);
        assertEquals(1, gpu1.factor(0));
        assertEquals(1, gpu1.factor(599));
        assertEquals(2, gpu1.factor(600));
        assertEquals(2, gpu1.factor(1400), "the GEMM beside a transfer gives no reading");
        assertEquals(2, clocks.factorAt(1, ORIGIN_NS + 900_000));
        DeviceClock gpu0 = clocks.clocks().get(0);
        for (double t = 0; t < 1500; t += 50) {
            assertEquals(1, gpu0.factor(t), "GPU 0 at t=" + t);
        }
        // GPU 1 over the 1500 µs step: 600 at 1, 900 at 2
        assertArrayEquals(new double[] {1, 2400.0 / 1500}, clocks.meanFactors(), 1e-12);
    }
}
