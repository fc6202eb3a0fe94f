package io.parabench.eplb;

/**
 * Re-places experts for new loads while moving as few replicas between GPUs as it can, so
 * that a serving system pays little weight traffic per rebalance.
 *
 * <p>Per layer: the chosen policy plans the new loads; if the previous placement is already
 * at least as good under the new loads (max GPU load), it is kept and nothing moves.
 * Otherwise the plan's GPU contents are relabelled — which changes no GPU's load, so the
 * quality is exactly the plan's — to match the previous GPUs best: nodes are matched to old
 * nodes, then GPUs to old GPUs inside each matched node, each by a maximum-weight matching
 * ({@link Assignment}) on how many replicas two contents share; inside a GPU, an expert that
 * stays keeps its slot. A replica counts as moved when its GPU did not hold that expert
 * before. The matching is optimal for the chosen plan; a different plan of equal quality might
 * move fewer, which this does not search.
 *
 * <p>Nodes stay whole (the hierarchical policy keeps a group inside a node); under the global
 * policy all GPUs form one node. Thread-safe.
 */
public final class SlotPreservingPlanner {
    private SlotPreservingPlanner() {
    }

    /**
     * @throws IllegalArgumentException when the loads do not match the previous placement
     */
    public static Replan replan(Placement previous, float[][] loads, BalancePolicy policy, boolean noDuplicateOnGpu) {
        ClusterShape shape = previous.shape();
        int experts = ExpertLoads.check(loads, shape);
        if (loads.length != previous.layers() || experts != previous.experts()) {
            throw new IllegalArgumentException("loads (" + loads.length + "x" + experts
                    + ") must match the previous placement (" + previous.layers() + "x" + previous.experts() + ")");
        }
        Placement plan = policy.rebalance(loads, shape, noDuplicateOnGpu);
        int layers = loads.length;
        int[][] phy2log = new int[layers][];
        int[] moved = new int[layers];
        int nodes = shape.hierarchical() ? shape.nodes() : 1;
        for (int l = 0; l < layers; l++) {
            int[] old = row(previous, l);
            int[] fresh = row(plan, l);
            double oldMax = PlacementMetrics.maxGpuLoad(loads[l], old, shape, experts);
            double newMax = PlacementMetrics.maxGpuLoad(loads[l], fresh, shape, experts);
            boolean oldAllowed = !noDuplicateOnGpu || !hasDuplicate(old, shape, experts);
            if (oldAllowed && oldMax <= newMax) {
                phy2log[l] = old;
                continue;
            }
            phy2log[l] = relabel(old, fresh, shape, nodes, experts);
            moved[l] = movedReplicas(old, phy2log[l], shape, experts);
        }
        return new Replan(Placement.of(shape, experts, phy2log), moved);
    }

    private static int[] row(Placement p, int layer) {
        int[] r = new int[p.shape().replicas()];
        for (int s = 0; s < r.length; s++) {
            r[s] = p.expertAt(layer, s);
        }
        return r;
    }

    private static int[] relabel(int[] old, int[] fresh, ClusterShape shape, int nodes, int experts) {
        int perGpu = shape.replicasPerGpu();
        int gpusPerNode = shape.gpus() / nodes;
        int[] out = new int[old.length];
        // match nodes: weight = replicas shared by the two nodes' contents
        int[][] nodeWeight = new int[nodes][nodes];
        for (int a = 0; a < nodes; a++) {
            for (int b = 0; b < nodes; b++) {
                nodeWeight[a][b] = shared(old, a * gpusPerNode * perGpu, fresh, b * gpusPerNode * perGpu,
                        gpusPerNode * perGpu);
            }
        }
        int[] nodeOf = nodes == 1 ? new int[]{0} : Assignment.maximise(nodeWeight);
        for (int a = 0; a < nodes; a++) {
            int b = nodeOf[a];
            int[][] gpuWeight = new int[gpusPerNode][gpusPerNode];
            for (int i = 0; i < gpusPerNode; i++) {
                for (int j = 0; j < gpusPerNode; j++) {
                    gpuWeight[i][j] = shared(old, (a * gpusPerNode + i) * perGpu, fresh,
                            (b * gpusPerNode + j) * perGpu, perGpu);
                }
            }
            int[] gpuOf = Assignment.maximise(gpuWeight);
            for (int i = 0; i < gpusPerNode; i++) {
                fill(old, (a * gpusPerNode + i) * perGpu, fresh, (b * gpusPerNode + gpuOf[i]) * perGpu, perGpu, out);
            }
        }
        return out;
    }

    /** Replicas two slot ranges have in common (multiset intersection size). */
    private static int shared(int[] x, int xFrom, int[] y, int yFrom, int len) {
        int common = 0;
        boolean[] taken = new boolean[len];
        for (int i = xFrom; i < xFrom + len; i++) {
            for (int j = 0; j < len; j++) {
                if (!taken[j] && y[yFrom + j] == x[i]) {
                    taken[j] = true;
                    common++;
                    break;
                }
            }
        }
        return common;
    }

    /** Puts the new GPU's experts into the old GPU's slots, an expert that stays keeping its slot. */
    private static void fill(int[] old, int oldFrom, int[] fresh, int freshFrom, int len, int[] out) {
        boolean[] placed = new boolean[len];
        boolean[] slotDone = new boolean[len];
        for (int s = 0; s < len; s++) {
            for (int j = 0; j < len; j++) {
                if (!placed[j] && fresh[freshFrom + j] == old[oldFrom + s]) {
                    placed[j] = true;
                    slotDone[s] = true;
                    out[oldFrom + s] = old[oldFrom + s];
                    break;
                }
            }
        }
        int j = 0;
        for (int s = 0; s < len; s++) {
            if (!slotDone[s]) {
                while (placed[j]) {
                    j++;
                }
                placed[j] = true;
                out[oldFrom + s] = fresh[freshFrom + j];
            }
        }
    }

    /** Replicas on a GPU whose expert that GPU did not hold before (multiset difference). */
    static int movedReplicas(int[] old, int[] now, ClusterShape shape, int experts) {
        int perGpu = shape.replicasPerGpu();
        int moved = 0;
        for (int g = 0; g < shape.gpus(); g++) {
            moved += perGpu - shared(old, g * perGpu, now, g * perGpu, perGpu);
        }
        return moved;
    }

    private static boolean hasDuplicate(int[] phy2log, ClusterShape shape, int experts) {
        int perGpu = shape.replicasPerGpu();
        for (int g = 0; g < shape.gpus(); g++) {
            for (int i = g * perGpu; i < (g + 1) * perGpu; i++) {
                for (int j = i + 1; j < (g + 1) * perGpu; j++) {
                    if (phy2log[i] == phy2log[j]) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
