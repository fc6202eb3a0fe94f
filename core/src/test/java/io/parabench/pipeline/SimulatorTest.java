package io.parabench.pipeline;

import io.parabench.gpu.DeviceClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator against figures worked out independently: the DualPipe README's bubble
 * formulas and an independent emulator's makespans, with F=1, B=2, b=1, W=1, F&B=3, p2p=0.
 */
class SimulatorTest {
    private static final CostModel README_COSTS = CostModel.of(1, 2, 1, 1, 3, 0);

    @ParameterizedTest(name = "{0} PP={1} chunks={2}: max bubble {3}, makespan {4}")
    @CsvSource({
            // kind, PP, chunks, (PP-1)(F+B) | (PP-1)(F+B-2W) | (PP/2-1)(F&B+B-3W), makespan
            "1f1b,     8, 20, 21, 81",
            "zb1p,     8, 20,  7, 67",
            "dualpipe, 8, 20,  6, 66",
            "1f1b,     4, 16,  9, 57",
            "zb1p,     4, 16,  3, 51",
            "dualpipe, 4, 16,  2, 50",
    })
    void shouldReproduceDualPipeReadmeBubbleFormulas(String kind, int ranks, int chunks, double bubble, double makespan) {
        Timeline t = Simulator.simulate(ScheduleKind.of(kind).generate(ranks, chunks), README_COSTS);
        assertEquals(bubble, t.maxBubble(), 1e-9);
        assertEquals(makespan, t.makespan(), 1e-9);
    }

