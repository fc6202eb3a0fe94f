package io.parabench.gpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Wave quantisation beside NCCL's SendRecv on an H200 (132 SMs), for the GEMMs of
 * {@code gpu-traces/torch_zbv} as the profiler recorded them (grid, threads, registers, shared
 * memory); expected waves worked out by hand, measured slowdowns in {@link SmSharing}'s Javadoc.
 */
class SmSharingTest {
    private static final BlockShape TN_128 = new BlockShape(128, 255, 33_792);
    private static final BlockShape NN_256 = new BlockShape(256, 254, 67_584);
    private static final BlockShape SIMT = new BlockShape(256, 202, 49_152);
    private final SmSharing h200 = SmSharing.hopper(132);

    @Test
    void shouldFitBlocksByTheirScarcestResource() {
        assertEquals(2, SmLimits.HOPPER.residentBlocks(TN_128), "2 x 32,640 registers");
        assertEquals(1, SmLimits.HOPPER.residentBlocks(NN_256));
        assertEquals(16, SmLimits.HOPPER.residentBlocks(new BlockShape(128, 31, 0)), "thread slots: 2048 / 128");
        // NCCL's block holds 61,440 of 65,536 registers: no GEMM block fits beside it
        assertEquals(0, SmLimits.HOPPER.residentBlocksBeside(TN_128, CommKernel.NCCL_SEND_RECV.shape()));
        assertEquals(8, h200.heldSms(TN_128));
    }

    @Test
    void shouldAddAWaveWhenTheLastOneWasNearlyFull() {
        // 512 blocks at 2 per SM: 264 slots, 2 waves; 248 slots on 124 SMs: 3 waves (measured 1.47x)
        assertEquals(1.5, h200.slowdown(512, TN_128), 1e-12);
        // 2048 blocks: 8 waves -> 9 (measured on the same kernel beside a send: partially overlapped)
        assertEquals(9.0 / 8, h200.slowdown(2048, TN_128), 1e-12);
        assertEquals(1.5, h200.slowdown(256, NN_256), 1e-12, "measured 1.50x");
        assertEquals(9.0 / 8, h200.slowdown(1024, NN_256), 1e-12, "measured 1.13x");
        assertEquals(9.0 / 8, h200.slowdown(1024, SIMT), 1e-12, "measured 1.125x");
        assertEquals(8, h200.waves(2048, TN_128));
    }

    @Test
    void shouldNotSlowAKernelWithWavesToSpare() {
        // 200 blocks at 2 per SM fit in one wave on 124 SMs as on 132
        assertEquals(1.0, h200.slowdown(200, TN_128), 1e-12);
        assertEquals(1.0, h200.slowdown(0, TN_128), 1e-12);
    }
}
