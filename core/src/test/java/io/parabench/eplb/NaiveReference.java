package io.parabench.eplb;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A line-by-line, deliberately slow transcription of {@code eplb.py}'s
 * {@code rebalance_experts} (linear scans, boxed sorts, the tensor steps as loops), used to
 * check the fast {@link ReferenceBalancer} on inputs with ties and zeros that the shared cases
 * avoid. Tie rules as documented: stable descending sort, first index on max/min.
 */
final class NaiveReference {
    private NaiveReference() {
    }

    /** {@code [layers][replicas]} phy2log and, in {@code rankOut}, each slot's replica rank. */
    static int[][] phy2log(float[][] weight, int replicas, int groups, int nodes, int gpus, int[][] rankOut) {
        if (groups % nodes != 0) {
            groups = 1;
            nodes = 1;
        }
        int layers = weight.length;
        int experts = weight[0].length;
        int groupSize = experts / groups;
        int groupsPerNode = groups / nodes;
        int perGpu = replicas / gpus;
        int[][] out = new int[layers][replicas];
        for (int l = 0; l < layers; l++) {
            float[] tokensPerGroup = new float[groups];
            for (int g = 0; g < groups; g++) {
                for (int k = 0; k < groupSize; k++) {
                    tokensPerGroup[g] += weight[l][g * groupSize + k];
                }
            }
            int[][] gp = packing(tokensPerGroup, nodes);
            int[] log2mlog = new int[experts];
            for (int e = 0; e < experts; e++) {
                int g = e / groupSize;
                log2mlog[e] = (gp[0][g] * groupsPerNode + gp[1][g]) * groupSize + e % groupSize;
            }
            int[] mlog2log = new int[experts];
            for (int e = 0; e < experts; e++) {
                mlog2log[log2mlog[e]] = e;
            }
            int perNode = experts / nodes;
            int phyPerNode = replicas / nodes;
            for (int n = 0; n < nodes; n++) {
                float[] tokens = new float[perNode];
                for (int m = 0; m < perNode; m++) {
                    tokens[m] = weight[l][mlog2log[n * perNode + m]];
                }
                int[] phy2mlog = new int[phyPerNode];
                int[] rank = new int[phyPerNode];
                int[] cnt = new int[perNode];
                Arrays.fill(cnt, 1);
                for (int i = 0; i < phyPerNode; i++) {
                    phy2mlog[i] = i < perNode ? i : -1;
                }
                for (int i = perNode; i < phyPerNode; i++) {
                    int best = 0;
                    for (int m = 1; m < perNode; m++) {
                        if (tokens[m] / (float) cnt[m] > tokens[best] / (float) cnt[best]) {
                            best = m;
                        }
                    }
                    phy2mlog[i] = best;
                    rank[i] = cnt[best]++;
                }
                float[] tokensPerPhy = new float[phyPerNode];
                for (int p = 0; p < phyPerNode; p++) {
                    tokensPerPhy[p] = tokens[phy2mlog[p]] / (float) cnt[phy2mlog[p]];
                }
                int[][] pp = packing(tokensPerPhy, gpus / nodes);
                for (int p = 0; p < phyPerNode; p++) {
                    int slot = n * phyPerNode + pp[0][p] * perGpu + pp[1][p];
                    out[l][slot] = mlog2log[n * perNode + phy2mlog[p]];
                    rankOut[l][slot] = rank[p];
                }
            }
        }
        return out;
    }

    private static int[][] packing(float[] w, int packs) {
        int n = w.length;
        int per = n / packs;
        int[] pack = new int[n];
        int[] rank = new int[n];
        if (per == 1) {
            for (int i = 0; i < n; i++) {
                pack[i] = i;
            }
            return new int[][]{pack, rank};
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -w[i])); // stable: lower index first
        float[] packWeight = new float[packs];
        int[] items = new int[packs];
        for (int item : order) {
            int best = -1;
            for (int p = 0; p < packs; p++) {
                if (items[p] < per && (best < 0 || packWeight[p] < packWeight[best])) {
                    best = p;
                }
            }
            pack[item] = best;
            rank[item] = items[best]++;
            packWeight[best] += w[item];
        }
        return new int[][]{pack, rank};
    }
}
