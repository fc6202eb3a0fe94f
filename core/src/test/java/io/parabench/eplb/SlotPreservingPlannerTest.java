package io.parabench.eplb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotPreservingPlannerTest {

    @Test
    void shouldMoveNothingWhenThePreviousPlacementIsStillAsGood() {
        float[][] loads = {{1, 2, 10, 20}};
        ClusterShape shape = new ClusterShape(4, 1, 1, 2);
        // Same GPU contents as the reference plan ({3,0} and {2,1}), other slot order and GPU order.
        Placement previous = Placement.of(shape, 4, new int[][]{{1, 2, 0, 3}});
        Replan replan = SlotPreservingPlanner.replan(previous, loads, BalancePolicy.REFERENCE, false);
        assertEquals(0, replan.totalMoved());
        assertArrayEquals(new int[][]{{1, 2, 0, 3}}, replan.placement().phy2log());
    }

    /**
     * Previous {0,1 | 2,3} carries 3 and 30 under loads [1, 2, 10, 20]; the reference plans
     * {3,0 | 2,1} (21 and 12). Each new GPU shares exactly one expert with each old GPU, so any
     * matching keeps one replica per GPU and moves one: 2 moves, and the loads stay 21 and 12.
     */
    @Test
    void shouldKeepTheSharedExpertInItsSlotAndCountTheRest() {
        float[][] loads = {{1, 2, 10, 20}};
        ClusterShape shape = new ClusterShape(4, 1, 1, 2);
        Placement previous = Placement.of(shape, 4, new int[][]{{0, 1, 2, 3}});
        Replan replan = SlotPreservingPlanner.replan(previous, loads, BalancePolicy.REFERENCE, false);
        assertEquals(2, replan.totalMoved());
        int[] row = replan.placement().phy2log()[0];
        assertTrue(java.util.Arrays.equals(row, new int[]{0, 3, 2, 1}) || java.util.Arrays.equals(row, new int[]{2, 1, 0, 3}),
                java.util.Arrays.toString(row));
        assertEquals(21.0, PlacementMetrics.of(loads, replan.placement()).maxGpuLoad(0), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void shouldMatchThePlansQualityAndMoveNoMoreThanThePlanAsIs(long seed) {
        Random random = new Random(seed);
        ClusterShape shape = new ClusterShape(48, 8, 2, 8);
        float[][] before = new float[4][32];
        float[][] after = new float[4][32];
        for (int l = 0; l < 4; l++) {
            for (int e = 0; e < 32; e++) {
                before[l][e] = (float) (100 * Math.pow(random.nextDouble(), 2));
                after[l][e] = (float) (before[l][e] * (0.5 + random.nextDouble()));
            }
        }
        for (BalancePolicy policy : BalancePolicy.values()) {
            Placement previous = policy.rebalance(before, shape, false);
            Placement plan = policy.rebalance(after, shape, false);
            Replan replan = SlotPreservingPlanner.replan(previous, after, policy, false);
            PlacementMetrics planned = PlacementMetrics.of(after, plan);
            PlacementMetrics replanned = PlacementMetrics.of(after, replan.placement());
            for (int l = 0; l < 4; l++) {
                assertTrue(replanned.maxGpuLoad(l) <= planned.maxGpuLoad(l) + 1e-9, policy + " layer " + l);
                int[] asIs = plan.phy2log()[l];
                int naive = SlotPreservingPlanner.movedReplicas(previous.phy2log()[l], asIs, shape, 32);
                assertTrue(replan.moved()[l] <= naive, policy + " layer " + l + ": " + replan.moved()[l] + " > " + naive);
                assertEquals(SlotPreservingPlanner.movedReplicas(previous.phy2log()[l], replan.placement().phy2log()[l],
                        shape, 32), replan.moved()[l]);
            }
        }
    }
}
