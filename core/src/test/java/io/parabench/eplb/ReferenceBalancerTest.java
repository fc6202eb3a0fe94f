package io.parabench.eplb;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceBalancerTest {

    @TestFactory
    Stream<DynamicTest> shouldMatchDeepSeekOnEveryReferenceCase() {
        List<EplbCase> cases = ReferenceCases.all();
        assertFalse(cases.isEmpty(), "reference-cases.json holds no case");
        return cases.stream().map(c -> DynamicTest.dynamicTest(describe(c), () -> {
            EplbCase.Expected expected = c.expected().orElseThrow();
            Placement placement = ReferenceBalancer.rebalance(c.loads(), c.shape());
            assertArrayEquals(expected.phy2log(), placement.phy2log(), "phy2log");
            assertArrayEquals(expected.logcnt(), placement.logcnt(), "logcnt");
            int[][][] log2phy = placement.log2phy();
            assertEquals(expected.log2phy()[0][0].length, placement.maxReplicas(), "log2phy width");
            for (int l = 0; l < log2phy.length; l++) {
                for (int e = 0; e < log2phy[l].length; e++) {
                    assertArrayEquals(sorted(expected.log2phy()[l][e]), sorted(log2phy[l][e]),
                            "log2phy slots of layer " + l + " expert " + e + " (as a set)");
                }
            }
            if (expected.gpuLoad().length > 0) {
                double[][] gpuLoad = PlacementMetrics.of(c.loads(), placement).gpuLoad();
                for (int l = 0; l < gpuLoad.length; l++) {
                    for (int g = 0; g < gpuLoad[l].length; g++) {
                        double want = expected.gpuLoad()[l][g];
                        assertEquals(want, gpuLoad[l][g], 1e-5 * Math.max(1, want), "gpu_load[" + l + "][" + g + "]");
                    }
                }
            }
        }));
    }

    private static String describe(EplbCase c) {
        ClusterShape s = c.shape();
        return "case " + c.index() + ": " + c.loads().length + "x" + c.loads()[0].length + " replicas=" + s.replicas()
                + " groups=" + s.groups() + " nodes=" + s.nodes() + " gpus=" + s.gpus();
    }

    private static int[] sorted(int[] a) {
        int[] b = a.clone();
        Arrays.sort(b);
        return b;
    }

    @Test
    void shouldReproduceTheReadmeExample() {
        float[][] loads = {
                {90, 132, 40, 61, 104, 165, 39, 4, 73, 56, 183, 86},
                {20, 107, 104, 64, 19, 197, 187, 157, 172, 86, 16, 27}};
        Placement p = ReferenceBalancer.rebalance(loads, new ClusterShape(16, 4, 2, 8));
        assertArrayEquals(new int[][]{
                {5, 6, 5, 7, 8, 4, 3, 4, 10, 9, 10, 2, 0, 1, 11, 1},
                {7, 10, 6, 8, 6, 11, 8, 9, 2, 4, 5, 1, 5, 0, 3, 1}}, p.phy2log());
        assertArrayEquals(new int[][]{
                {1, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1},
                {1, 2, 1, 1, 1, 2, 2, 1, 2, 1, 1, 1}}, p.logcnt());
    }

    /**
     * Worked by hand: replicas go 600, 560, 600, 560, 600, 560 (loads per replica 300, 280,
     * 200, 186.7, 150, 140), then 600 again (150 beats 140) and 560 (140 beats 120): counts
     * 5 and 5, replicas of 120 and 112. Packing two per GPU, heaviest first (lower slot first
     * on equal load), into the lightest GPU with room: the seven 120s (experts 0, 2, 3, then
     * the other four replicas of 0) fill GPUs 0–6, the first 112 goes to GPU 7, the second
     * too (112 is the lightest), the next three to GPUs 0, 1, 2 (→ 232), then 20 and the 10s.
     */
    @Test
    void shouldLoadTheHeaviestGpuWith232OnTheIssueExample() {
        float[][] loads = {{600, 560, 120, 120, 20, 10, 10, 10}};
        Placement p = ReferenceBalancer.rebalance(loads, new ClusterShape(16, 1, 1, 8));
        assertArrayEquals(new int[]{5, 5, 1, 1, 1, 1, 1, 1}, p.logcnt()[0]);
        assertArrayEquals(new int[]{0, 1, 2, 1, 3, 1, 0, 4, 0, 5, 0, 6, 0, 7, 1, 1}, p.phy2log()[0]);
        assertEquals(232.0, PlacementMetrics.of(loads, p).maxGpuLoad(0), 1e-9);
    }

    @Test
    void shouldUseTheGlobalPolicyWhenGroupsDoNotDivideIntoNodes() {
        // 3 groups on 2 nodes: global policy; 4 experts on 2 GPUs with 2 slots, no replication.
        float[][] loads = {{1, 4, 3, 2}};
        Placement p = ReferenceBalancer.rebalance(loads, new ClusterShape(4, 3, 2, 2));
        // Sorted 4,3,2,1: 4 -> GPU0, 3 -> GPU1, 2 -> GPU1 (3 < 4), 1 -> GPU0.
        assertArrayEquals(new int[]{1, 0, 2, 3}, p.phy2log()[0]);
    }

    @Test
    void shouldRejectBadInputNamingValueAndRule() {
        List<String> messages = new ArrayList<>();
        ClusterShape shape = new ClusterShape(4, 1, 1, 2);
        messages.add(reject(() -> ReferenceBalancer.rebalance(new float[][]{{1, 2}, {1}}, shape)));
        messages.add(reject(() -> ReferenceBalancer.rebalance(new float[][]{{1, Float.NaN}}, shape)));
        messages.add(reject(() -> ReferenceBalancer.rebalance(new float[][]{{1, -2}}, shape)));
        messages.add(reject(() -> ReferenceBalancer.rebalance(new float[][]{{1, Float.POSITIVE_INFINITY}}, shape)));
        messages.add(reject(() -> new ClusterShape(5, 1, 1, 2)));
        messages.add(reject(() -> ReferenceBalancer.rebalance(new float[][]{{1, 2, 3, 4, 5}}, shape)));
        messages.add(reject(() -> ReferenceBalancer.rebalance(new float[][]{{1, 2, 3}}, new ClusterShape(4, 2, 1, 2))));
        messages.add(reject(() -> new ClusterShape(4, 1, 3, 2)));
        assertTrue(messages.get(0).contains("ragged"), messages.get(0));
        assertTrue(messages.get(1).contains("NaN") && messages.get(1).contains(">= 0"), messages.get(1));
        assertTrue(messages.get(2).contains("-2.0"), messages.get(2));
        assertTrue(messages.get(3).contains("Infinity") && messages.get(3).contains("finite"), messages.get(3));
        assertTrue(messages.get(4).contains("replicas (5) must be a multiple of gpus (2)"), messages.get(4));
        assertTrue(messages.get(5).contains("replicas (4) must be >= experts (5)"), messages.get(5));
        assertTrue(messages.get(6).contains("experts (3) must be a multiple of groups (2)"), messages.get(6));
        assertTrue(messages.get(7).contains("gpus (2) must be a multiple of nodes (3)"), messages.get(7));
    }

    private static String reject(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an IllegalArgumentException");
    }
}
