package io.parabench.gpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RooflineCostModelTest {
    private static final DeviceSpec SPEC = TwoStreamOverlapTest.SPEC;

    @Test
    void shouldTakeTheSlowerOfComputeAndMemoryPlusLaunch() {
        // Compute-bound: 1e6 FLOPs on 10 SMs = 100 µs; 1000 bytes over 10/132 of 132 GB/s = 0.1 µs.
        assertEquals(101_000, RooflineCostModel.kernelNs(SPEC, KernelCost.fp32(1_000_000, 1_000), 10));
        // Memory-bound: 10 SMs get 10 GB/s of HBM; 2e6 bytes = 200 µs beats 1000 FLOPs = 0.1 µs.
        assertEquals(201_000, RooflineCostModel.kernelNs(SPEC, KernelCost.fp32(1_000, 2_000_000), 10));
        // Fractions of a nanosecond round up: 1 FLOP on 1 SM = 1 ns exactly, 1 FLOP on 3 SMs = 1/3 ns -> 1.
        assertEquals(1_001, RooflineCostModel.kernelNs(SPEC, KernelCost.fp32(1, 0), 1));
        assertEquals(1_001, RooflineCostModel.kernelNs(SPEC, KernelCost.fp32(1, 0), 3));
        // A copy: 1e6 bytes over NVLink at 10 GB/s = 100 µs.
        assertEquals(101_000, RooflineCostModel.copyNs(SPEC, 1_000_000, MemoryPath.NVLINK));
    }

    @Test
    void shouldUseThePrecisionsPeak() {
        DeviceSpec h800 = DeviceSpec.h800();
        // 4096³ GEMM in BF16 on all 132 SMs: 2·4096³ / 989.5e12 s = 138 897.38 ns, rounded up, + 2 µs.
        long flops = 2L * 4096 * 4096 * 4096;
        assertEquals(138_898 + 2_000, RooflineCostModel.kernelNs(h800,
                new KernelCost(flops, Precision.BF16, 0, MemoryPath.HBM), 132));
        // The same in FP8 takes half as long (1979 vs 989.5 TFLOP/s dense): 69 448.69 ns.
        assertEquals(69_449 + 2_000, RooflineCostModel.kernelNs(h800,
                new KernelCost(flops, Precision.FP8, 0, MemoryPath.HBM), 132));
    }

    @Test
    void shouldDescribeTheHopperPresetsFromTheirDatasheets() {
        assertEquals(132, DeviceSpec.h100().numSms());
        // one direction: half the datasheets' two-direction totals (400 and 900 GB/s)
        assertEquals(200e9, DeviceSpec.h800().nvlinkBytesPerSecond());
        assertEquals(450e9, DeviceSpec.h100().nvlinkBytesPerSecond());
        assertEquals(4.8e12, DeviceSpec.h200().hbmBytesPerSecond());
        assertEquals(141_000_000_000L, DeviceSpec.h200().memoryBytes());
        assertEquals(67e12, DeviceSpec.h100().fp32FlopsPerSm() * 132, 1e3);
        assertEquals("NVIDIA H800", DeviceSpec.preset("H800").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.preset("a100"));
        assertEquals("device preset (a100) must be one of h800, h100, h200, host", e.getMessage());
    }

    @Test
    void shouldRejectKernelsWithoutSmsOrMoreThanTheDeviceHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RooflineCostModel.kernelNs(SPEC, KernelCost.fp32(1, 1), 133));
        assertEquals("kernel SMs (133) must be in 1..132; a stream with 0 SMs can only copy", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelCost.fp32(-1, 0));
    }
}
