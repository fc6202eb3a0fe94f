package io.parabench.eplb;

import java.util.Arrays;

/**
 * An expert placement for every MoE layer: which logical expert each physical slot serves
 * ({@code phy2log}), how many replicas each expert has ({@code logcnt}), and the slots of
 * each expert ({@code log2phy}, padded with {@code -1} to the largest replica count over all
 * layers), in the layout of DeepSeek's {@code rebalance_experts}.
 *
 * <p>Immutable; accessors that return arrays return copies, the indexed accessors do not
 * allocate. {@code log2phy[l][e][k]} is the slot of replica {@code k} of expert {@code e};
 * the reference numbers replicas in the order it created them, other policies in slot order.
 */
public final class Placement {
    private final ClusterShape shape;
    private final int[][] phy2log;
    private final int[][] logcnt;
    /** {@code log2phy} flattened to {@code [(layer * experts + expert) * maxReplicas + k]}: one array, not 15k. */
    private final int[] log2phy;
    private final int maxReplicas;

    private Placement(ClusterShape shape, int[][] phy2log, int[][] logcnt, int[] log2phy, int maxReplicas) {
        this.shape = shape;
        this.phy2log = phy2log;
        this.logcnt = logcnt;
        this.log2phy = log2phy;
        this.maxReplicas = maxReplicas;
    }

    /**
     * Builds a placement from slot contents and each slot's replica rank (the reference's
     * {@code phyrank}); takes ownership of the arrays.
     */
    static Placement ofRanked(ClusterShape shape, int experts, int[][] phy2log, int[][] rank) {
        int layers = phy2log.length;
        int[][] logcnt = new int[layers][experts];
        int maxCount = 0;
        for (int l = 0; l < layers; l++) {
            for (int e : phy2log[l]) {
                maxCount = Math.max(maxCount, ++logcnt[l][e]);
            }
        }
        int[] log2phy = new int[layers * experts * maxCount];
        Arrays.fill(log2phy, -1); // one vectorised pass beats padding each expert's tail
        for (int l = 0; l < layers; l++) {
            int base = l * experts;
            for (int slot = 0; slot < phy2log[l].length; slot++) {
                log2phy[(base + phy2log[l][slot]) * maxCount + rank[l][slot]] = slot;
            }
        }
        return new Placement(shape, phy2log, logcnt, log2phy, maxCount);
    }

    /**
     * A placement given by its slot contents alone; replicas of an expert are numbered in slot
     * order. Checks that every slot names an expert in {@code [0, experts)} and that every
     * expert has at least one slot.
     */
    public static Placement of(ClusterShape shape, int experts, int[][] phy2log) {
        shape.checkExperts(experts);
        int layers = phy2log.length;
        int[][] copy = new int[layers][];
        int[][] rank = new int[layers][];
        for (int l = 0; l < layers; l++) {
            if (phy2log[l].length != shape.replicas()) {
                throw new IllegalArgumentException("phy2log row " + l + " length (" + phy2log[l].length
                        + ") must equal replicas (" + shape.replicas() + ")");
            }
            copy[l] = phy2log[l].clone();
            rank[l] = new int[copy[l].length];
            int[] seen = new int[experts];
            for (int slot = 0; slot < copy[l].length; slot++) {
                int e = copy[l][slot];
                if (e < 0 || e >= experts) {
                    throw new IllegalArgumentException("phy2log[" + l + "][" + slot + "] (" + e
                            + ") must be an expert in [0, " + experts + ")");
                }
                rank[l][slot] = seen[e]++;
            }
            for (int e = 0; e < experts; e++) {
                if (seen[e] == 0) {
                    throw new IllegalArgumentException("expert " + e + " of layer " + l + " has no slot; every expert needs one");
                }
            }
        }
        return ofRanked(shape, experts, copy, rank);
    }

    public ClusterShape shape() {
        return shape;
    }

    public int layers() {
        return phy2log.length;
    }

    public int experts() {
        return logcnt.length == 0 ? 0 : logcnt[0].length;
    }

    /** The logical expert served by a physical slot. */
    public int expertAt(int layer, int slot) {
        return phy2log[layer][slot];
    }

    /** How many replicas an expert has in a layer. */
    public int replicaCount(int layer, int expert) {
        return logcnt[layer][expert];
    }

    /** Width of {@link #log2phy()}: the largest replica count of any expert in any layer. */
    public int maxReplicas() {
        return maxReplicas;
    }

    /** The slot of replica {@code k} of an expert, or {@code -1} when it has {@code k} or fewer replicas. */
    public int slotOf(int layer, int expert, int k) {
        return log2phy[(layer * experts() + expert) * maxReplicas + k];
    }

    /** {@code [layers][replicas]}: the logical expert of each physical slot (a copy). */
    public int[][] phy2log() {
        return deepCopy(phy2log);
    }

    /** {@code [layers][experts]}: replicas per expert (a copy). */
    public int[][] logcnt() {
        return deepCopy(logcnt);
    }

    /** {@code [layers][experts][maxReplicas]}: slots of each expert, {@code -1} padded (a copy). */
    public int[][][] log2phy() {
        int experts = experts();
        int[][][] copy = new int[layers()][experts][];
        for (int l = 0; l < copy.length; l++) {
            for (int e = 0; e < experts; e++) {
                int from = (l * experts + e) * maxReplicas;
                copy[l][e] = Arrays.copyOfRange(log2phy, from, from + maxReplicas);
            }
        }
        return copy;
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] copy = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }
}
