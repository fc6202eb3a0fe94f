package io.parabench.analysis;

import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;
import io.parabench.trace.KernelArgs;

import java.nio.file.Path;
import java.util.List;

/** Small traces written with the suite's own writer, for report and chart tests. */
public final class TestTraces {
    private static final long US = 1000;

    private TestTraces() {
    }

    /**
     * A directory of two per-rank traces with a step annotation, compute on stream 7 and
     * DeepEP-style communication on stream 20, and {@code sim:*} GPU annotations per op.
     */
    public static Path twoRankDirectory(Path dir) {
        for (int rank = 0; rank < 2; rank++) {
            try (ChromeTraceWriter w = ChromeTraceWriter.open(dir.resolve("step_rank" + rank + ".json"),
                    List.of(new DeviceProperties(rank, "test GPU <&>", 132)), rank, 2)) {
                w.complete(EventCategory.USER_ANNOTATION, "ProfilerStep#1", 100 + rank, 100 + rank, 0, 400 * US);
                long t = 10 * US + rank * 40 * US;
                for (int mb = 0; mb < 3; mb++) {
                    w.complete(EventCategory.GPU_USER_ANNOTATION, "sim:F s" + rank + " mb" + mb, rank, 7, t, 30 * US);
                    w.complete(EventCategory.KERNEL, "void gemm<float, 128>(float*, int)", rank, 7, t, 20 * US,
                            new KernelArgs(rank, 7, 264, 128, -1, -1, -1));
                    w.complete(EventCategory.KERNEL, "void gelu(float*)", rank, 7, t + 20 * US, 10 * US,
                            new KernelArgs(rank, 7, 66, 128, -1, -1, -1));
                    w.complete(EventCategory.KERNEL, "void deep_ep::internode::dispatch<8>(int4*)", rank, 20, t + 5 * US,
                            40 * US, new KernelArgs(rank, 20, 20, 512, -1, -1, -1));
                    t += 50 * US;
                }
                w.complete(EventCategory.GPU_MEMSET, "Memset (Device)", rank, 7, t, 2 * US);
                w.complete(EventCategory.USER_ANNOTATION, "attn(F)", 100 + rank, 100 + rank, 5 * US, 20 * US);
            }
        }
        return dir;
    }
}
