package io.parabench.eplb;

/**
 * DeepSeek's expert-parallel load balancer, exactly: {@code rebalance_experts} of
 * <a href="https://github.com/deepseek-ai/EPLB">deepseek-ai/EPLB</a> {@code eplb.py}.
 *
 * <p>Hierarchical policy (when {@code groups % nodes == 0}): (1) pack expert groups onto
 * nodes so node loads balance, (2) within each node, replicate the heaviest experts
 * (highest load per replica) until the node's slots are used, (3) pack the node's replicas
 * onto its GPUs. Otherwise the global policy: the same with one group and one node, which
 * balances all GPUs at once (the reference's current behaviour).
 *
 * <p>Arithmetic follows the reference: loads are float32; group sums, pack weights and
 * load-per-replica divisions are float32. Ties: the lightest pack with room wins with the
 * lowest pack index; a redundant replica goes to the expert with the highest load per
 * replica, lowest index on equal value; sorts put heavier items first and, on equal load, the
 * lower index first (see {@link DescendingOrder}). Group sums add a group's experts from first
 * to last; torch's vectorised sum may round differently in the last bit, which only matters
 * when two sums are within one ulp of each other.
 *
 * <p>Complexity per layer: {@code O(experts + replicas · log replicas)}; the reference's
 * linear scans are replaced by heaps and tournament trees that make the same choices, its sorts
 * by a bucket sort (see {@link DescendingOrder}, {@link ExpertReplication},
 * {@link BalancedPacking}). Scratch arrays are allocated once per call and reused for every
 * layer; the nodes of a layer are packed onto their GPUs together. Thread-safe (each call uses
 * its own scratch space).
 */
public final class ReferenceBalancer {
    private ReferenceBalancer() {
    }

    /**
     * Balances every layer.
     *
     * @param loads {@code [layers][experts]} tokens per logical expert, finite and {@code >= 0}
     * @param shape slots, groups, nodes and GPUs
     * @return the placement, with the reference's replica numbering in {@code log2phy}
     * @throws IllegalArgumentException for ragged rows, bad loads or a shape that does not fit
     */
    public static Placement rebalance(float[][] loads, ClusterShape shape) {
        int experts = ExpertLoads.check(loads, shape);
        int layers = loads.length;
        int[][] phy2log = new int[layers][shape.replicas()];
        int[][] rank = new int[layers][shape.replicas()];
        Run run = new Run(experts, shape);
        for (int l = 0; l < layers; l++) {
            run.layer(loads[l], phy2log[l], rank[l]);
        }
        return Placement.ofRanked(shape, experts, phy2log, rank);
    }

    /** One balancing pass: the shape's derived sizes and the scratch arrays, reused per layer. */
    private static final class Run {
        private final int groups;
        private final int nodes;
        private final int groupSize;
        private final int groupsPerNode;
        private final int expertsPerNode;
        private final int slotsPerNode;
        private final int gpusPerNode;
        private final int slotsPerGpu;

        private final BalancedPacking packing;
        private final ExpertReplication replication;
        private final float[] groupLoad;
        private final int[] groupPack;
        private final int[] groupRank;
        private final int[] mlog2log;
        private final float[] nodeLoad;
        private final int[] phy2mlog;
        private final int[] phyRank;
        private final int[] mlogCount;
        private final float[] phyLoad;
        private final int[] gpuOfPhy;
        private final int[] rankInGpu;

        Run(int experts, ClusterShape shape) {
            boolean hierarchical = shape.hierarchical();
            groups = hierarchical ? shape.groups() : 1;
            nodes = hierarchical ? shape.nodes() : 1;
            groupSize = experts / groups;
            groupsPerNode = groups / nodes;
            expertsPerNode = experts / nodes;
            slotsPerNode = shape.replicas() / nodes;
            gpusPerNode = shape.gpus() / nodes;
            slotsPerGpu = shape.replicasPerGpu();
            int replicas = shape.replicas();
            packing = new BalancedPacking(Math.max(groups, replicas), Math.max(nodes, shape.gpus()));
            replication = new ExpertReplication(expertsPerNode);
            groupLoad = new float[groups];
            groupPack = new int[groups];
            groupRank = new int[groups];
            mlog2log = new int[experts];
            // per node, side by side: node n's experts at [n * expertsPerNode, ...), its replicas at [n * slotsPerNode, ...)
            nodeLoad = new float[experts];
            mlogCount = new int[experts];
            phy2mlog = new int[replicas];
            phyRank = new int[replicas];
            phyLoad = new float[replicas];
            gpuOfPhy = new int[replicas];
            rankInGpu = new int[replicas];
        }

        void layer(float[] load, int[] phy2logOut, int[] rankOut) {
            // Step 1: pack groups onto nodes; node n takes "meta-logical" experts
            // [n * expertsPerNode, (n + 1) * expertsPerNode), its groups in arrival order.
            for (int g = 0; g < groups; g++) {
                float sum = 0f;
                for (int k = g * groupSize, end = k + groupSize; k < end; k++) {
                    sum += load[k];
                }
                groupLoad[g] = sum;
            }
            packing.pack(groupLoad, 1, groups, nodes, groupPack, groupRank);
            for (int g = 0; g < groups; g++) {
                int mlogBase = (groupPack[g] * groupsPerNode + groupRank[g]) * groupSize;
                for (int k = 0; k < groupSize; k++) {
                    mlog2log[mlogBase + k] = g * groupSize + k;
                }
            }
            for (int n = 0; n < nodes; n++) {
                // Step 2: replicate within each node; phy2mlog holds node-local expert numbers.
                int mlogBase = n * expertsPerNode;
                int slotBase = n * slotsPerNode;
                for (int m = mlogBase; m < mlogBase + expertsPerNode; m++) {
                    nodeLoad[m] = load[mlog2log[m]];
                }
                replication.replicate(nodeLoad, mlogBase, expertsPerNode, slotsPerNode, phy2mlog, phyRank, slotBase,
                        mlogCount);
                // slot p < expertsPerNode holds expert p: one contiguous (vectorisable) division
                for (int m = 0; m < expertsPerNode; m++) {
                    phyLoad[slotBase + m] = nodeLoad[mlogBase + m] / (float) mlogCount[mlogBase + m];
                }
                for (int p = slotBase + expertsPerNode; p < slotBase + slotsPerNode; p++) {
                    phyLoad[p] = phyLoad[slotBase + phy2mlog[p]];
                }
            }
            // Step 3: pack each node's replicas onto its GPUs, all nodes in one call (in lock-step).
            packing.pack(phyLoad, nodes, slotsPerNode, gpusPerNode, gpuOfPhy, rankInGpu);
            for (int n = 0; n < nodes; n++) {
                int mlogBase = n * expertsPerNode;
                int slotBase = n * slotsPerNode;
                for (int p = slotBase; p < slotBase + slotsPerNode; p++) {
                    int slot = slotBase + gpuOfPhy[p] * slotsPerGpu + rankInGpu[p];
                    phy2logOut[slot] = mlog2log[mlogBase + phy2mlog[p]];
                    rankOut[slot] = phyRank[p];
                }
            }
        }
    }
}
