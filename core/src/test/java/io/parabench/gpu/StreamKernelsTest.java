package io.parabench.gpu;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.trace.ChromeTraceWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream's kernel wrappers compute on device tensors and report FLOPs and bytes by hand-checkable rules. */
class StreamKernelsTest {

    @Test
    void shouldRunALinearLayerAndLossOnTheDeviceAndTraceItsCost() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeviceSpec spec = TwoStreamOverlapTest.SPEC;
        float[] loss;
        float[] grad;
        try (ChromeTraceWriter trace = ChromeTraceWriter.open(out, List.of(spec.properties(0)), -1, 0)) {
            Device gpu = new Device(0, spec, HostPool.SERIAL, trace);
            Stream s = gpu.stream(132);
            Tensor x = gpu.allocate("x", 2, 3);
            Tensor w = gpu.allocate("w", 2, 3);
            Tensor y = gpu.allocate("y", 2, 2);
            Tensor target = gpu.allocate("target", 2, 2);
            Tensor l = gpu.allocate("loss", 1, 1);
            Tensor g = gpu.allocate("grad", 2, 2);
            System.arraycopy(new float[]{1, 2, 3, 4, 5, 6}, 0, x.data(), 0, 6);
            System.arraycopy(new float[]{1, 0, -1, 2, 1, 0}, 0, w.data(), 0, 6);
            System.arraycopy(new float[]{-2, 4, -2, 12}, 0, target.data(), 0, 4);
            s.gemm(GemmLayout.FORWARD, x, w, y, false); // y = [[-2, 4], [-2, 13]]
            s.mseLoss(y, target, l);
            s.mseGrad(y, target, g);
            // The same product timed as FP8: 1 byte per input element, C in BF16 (what FP8 GEMMs write): 6 + 6 + 8.
            s.gemm(GemmLayout.FORWARD, x, w, y, false, Precision.FP8);
            loss = l.data().clone();
            grad = g.data().clone();
        }
        assertArrayEquals(new float[]{0.25f}, loss, "one error of 1 over 4 elements");
        assertArrayEquals(new float[]{0, 0, 0, 0.5f}, grad, "2/4 · (13 - 12)");
        String json = out.toString(StandardCharsets.UTF_8);
        // 2·m·n·k = 2·2·2·3 FLOPs; bytes = 4·(6 + 6 + 4) for X, W and Y.
        assertTrue(json.contains("\"name\":\"gemm_forward\",\"pid\":0,\"tid\":0,\"ts\":0,\"dur\":1.001,"
                + "\"args\":{\"device\":0,\"stream\":0,\"grid\":[132,1,1],\"block\":[128,1,1],\"sms\":132,"
                + "\"flops\":24,\"bytes\":64}}"), json);
        assertTrue(json.contains("\"name\":\"fp8_gemm_forward\",\"pid\":0,\"tid\":0,\"ts\":3.003,\"dur\":1.001,"
                + "\"args\":{\"device\":0,\"stream\":0,\"grid\":[132,1,1],\"block\":[128,1,1],\"sms\":132,"
                + "\"flops\":24,\"bytes\":20}}"), json);
        assertEquals(4, json.split("\"cat\":\"kernel\"").length - 1);
    }

    @Test
    void shouldRoundTripActivationsThroughFp8OnTheDevice() {
        Device gpu = new Device(0, TwoStreamOverlapTest.SPEC, HostPool.SERIAL, null);
        Stream s = gpu.stream(8);
        Tensor x = gpu.allocate("x", 1, 3);
        Tensor out = gpu.allocate("out", 1, 3);
        // Group max 448 gives scale 1, so values map to e4m3 unscaled: 448 stays, 1.0625 ties to 1,
        // 0.3 rounds to 0.3125 (1.25 × 2^-2, the nearer of 0.28125 and 0.3125).
        System.arraycopy(new float[]{448f, 1.0625f, 0.3f}, 0, x.data(), 0, 3);
        s.roundTripFp8E4m3(x, out);
        assertArrayEquals(new float[]{448f, 1f, 0.3125f}, out.data());
    }
}