    @Test
    void shouldCountPeakActivationsAsDualPipeReadmeTabulates() {
        Timeline oneFOneB = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(8, 20), README_COSTS);
        assertEquals(8, oneFOneB.peakActivations(0), "1F1B: PP on rank 0");
        assertEquals(1, oneFOneB.peakActivations(7), "1F1B: one on the last rank");
        Timeline dualPipe = Simulator.simulate(ScheduleKind.DUALPIPE.generate(8, 20), README_COSTS);
        for (int r = 0; r < 8; r++) {
            assertEquals(9, dualPipe.peakActivations(r), "DualPipe: PP+1 on rank " + r);
        }
        Timeline dualPipeV = Simulator.simulate(ScheduleKind.DUALPIPEV.generate(4, 20), README_COSTS);
        for (int r = 0; r < 4; r++) {
            assertEquals(9, dualPipeV.peakActivations(r), "DualPipeV 4 ranks (8 stages): 9 on rank " + r);
        }
        assertEquals(2, dualPipe.parameterStages(), "DualPipe holds two copies of the parameters");
        assertEquals(1, oneFOneB.parameterStages());
    }

    @Test
    void shouldComputeBusyBubbleAndRateFromOneHandWorkedSchedule() {
        // GPipe, 2 ranks, 2 micro-batches, F=1, B=2, p2p=0.5:
        // rank 0: F0 [0,1] F1 [1,2]; rank 1: F0 [1.5,2.5] F1 [2.5,3.5] B0 [3.5,5.5] B1 [5.5,7.5]
        // rank 0: B0 needs rank 1's B0 at 5.5 + 0.5 = 6 -> [6,8]; B1 at 7.5+0.5=8 -> [8,10]
        Timeline t = Simulator.simulate(ScheduleKind.GPIPE.generate(2, 2), CostModel.of(1, 2, 1, 1, Double.NaN, 0.5));
        assertEquals(10, t.makespan(), 1e-12);
        assertEquals(1.5, t.start(1, 0), 1e-12);
        assertEquals(6, t.start(0, 2), 1e-12);
        assertEquals(6, t.busy(0), 1e-12);
        assertEquals(4, t.bubble(0), 1e-12);
        assertEquals(4, t.bubble(1), 1e-12);
        assertEquals(8.0 / 20.0, t.bubbleRate(), 1e-12);
        assertEquals(2, t.peakActivations(0));
    }

    @Test
    void shouldScaleHeterogeneousStages() {
        // 1F1B 2 ranks 1 micro-batch: F(s0)=1*2, F(s1)=1, B(s1)=2, B(s0)=2*2 -> makespan 2+1+2+4 = 9
        CostModel costs = CostModel.of(1, 2, 1, 1, Double.NaN, 0).withStageScale(2, 1);
        Timeline t = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 1), costs);
        assertEquals(9, t.makespan(), 1e-12);
    }

    @Test
    void shouldUseForwardPlusBackwardForPairWhenNoPairCostGiven() {
        Timeline summed = Simulator.simulate(ScheduleKind.DUALPIPE.generate(4, 8), CostModel.of(1, 2, 1, 1, Double.NaN, 0));
        Timeline given = Simulator.simulate(ScheduleKind.DUALPIPE.generate(4, 8), CostModel.of(1, 2, 1, 1, 3, 0));
        assertEquals(given.makespan(), summed.makespan(), 1e-12);
    }

    @Test
    void shouldScaleAGivenPairCostWithTheStages() {
        // the case: scale 2 on every stage with F&B=3 must equal every cost doubled by hand
        Timeline scaled = Simulator.simulate(ScheduleKind.DUALPIPE.generate(4, 8),
                CostModel.of(1, 2, 1, 1, 3, 0).withStageScale(2, 2, 2, 2));
        Timeline doubled = Simulator.simulate(ScheduleKind.DUALPIPE.generate(4, 8), CostModel.of(2, 4, 2, 2, 6, 0));
        assertEquals(52, doubled.makespan(), 1e-9);
        assertEquals(doubled.makespan(), scaled.makespan(), 1e-9);
    }

    @Test
    void shouldScalePairCostByItsHalvesWhenStagesDiffer() {
        // F&B=2.5 < F+B=3; forward on a stage scaled 2, backward on a stage scaled 1:
        // 2.5 * (1*2 + 2*1) / 3 = 10/3
        CostModel costs = CostModel.of(1, 2, 1, 1, 2.5, 0).withStageScale(2, 1);
        assertEquals(10.0 / 3, costs.pair(0, 1), 1e-12);
        assertEquals(2.5 * 2, costs.pair(0, 0), 1e-12);
    }

    @Test
    void shouldHoldTheSenderWithBlockingSends() {
        // 1F1B, 2 ranks, 2 micro-batches, F=1, B=2, p2p=0.5, worked by hand.
        // buffered: r0 F0[0,1] F1[1,2] B0[5,7] B1[8,10]; r1 F0[1.5,2.5] B0[2.5,4.5] F1[4.5,5.5] B1[5.5,7.5]
        // blocking: r0 F0[0,1] (held to 1.5) F1[1.5,2.5] (held to 3) B0[5,7] B1[8.5,10.5];
        //           r1 F0[1.5,2.5] B0[2.5,4.5] (held to 5) F1[5,6] B1[6,8]
        CostModel buffered = CostModel.of(1, 2, 1, 1, Double.NaN, 0.5);
        Timeline b = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2), buffered);
        assertEquals(10, b.makespan(), 1e-12);
        Timeline t = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2), buffered.withBlockingSends());
        assertEquals(10.5, t.makespan(), 1e-12);
        assertEquals(1.5, t.start(0, 1), 1e-12);
        assertEquals(5, t.start(1, 2), 1e-12);
        assertEquals(8.5, t.start(0, 3), 1e-12);
        assertEquals(6, t.busy(0), 1e-12);
    }

    @Test
    void shouldUsePerStageCosts() {
        // 1F1B 2 ranks 1 micro-batch: F(s0)=1, F(s1)=2, B(s1)=4, B(s0)=3, p2p 0.5 -> 1+.5+2+4+.5+3 = 11
        CostModel costs = CostModel.ofStages(new double[]{1, 2}, new double[]{3, 4}, new double[]{0, 2},
                new double[]{3, 2}, new double[]{Double.NaN, Double.NaN}, 0.5);
        assertEquals(11, Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 1), costs).makespan(), 1e-12);
        assertEquals(6, Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 1), costs.scaled(0.5)).makespan(), 1e-12);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(3, 1), costs));
        assertEquals("costs are given for 2 stages; the schedule has stage 2 (give one per stage)", e.getMessage());
    }

    @Test
    void shouldRunARanksOpsSlowerWhileItsClockIsHalved() {
        // 1F1B, 2 ranks, 2 micro-batches, F=10, B=20, p2p=1; rank 1 at half clock throughout:
        // rank 1 F0 11..31, B0 31..71, F1 71..91, B1 91..131; rank 0 B0 72..92, B1 132..152
        CostModel costs = CostModel.of(10, 20, 10, 10, Double.NaN, 1)
                .withDeviceClocks(List.of(DeviceClock.NOMINAL, DeviceClock.of(new double[] {0}, new double[] {2})));
        Timeline t = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2), costs);
        assertEquals(31, t.end(1, 0), 1e-9);
        assertEquals(72, t.start(0, 2), 1e-9);
        assertEquals(152, t.makespan(), 1e-9);
        assertEquals(92, Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(2, 2),
                CostModel.of(10, 20, 10, 10, Double.NaN, 1)).makespan(), 1e-9);
    }
}
