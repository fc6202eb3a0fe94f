package io.parabench.eplb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImprovedBalancerTest {
    private static final float[][] ISSUE_EXAMPLE = {{600, 560, 120, 120, 20, 10, 10, 10}};

    /**
     * The optimum is proved by exhaustion, independently of the balancer: every way to give
     * 16 replicas to 8 experts (each at least one: C(15, 7) = 6435 count vectors), each packed
     * optimally — with exactly two replicas per GPU, pairing the i-th heaviest replica with the
     * i-th lightest minimises the heaviest pair (exchange argument). The best is 560/3 + 10.
     */
    @Test
    void shouldReachTheProvableOptimumOnTheIssueExample() {
        double optimum = exhaustiveOptimum(ISSUE_EXAMPLE[0], 16);
        assertEquals(560.0 / 3 + 10, optimum, 1e-9);

        ClusterShape shape = new ClusterShape(16, 1, 1, 8);
        PlacementMetrics reference = PlacementMetrics.of(ISSUE_EXAMPLE, ReferenceBalancer.rebalance(ISSUE_EXAMPLE, shape));
        PlacementMetrics improved = PlacementMetrics.of(ISSUE_EXAMPLE, ImprovedBalancer.rebalance(ISSUE_EXAMPLE, shape, false));
        assertEquals(232.0, reference.maxGpuLoad(0), 1e-9);
        assertEquals(optimum, improved.maxGpuLoad(0), 1e-9);
    }

    private static double exhaustiveOptimum(float[] load, int replicas) {
        int experts = load.length;
        double[] best = {Double.POSITIVE_INFINITY};
        enumerate(load, new int[experts], 0, replicas, best);
        return best[0];
    }

    private static void enumerate(float[] load, int[] counts, int e, int left, double[] best) {
        if (e == load.length - 1) {
            counts[e] = left;
            double[] items = new double[counts.length == 0 ? 0 : Arrays.stream(counts).sum()];
            int k = 0;
            for (int x = 0; x < counts.length; x++) {
                for (int c = 0; c < counts[x]; c++) {
                    items[k++] = (double) load[x] / counts[x];
                }
            }
            Arrays.sort(items);
            double max = 0;
            for (int i = 0; i < items.length / 2; i++) {
                max = Math.max(max, items[i] + items[items.length - 1 - i]);
            }
            best[0] = Math.min(best[0], max);
            return;
        }
        for (int c = 1; c <= left - (load.length - 1 - e); c++) {
            counts[e] = c;
            enumerate(load, counts, e + 1, left - c, best);
        }
    }

    @Test
    void shouldNeverBeWorseThanTheReferenceAndBetterOnAverageOverTheSharedCases() {
        List<EplbCase> cases = ReferenceCases.all();
        double referenceSum = 0;
        double improvedSum = 0;
        for (EplbCase c : cases) {
            PlacementMetrics reference = PlacementMetrics.of(c.loads(), ReferenceBalancer.rebalance(c.loads(), c.shape()));
            PlacementMetrics improved = PlacementMetrics.of(c.loads(), ImprovedBalancer.rebalance(c.loads(), c.shape(), false));
            for (int l = 0; l < c.loads().length; l++) {
                assertTrue(improved.maxGpuLoad(l) <= reference.maxGpuLoad(l),
                        "case " + c.index() + " layer " + l + ": improved " + improved.maxGpuLoad(l)
                                + " > reference " + reference.maxGpuLoad(l));
            }
            referenceSum += reference.meanMaxOverMean();
            improvedSum += improved.meanMaxOverMean();
        }
        assertTrue(improvedSum < referenceSum, "improved mean max/mean " + improvedSum / cases.size()
                + " must be below the reference's " + referenceSum / cases.size());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldKeepEveryExpertAndNeverLoseToTheReferenceOnRandomLoads(long seed) {
        Random random = new Random(seed);
        int nodes = 1 + random.nextInt(3);
        int groups = nodes * (1 + random.nextInt(3));
        int experts = groups * (1 + random.nextInt(6));
        int gpus = nodes * (1 + random.nextInt(4));
        int perGpu = Math.max(1, (experts + gpus - 1) / gpus) + random.nextInt(3);
        ClusterShape shape = new ClusterShape(gpus * perGpu, groups, nodes, gpus);
        float[][] loads = new float[3][experts];
        for (float[] row : loads) {
            for (int e = 0; e < experts; e++) {
                row[e] = (float) (1000 * Math.pow(random.nextDouble(), 3)); // skewed, some near 0
            }
        }
        Placement improved = ImprovedBalancer.rebalance(loads, shape, false);
        PlacementMetrics ref = PlacementMetrics.of(loads, ReferenceBalancer.rebalance(loads, shape));
        PlacementMetrics imp = PlacementMetrics.of(loads, improved);
        for (int l = 0; l < loads.length; l++) {
            assertTrue(imp.maxGpuLoad(l) <= ref.maxGpuLoad(l), "layer " + l);
            for (int e = 0; e < experts; e++) {
                assertTrue(improved.replicaCount(l, e) >= 1, "expert " + e + " lost its slot");
            }
        }
    }

    @Test
    void shouldNeverPutTwoCopiesOfAnExpertOnOneGpuWhenAskedNot() {
        ClusterShape shape = new ClusterShape(16, 1, 1, 8);
        PlacementMetrics reference = PlacementMetrics.of(ISSUE_EXAMPLE, ReferenceBalancer.rebalance(ISSUE_EXAMPLE, shape));
        assertEquals(1, reference.duplicateGpus(), "the reference puts two 112s of expert 1 on GPU 7");
        PlacementMetrics constrained = PlacementMetrics.of(ISSUE_EXAMPLE, ImprovedBalancer.rebalance(ISSUE_EXAMPLE, shape, true));
        assertEquals(0, constrained.duplicateGpus());
        for (EplbCase c : ReferenceCases.all()) {
            ClusterShape s = c.shape();
            int nodes = s.hierarchical() ? s.nodes() : 1;
            if (c.loads()[0].length / nodes < s.replicasPerGpu()) {
                continue; // infeasible: fewer experts per node than slots per GPU
            }
            PlacementMetrics m = PlacementMetrics.of(c.loads(), ImprovedBalancer.rebalance(c.loads(), s, true));
            assertEquals(0, m.duplicateGpus(), "case " + c.index());
        }
    }

    @Test
    void shouldRefuseNoDuplicateWhenAGpuHasMoreSlotsThanTheNodeHasExperts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImprovedBalancer.rebalance(new float[][]{{1, 2}}, new ClusterShape(6, 1, 1, 2), true));
        assertTrue(e.getMessage().contains("experts per node (2) must be >= replicas per GPU (3)"), e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> BalancePolicy.REFERENCE.rebalance(new float[][]{{1, 2}}, new ClusterShape(2, 1, 1, 1), true));
        assertTrue(r.getMessage().contains("needs the improved policy"), r.getMessage());
    }
}
