package io.parabench.pipeline;

import io.parabench.gpu.DeviceClock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Posted receives on 1F1B, 2 ranks, 2 micro-batches, F = 10 (one kernel, twice as long beside a
 * comm kernel), B = 20 (never slowed), p2p = 1, every time worked out by hand from the lowering
 * of {@link SendRecvLoweringTest}.
 */
class PostedReceiveExecutorTest {
    private static Timeline run(double forwardLastWave) {
        return run(forwardLastWave, DeviceClock.NOMINAL);
    }

    private static Timeline run(double forwardLastWave, DeviceClock rankZeroClock) {
        List<KernelPhase> f = List.of(new KernelPhase(1, 2, forwardLastWave));
        List<KernelPhase> b = List.of(new KernelPhase(1, 1, 0));
        OpKernels kernels = OpKernels.of(List.of(List.of(f, f), List.of(b, b), List.of(b, b), List.of(b, b)));
        CostModel costs = CostModel.of(10, 20, 10, 10, Double.NaN, 1).withPostedReceives(kernels);
        return Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2),
                costs.withDeviceClocks(List.of(rankZeroClock, DeviceClock.NOMINAL)));
    }

    @Test
    void shouldSlowComputationBesideAWaitingCommKernel() {
        Timeline t = run(0);
        // rank 1's RECV_F0 waits from 0; rank 0's F0 ends at 10, its SEND_F0 starts then: both end at 11.
        // Rank 0's F1 (from 10) runs at half speed beside that send for 1: ends 20.5.
        assertEquals(0, t.start(0, 0), 1e-9);
        assertEquals(10, t.end(0, 0), 1e-9);
        assertEquals(20.5, t.end(0, 1), 1e-9);
        // rank 1: F0 11..21, B0 21..41; its RECV_F1 (posted after F0) meets SEND_F1 (started 20.5) at 21 + 1
        assertEquals(11, t.start(1, 0), 1e-9);
        assertEquals(41, t.end(1, 1), 1e-9);
        // rank 1's SEND_B0 starts at 41 beside its F1, which loses 0.5: 41..51.5; B1 51.5..71.5
        assertEquals(51.5, t.end(1, 2), 1e-9);
        assertEquals(71.5, t.end(1, 3), 1e-9);
        // rank 0: RECV_B0 posted back to back after SEND_F1 (22) ends with SEND_B0 at 42; B0 42..62;
        // RECV_B1 from 62 meets SEND_B1 at 71.5: B1 72.5..92.5
        assertEquals(42, t.start(0, 2), 1e-9);
        assertEquals(72.5, t.start(0, 3), 1e-9);
        assertEquals(92.5, t.makespan(), 1e-9);
    }

    @Test
    void shouldKeepEachRanksSendAndReceiveWindowsInStreamOrder() {
        Timeline t = run(0);
        // rank 0 (times above): SEND_F0 10..11 after F0, SEND_F1 20.5..22 after F1, RECV_B0 22..42 back to back
        // behind it, RECV_B1 62..72.5 after B0
        List<CommWindow> w = t.commWindows(0);
        assertEquals(4, w.size());
        assertWindow(w.get(0), SendRecvLowering.ActionType.SEND_F, 0, 0, 10, 11);
        assertWindow(w.get(1), SendRecvLowering.ActionType.SEND_F, 1, 1, 20.5, 22);
        assertWindow(w.get(2), SendRecvLowering.ActionType.RECV_B, 0, 1, 22, 42);
        assertWindow(w.get(3), SendRecvLowering.ActionType.RECV_B, 1, 2, 62, 72.5);
        // rank 1's receive of F0 is posted before its first op and waits from 0
        assertWindow(t.commWindows(1).get(0), SendRecvLowering.ActionType.RECV_F, 0, -1, 0, 11);
        assertEquals(List.of(), Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2),
                CostModel.of(10, 20, 10, 10, Double.NaN, 1)).commWindows(0), "transfers without posted receives are no kernels");
    }

    private static void assertWindow(CommWindow w, SendRecvLowering.ActionType type, int microBatch, int afterOp,
                                     double start, double end) {
        assertEquals(type, w.action().type(), w.toString());
        assertEquals(microBatch, w.action().microBatch(), w.toString());
        assertEquals(afterOp, w.afterOp(), w.toString());
        assertEquals(start, w.start(), 1e-9, w.toString());
        assertEquals(end, w.end(), 1e-9, w.toString());
    }

    @Test
    void shouldIssueEveryKernelFromTheHostWhenItBindsTheStep() {
        // every op one kernel of 1, never slowed, p2p 1; the host issues one launch per 4, no gap: per rank
        // the kernels and comm kernels in lowered order. Rank 0: F0 @4, SEND_F0 @8, F1 @12, SEND_F1 @16,
        // RECV_B0 @20, B0 @24, RECV_B1 @28, B1 @32; rank 1: RECV_F0 @4, F0 @8, RECV_F1 @12, B0 @16,
        // SEND_B0 @20, F1 @24, B1 @28, SEND_B1 @32
        List<KernelPhase> one = List.of(new KernelPhase(1, 1, 0));
        OpKernels kernels = OpKernels.of(List.of(List.of(one, one), List.of(one, one), List.of(one, one),
                List.of(one, one)));
        CostModel costs = CostModel.of(1, 1, 1, 1, Double.NaN, 1).withPostedReceives(kernels)
                .withHostLaunches(kernels, 4, 0);
        Timeline t = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2), costs);
        // rank 0's F0 4..5; SEND_F0 meets RECV_F0 (waiting since 4) at 8: 9; rank 1's F0 9..10
        assertEquals(4, t.start(0, 0), 1e-9);
        assertWindow(t.commWindows(0).get(0), SendRecvLowering.ActionType.SEND_F, 0, 0, 8, 9);
        assertWindow(t.commWindows(1).get(0), SendRecvLowering.ActionType.RECV_F, 0, -1, 4, 9);
        assertEquals(9, t.start(1, 0), 1e-9);
        // rank 0's F1 12..13, SEND_F1 16..17 with RECV_F1 (12..); rank 1's B0 16..17, SEND_B0 20..21 with
        // RECV_B0 (issued 20), F1 at its issue 24
        assertEquals(13, t.end(0, 1), 1e-9);
        assertEquals(16, t.start(1, 1), 1e-9);
        assertWindow(t.commWindows(0).get(2), SendRecvLowering.ActionType.RECV_B, 0, 1, 20, 21);
        assertEquals(24, t.start(1, 2), 1e-9);
        // rank 0's B0 at its issue 24; RECV_B1 from 28 meets SEND_B1 (issued 32) at 33: B1 33..34
        assertEquals(24, t.start(0, 2), 1e-9);
        assertWindow(t.commWindows(0).get(3), SendRecvLowering.ActionType.RECV_B, 1, 2, 28, 33);
        assertEquals(33, t.start(0, 3), 1e-9);
        assertEquals(34, t.makespan(), 1e-9);
    }

    @Test
    void shouldGiveACommKernelSmsOnlyAtTheRunningKernelsLastWave() {
        Timeline t = run(0.5);
        // rank 0's SEND_F0 is ready at 10 while F1 starts: it gets SMs at F1's last wave, 15, and
        // meets the receive at 16, so rank 1 starts its first forward at 16
        assertEquals(16, t.start(1, 0), 1e-9);
        // F1 lost half of [15, 16): 20.5
        assertEquals(20.5, t.end(0, 1), 1e-9);
    }

    @Test
    void shouldRunKernelsSlowerWhileTheirGpusClockIsLowered() {
        // rank 0's clock halves at 5: F0 does 5 by then and the other 5 at half speed, ending at 15;
        // its send meets rank 1's waiting receive 1 later
        Timeline t = run(0, DeviceClock.of(new double[] {5}, new double[] {2}));
        assertEquals(15, t.end(0, 0), 1e-9);
        assertEquals(16, t.start(1, 0), 1e-9);
        assertEquals(26, t.end(1, 0), 1e-9);
    }
}
