package io.parabench.gpu;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.trace.ChromeTraceWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same program on two H800s gives the same trace bytes and the same numbers with one and two
 * host threads, run twice each: virtual time never looks at the host.
 */
class DeterministicTraceTest {

    private record Run(byte[] trace, float[] result) {
    }

    private static Run run(int threads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        float[] result;
        DeviceSpec spec = DeviceSpec.h800();
        try (HostPool pool = HostPool.of(threads);
             ChromeTraceWriter trace = ChromeTraceWriter.open(out, List.of(spec.properties(0), spec.properties(1)), 0, 2)) {
            Device gpu0 = new Device(0, spec, pool, trace);
            Device gpu1 = new Device(1, spec, pool, trace);
            Stream compute0 = gpu0.stream(112);
            Stream comm0 = gpu0.stream(20);
            Stream compute1 = gpu1.stream(132);
            Random rnd = new Random(42);
            Tensor x = gpu0.allocate("x", 67, 129);
            Tensor w = gpu0.allocate("w", 45, 129);
            for (float[] d : List.of(x.data(), w.data())) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = rnd.nextFloat() - 0.5f;
                }
            }
            Tensor y = gpu0.allocate("y", 67, 45);
            Tensor h = gpu0.allocate("h", 67, 45);
            Tensor remote = gpu1.allocate("h on gpu1", 67, 45);
            Tensor p = gpu1.allocate("p", 67, 45);
            compute0.annotate("F0:0", () -> {
                compute0.gemm(GemmLayout.FORWARD, x, w, y, false);
                compute0.geluTanh(y, h);
            });
            comm0.waitFor(compute0.record());
            comm0.copy(h, remote, MemoryPath.NVLINK);
            compute1.waitFor(comm0.record());
            compute1.softmax(remote, p);
            result = p.data().clone();
        }
        return new Run(out.toByteArray(), result);
    }

    @Test
    void shouldWriteByteIdenticalTracesForAnyHostThreadCount() {
        Run first = run(1);
        assertTrue(first.trace().length > 1000);
        for (int threads : new int[]{2, 1, 2}) {
            Run again = run(threads);
            assertArrayEquals(first.trace(), again.trace(), "trace with " + threads + " host threads");
            assertArrayEquals(first.result(), again.result(), "numbers with " + threads + " host threads");
        }
    }
}
