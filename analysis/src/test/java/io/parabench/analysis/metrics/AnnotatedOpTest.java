package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AnnotatedOpTest {
    private static String event(String cat, String name, int pid, int tid, long ts, long dur, String args) {
        return "{\"ph\":\"X\",\"cat\":\"" + cat + "\",\"name\":\"" + name + "\",\"pid\":" + pid + ",\"tid\":" + tid
                + ",\"ts\":" + ts + ",\"dur\":" + dur + (args == null ? "" : ",\"args\":" + args) + "}";
    }

    /**
     * Main thread 10 opens "sim:F mb0" [0,100) and launches kernels 1 and 2 itself; then opens
     * "sim:B mb0" [100,300) and blocks while autograd thread 11 launches kernels 3 and 4 (no
     * annotation open on thread 11). Kernel 5 is NCCL (not computation); kernel 6 was launched
     * outside any op. GPU times: k1 [50,70), k2 [70,90), k3 [150,180), k4 [200,260), k5 [90,150).
     */
    @Test
    void shouldAttributeKernelsThroughTheirLaunchesIncludingFromAnotherThread() throws IOException {
        String json = "{\"traceEvents\":["
                + event("user_annotation", "sim:F mb0", 1, 10, 0, 100, null) + ","
                + event("user_annotation", "sim:B mb0", 1, 10, 100, 200, null) + ","
                + event("user_annotation", "other", 1, 10, 0, 400, null) + ","
                + event("cuda_runtime", "cudaLaunchKernel", 1, 10, 10, 1, "{\"correlation\":1}") + ","
                + event("cuda_runtime", "cudaLaunchKernel", 1, 10, 20, 1, "{\"correlation\":2}") + ","
                + event("cuda_runtime", "cudaLaunchKernel", 1, 11, 110, 1, "{\"correlation\":3}") + ","
                + event("cuda_runtime", "cudaLaunchKernel", 1, 11, 120, 1, "{\"correlation\":4}") + ","
                + event("cuda_runtime", "cudaLaunchKernel", 1, 10, 30, 1, "{\"correlation\":5}") + ","
                + event("cuda_runtime", "cudaLaunchKernel", 1, 10, 350, 1, "{\"correlation\":6}") + ","
                + event("kernel", "gemm", 0, 7, 50, 20, "{\"correlation\":1}") + ","
                + event("kernel", "gemm", 0, 7, 70, 20, "{\"correlation\":2}") + ","
                + event("kernel", "gemm", 0, 7, 150, 30, "{\"correlation\":3}") + ","
                + event("kernel", "gemm", 0, 7, 200, 60, "{\"correlation\":4}") + ","
                + event("kernel", "ncclDevKernel_SendRecv", 0, 9, 90, 60, "{\"correlation\":5}") + ","
                + event("kernel", "gemm", 0, 7, 400, 10, "{\"correlation\":6}")
                + "]}";
        Trace t = TraceReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "ops.json");
        List<AnnotatedOp> ops = AnnotatedOp.of(new PipelineRank(0, t, Set.of(0)), name -> name.startsWith("sim:"),
                KernelClassifier.defaults());
        assertEquals(List.of(new AnnotatedOp("sim:F mb0", 50_000, 90_000, 2),
                new AnnotatedOp("sim:B mb0", 150_000, 260_000, 2)), ops);
    }
}
