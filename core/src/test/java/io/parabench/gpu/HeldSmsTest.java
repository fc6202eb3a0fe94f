package io.parabench.gpu;

import io.parabench.kernels.HostPool;
import io.parabench.trace.ChromeTraceWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resident NCCL kernel holds 8 of the H200's 132 SMs: a GEMM beside it runs as the clock times
 * it on 124 SMs, for as long as the window lasts, and at full speed after.
 */
class HeldSmsTest {
    private static final DeviceSpec SPEC = DeviceSpec.h200();
    /**
     * The fp32 forward GEMM of gpu-traces' stages (4096 tokens, 2048 → 8192): a few waves of tiles,
     * so 8 SMs fewer cost it a large part of a wave.
     */
    private static final KernelCost GEMM = KernelCost.gemm(GemmShape.of(4096, 8192, 2048), Precision.FP32,
            4L * (4096 * 2048 + 8192 * 2048 + 4096 * 8192));

    private static Device device() {
        return new Device(0, SPEC, HostPool.SERIAL, null, Emulation.timingOnly(Precision.FP32));
    }

    @Test
    void shouldRunAKernelBesideAResidentCommKernelOnTheSmsLeft() {
        long alone = CalibratedClock.kernelNs(SPEC, GEMM, 132);
        long onFewer = CalibratedClock.kernelNs(SPEC, GEMM, 124);
        assertTrue(onFewer > 1.1 * alone, "8 SMs fewer cost the GEMM a wave: " + alone + " vs " + onFewer + " ns");

        Device solo = device();
        Launch free = solo.stream(132).launch("gemm", GEMM, () -> { });
        assertEquals(alone, free.durationNs());

        Device gpu = device();
        Stream compute = gpu.stream(132);
        Stream nccl = gpu.stream(0);
        nccl.commKernel("ncclDevKernel_SendRecv", CommKernel.NCCL_SEND_RECV, 0, 10 * onFewer, 32L << 20);
        Launch beside = compute.launch("gemm", GEMM, () -> { });
        assertEquals(onFewer, beside.durationNs(), 1, "the whole kernel ran beside the comm kernel");
    }

    @Test
    void shouldRunAtFullSpeedOnceTheCommKernelEnds() {
        long alone = CalibratedClock.kernelNs(SPEC, GEMM, 132);
        long onFewer = CalibratedClock.kernelNs(SPEC, GEMM, 124);
        Device gpu = device();
        Stream compute = gpu.stream(132);
        Stream nccl = gpu.stream(0);
        long windowEnd = alone / 2;
        nccl.commKernel("ncclDevKernel_SendRecv", CommKernel.NCCL_SEND_RECV, 0, windowEnd, 32L << 20);
        Launch g = compute.launch("gemm", GEMM, () -> { });
        // inside the window it does (windowEnd − start) × alone/onFewer of its work, the rest at full speed
        double doneInWindow = (windowEnd - g.startNs()) * (double) alone / onFewer;
        assertEquals(windowEnd + (alone - doneInWindow), g.endNs(), 2);
        assertTrue(g.durationNs() > alone && g.durationNs() < onFewer);
    }

    @Test
    void shouldNotSlowACopyOrAKernelOfAnotherDevice() {
        Device gpu = device();
        Stream compute = gpu.stream(132);
        Stream nccl = gpu.stream(0);
        Stream copies = gpu.stream(0);
        nccl.commKernel("ncclDevKernel_SendRecv", CommKernel.NCCL_SEND_RECV, 0, 1_000_000_000L, 0);
        Tensor a = gpu.allocate("a", 1024, 1024);
        Tensor b = gpu.allocate("b", 1024, 1024);
        Launch copy = copies.copy(a, b, MemoryPath.NVLINK);
        assertEquals(CalibratedClock.copyNs(SPEC, 4L << 20, MemoryPath.NVLINK), copy.durationNs(),
                "copy engines hold no SMs");
        Launch other = device().stream(132).launch("gemm", GEMM, () -> { });
        assertEquals(CalibratedClock.kernelNs(SPEC, GEMM, 132), other.durationNs());
        assertTrue(compute.launch("gemm", GEMM, () -> { }).durationNs() > other.durationNs());
    }

    @Test
    void shouldWriteTheCommKernelWithItsBlocksAndRefuseAWindowBeforeTheStreamIsReady() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChromeTraceWriter trace = ChromeTraceWriter.open(out, List.of(SPEC.properties(0)), -1, 0)) {
            Device gpu = new Device(0, SPEC, HostPool.SERIAL, trace, Emulation.timingOnly(Precision.FP32));
            gpu.stream(132);
            Stream nccl = gpu.stream(0);
            // the host issues it one eager launch (8.4 µs) after the start: it cannot start earlier
            Launch early = nccl.commKernel("ncclDevKernel_SendRecv", CommKernel.NCCL_SEND_RECV, 2_000, 2_000, 0);
            assertTrue(early.startNs() > 8_000 && early.startNs() == early.endNs(), early.toString());
            Launch l = nccl.commKernel("ncclDevKernel_SendRecv", CommKernel.NCCL_SEND_RECV, 20_000, 171_000, 1 << 25);
            assertEquals(new Launch("ncclDevKernel_SendRecv", 0, 1, 20_000, 171_000), l);
            assertEquals(171_000, nccl.readyNs());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nccl.commKernel("ncclDevKernel_SendRecv", CommKernel.NCCL_SEND_RECV, 100_000, 200_000, 0));
            assertEquals("comm kernel ncclDevKernel_SendRecv window (100000..200000 ns) must start at or after stream 1's"
                    + " ready time (171000 ns) and not end before it starts", e.getMessage());
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"ncclDevKernel_SendRecv\",\"pid\":0,\"tid\":1,"
                + "\"ts\":20,\"dur\":151,\"args\":{\"device\":0,\"stream\":1,\"grid\":[8,1,1],\"block\":[640,1,1],\"sms\":8,"
                + "\"flops\":0,\"bytes\":33554432}}"), json);
    }
}
