package io.parabench.gpu;

import io.parabench.kernels.HostPool;
import io.parabench.trace.ChromeTraceWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeepSeek-V3's training split: a compute stream with 112 of 132 SMs and a communication stream
 * with 20. Round numbers make every time checkable by hand: 1 GFLOP/s per SM, NVLink 10 GB/s,
 * 1 µs launch overhead.
 */
class TwoStreamOverlapTest {
    static final DeviceSpec SPEC = new DeviceSpec("test GPU", 132, 1e9, 1e9, 1e9, 1L << 30, 132e9, 10e9, 1e9, 1_000);

    @Test
    void shouldOverlapComputeAndCommunicationAndJoinThemWithAnEvent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] ran = new int[3];
        Launch compute;
        Launch dispatch;
        Launch combine;
        try (ChromeTraceWriter trace = ChromeTraceWriter.open(out, List.of(SPEC.properties(0)), -1, 0)) {
            Device gpu = new Device(0, SPEC, HostPool.SERIAL, trace);
            Stream computeStream = gpu.stream(112);
            Stream commStream = gpu.stream(20);
            // 112e6 FLOPs on 112 SMs at 1e9 FLOP/s each: 1 ms, + 1 µs launch.
            compute = computeStream.launch("compute", KernelCost.fp32(112_000_000, 0), () -> ran[0]++);
            // 15 MB over a 10 GB/s link: 1.5 ms, + 1 µs (the link is not split by SMs).
            dispatch = commStream.launch("dispatch", KernelCost.transfer(15_000_000, MemoryPath.NVLINK), () -> ran[1]++);
            Event computeDone = computeStream.record();
            Event dispatchDone = commStream.record();
            computeStream.waitFor(computeDone);
            computeStream.waitFor(dispatchDone);
            // 11.2e6 FLOPs on 112 SMs: 100 µs, + 1 µs; it may start only when both are done.
            combine = computeStream.launch("combine", KernelCost.fp32(11_200_000, 0), () -> ran[2]++);
            assertEquals(1_602_000, gpu.synchronizeNs());
        }
        assertEquals(new Launch("compute", 0, 0, 0, 1_001_000), compute);
        assertEquals(new Launch("dispatch", 0, 1, 0, 1_501_000), dispatch);
        assertEquals(new Launch("combine", 0, 0, 1_501_000, 1_602_000), combine);
        assertTrue(compute.overlaps(dispatch), "compute and communication overlap in virtual time");
        assertFalse(combine.overlaps(compute) || combine.overlaps(dispatch), "the event orders the third kernel");
        assertEquals(List.of(1, 1, 1), List.of(ran[0], ran[1], ran[2]), "each kernel's numerics ran once");

        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"deviceProperties\":[{\"id\":0,\"name\":\"test GPU\",\"numSms\":132}]"), json);
        assertTrue(json.contains("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"GPU 0\"}}"));
        assertTrue(json.contains("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":0,\"tid\":1,\"args\":{\"name\":\"stream 1\"}}"));
        assertTrue(json.contains("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"compute\",\"pid\":0,\"tid\":0,\"ts\":0,\"dur\":1001,"
                + "\"args\":{\"device\":0,\"stream\":0,\"grid\":[112,1,1],\"block\":[128,1,1],\"sms\":112,"
                + "\"flops\":112000000,\"bytes\":0}}"), json);
        assertTrue(json.contains("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"dispatch\",\"pid\":0,\"tid\":1,\"ts\":0,\"dur\":1501,"
                + "\"args\":{\"device\":0,\"stream\":1,\"grid\":[20,1,1],\"block\":[128,1,1],\"sms\":20,"
                + "\"flops\":0,\"bytes\":15000000}}"), json);
        assertTrue(json.contains("\"name\":\"combine\",\"pid\":0,\"tid\":0,\"ts\":1501,\"dur\":101,"), json);
    }

    @Test
    void shouldLetACopyOnlyStreamCopyButNotComputeAndRefuseToOvergrantSms() {
        Device gpu = new Device(0, SPEC, HostPool.SERIAL, null);
        gpu.stream(112);
        Stream rdma = gpu.stream(0);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> gpu.stream(21));
        assertEquals("stream SMs (21) must be in 0..20 (112 of 132 SMs of device 0 already granted)", e.getMessage());
        Tensor src = gpu.allocate("src", 1000, 250); // 1 MB
        Tensor dst = gpu.allocate("dst", 1000, 250);
        src.data()[999] = 3f;
        // 1e6 bytes over a 1 GB/s network: 1 ms, + 1 µs.
        Launch copy = rdma.copy(src, dst, MemoryPath.NETWORK);
        assertEquals(1_001_000, copy.durationNs());
        assertEquals(3f, dst.data()[999]);
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> rdma.launch("k", KernelCost.fp32(1, 1), () -> { }));
        assertTrue(e.getMessage().contains("has 0 (copy-only)"), e.getMessage());
    }
}
