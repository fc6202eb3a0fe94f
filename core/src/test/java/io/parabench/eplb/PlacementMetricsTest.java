package io.parabench.eplb;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlacementMetricsTest {
    // 3 experts, 4 slots on 2 GPUs in 2 nodes. Layer 0: expert 0 twice on GPU 0, experts 1, 2 on GPU 1.
    // Layer 1: experts 0, 1 | 0, 2 with no load at all.
    private static final ClusterShape SHAPE = new ClusterShape(4, 1, 2, 2);
    private static final Placement PLACEMENT = Placement.of(SHAPE, 3, new int[][]{{0, 0, 1, 2}, {0, 1, 0, 2}});
    private static final float[][] LOADS = {{6, 3, 1}, {0, 0, 0}};

    @Test
    void shouldSplitAnExpertsLoadEvenlyOverItsReplicas() {
        PlacementMetrics m = PlacementMetrics.of(LOADS, PLACEMENT);
        // GPU 0: 6/2 + 6/2 = 6; GPU 1: 3 + 1 = 4.
        assertArrayEquals(new double[]{6, 4}, m.gpuLoad()[0], 1e-12);
        assertArrayEquals(new double[]{6, 4}, m.nodeLoad()[0], 1e-12);
        assertEquals(6, m.maxGpuLoad(0), 1e-12);
        assertEquals(5, m.meanGpuLoad(0), 1e-12);
        assertEquals(5.0 / 6, m.balancedness(0), 1e-12);
        assertEquals(1.2, m.maxOverMean(0), 1e-12);
        assertEquals(0.2, m.imbalance(0), 1e-12);
    }

    @Test
    void shouldCountALayerWithoutLoadAsBalanced() {
        PlacementMetrics m = PlacementMetrics.of(LOADS, PLACEMENT);
        assertEquals(1, m.balancedness(1), 0);
        assertEquals(0, m.imbalance(1), 0);
        assertEquals((5.0 / 6 + 1) / 2, m.balancedness(), 1e-12);
        assertEquals(1.2, m.worstMaxOverMean(), 1e-12);
        assertEquals(1.1, m.meanMaxOverMean(), 1e-12);
    }

    @Test
    void shouldCountReplicasPerExpertAndGpusHoldingTwoCopies() {
        PlacementMetrics m = PlacementMetrics.of(LOADS, PLACEMENT);
        // both layers: expert 0 has 2 replicas, experts 1 and 2 one each
        assertArrayEquals(new long[]{0, 4, 2}, m.replicaHistogram());
        assertEquals(1, m.duplicateGpus(0));
        assertEquals(0, m.duplicateGpus(1));
        assertEquals(1, m.duplicateGpus());
    }

    @Test
    void shouldRejectLoadsOfAnotherShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlacementMetrics.of(new float[][]{{1, 2, 3, 4}}, PLACEMENT));
        assertEquals("loads (1x4) must match the placement (2x3)", e.getMessage());
    }
}
