package io.parabench.eplb;

/**
 * A better placement beside the reference, never instead of it: the same groups-to-nodes
 * packing as {@link ReferenceBalancer}, then per node a search over replica counts and
 * GPU packings ({@link NodePlanner}) that starts from the reference's own choice.
 *
 * <p>Guarantee (without {@code noDuplicateOnGpu}): for every layer, the heaviest GPU load
 * (as {@link PlacementMetrics} measures it) is never above the reference's — a layer where
 * the search finds nothing strictly better keeps the reference's slots. On DeepSeek's example
 * {@code [600, 560, 120, 120, 20, 10, 10, 10]}, 8 GPUs × 2 slots, the reference's heaviest
 * GPU carries 232 and this policy reaches the optimum 590/3 ≈ 196.7 (560/3 + 10).
 *
 * <p>With {@code noDuplicateOnGpu}, no GPU holds two replicas of one expert (the reference
 * allows it: both copies then share one GPU's compute). The reference may break that rule, so
 * the comparison with it is skipped and the guarantee above does not apply.
 *
 * <p>Cost: far above the reference's (a search with many re-packings): on DeepSeek-V3 sizes
 * (EplbBenchmark, 58 layers × 256 experts, 288 replicas) about 200 ms for prefill (4 nodes, 32
 * GPUs) and 55 ms for decode (144 GPUs), against 0.46 ms and 0.77 ms for the reference; meant
 * for planning, not for the serving hot path.
 * Thread-safe (no shared state).
 */
public final class ImprovedBalancer {
    private ImprovedBalancer() {
    }

    /**
     * Balances every layer.
     *
     * @throws IllegalArgumentException for bad loads or shape, or when {@code noDuplicateOnGpu}
     *                                  cannot be met (fewer experts per node than slots per GPU)
     */
    public static Placement rebalance(float[][] loads, ClusterShape shape, boolean noDuplicateOnGpu) {
        Placement reference = ReferenceBalancer.rebalance(loads, shape);
        int experts = reference.experts();
        int nodes = shape.hierarchical() ? shape.nodes() : 1;
        int gpusPerNode = shape.gpus() / nodes;
        int perGpu = shape.replicasPerGpu();
        int slotsPerNode = gpusPerNode * perGpu;
        int expertsPerNode = experts / nodes;
        if (noDuplicateOnGpu && expertsPerNode < perGpu) {
            throw new IllegalArgumentException("experts per node (" + expertsPerNode + ") must be >= replicas per GPU ("
                    + perGpu + ") to keep two replicas of one expert off one GPU");
        }
        NodePlanner planner = new NodePlanner(gpusPerNode, perGpu, noDuplicateOnGpu);
        int[][] phy2log = new int[loads.length][];
        for (int l = 0; l < loads.length; l++) {
            int[] layer = new int[shape.replicas()];
            for (int n = 0; n < nodes; n++) {
                planNode(loads[l], reference, l, n * slotsPerNode, slotsPerNode, expertsPerNode, gpusPerNode,
                        noDuplicateOnGpu, planner, layer);
            }
            int[] referenceLayer = new int[shape.replicas()];
            for (int s = 0; s < referenceLayer.length; s++) {
                referenceLayer[s] = reference.expertAt(l, s);
            }
            boolean keepReference = !noDuplicateOnGpu
                    && PlacementMetrics.maxGpuLoad(loads[l], layer, shape, experts)
                    >= PlacementMetrics.maxGpuLoad(loads[l], referenceLayer, shape, experts);
            phy2log[l] = keepReference ? referenceLayer : layer;
        }
        return Placement.of(shape, experts, phy2log);
    }

    /** Plans the slots {@code [base, base + slotsPerNode)} of one node into {@code out}. */
    private static void planNode(float[] load, Placement reference, int layer, int base, int slotsPerNode,
                                 int expertsPerNode, int gpusPerNode, boolean noDuplicateOnGpu,
                                 NodePlanner planner, int[] out) {
        // The node's experts are those the reference put there (its group packing), in id order.
        int[] local = new int[expertsPerNode];
        int m = 0;
        boolean[] seen = new boolean[load.length];
        for (int s = base; s < base + slotsPerNode; s++) {
            int e = reference.expertAt(layer, s);
            if (!seen[e]) {
                seen[e] = true;
                m++;
            }
        }
        if (m != expertsPerNode) {
            throw new IllegalStateException("node holds " + m + " experts, expected " + expertsPerNode);
        }
        m = 0;
        for (int e = 0; e < load.length; e++) {
            if (seen[e]) {
                local[m++] = e;
            }
        }
        double[] nodeLoad = new double[m];
        int[] counts = new int[m];
        for (int i = 0; i < m; i++) {
            nodeLoad[i] = load[local[i]];
            counts[i] = reference.replicaCount(layer, local[i]);
        }
        if (noDuplicateOnGpu) {
            cappedCounts(nodeLoad, slotsPerNode, gpusPerNode, counts);
        }
        NodePlanner.Packing packing = planner.plan(nodeLoad, counts);
        for (int s = 0; s < slotsPerNode; s++) {
            out[base + s] = local[packing.slotExpert[s]];
        }
    }

    /** The reference's replica counting (highest load per replica next) with at most one copy per GPU. */
    private static void cappedCounts(double[] load, int slots, int cap, int[] counts) {
        java.util.Arrays.fill(counts, 1);
        for (int s = load.length; s < slots; s++) {
            int best = -1;
            for (int e = 0; e < load.length; e++) {
                if (counts[e] < cap && (best < 0 || load[e] / counts[e] > load[best] / counts[best])) {
                    best = e;
                }
            }
            counts[best]++;
        }
    }
}
