package io.parabench.eplb;

import java.util.Arrays;

/**
 * The improved policy's search inside one node of one layer: chooses how many replicas each
 * of the node's experts gets and which GPU holds each replica, to minimise the heaviest GPU.
 *
 * <p>Search, all deterministic:
 * <ol>
 *   <li>pack a replica-count vector greedily (heaviest replica first, into the lightest GPU
 *       with room — the reference's rule), then improve the packing by local search: swap a
 *       replica of the heaviest GPU with a lighter replica of another GPU whenever that lowers
 *       the larger of the two loads below the current maximum (best swap first);</li>
 *   <li>starting from the reference's replica counts, move one replica between two experts,
 *       re-pack as in 1, and keep the first move that lowers {@code (max GPU load, sum of
 *       squared GPU loads)}; repeat until no move helps. Moves tried: an expert on the heaviest
 *       GPU gains a copy from one of the cheapest donors (lowest {@code load / (count − 1)}),
 *       or gives one of its copies to one of the experts with the heaviest replicas.</li>
 * </ol>
 * The reference balances replica loads first and packs second; a different count — e.g.
 * fewer copies of a huge expert and more of a medium one — often packs much better, which the
 * count moves find. Every accepted step strictly lowers the objective, so the search ends;
 * iteration caps bound its time on large nodes.
 *
 * <p>With {@code noDuplicateOnGpu}, no GPU holds two replicas of one expert: counts are capped
 * at the node's GPU count, the greedy packing skips GPUs that hold the expert (falling back to
 * a round-robin deal, always feasible, when it would get stuck) and swaps keep the rule.
 *
 * <p>Loads are doubles ({@code load / count}); not thread-safe.
 */
final class NodePlanner {
    private static final double TOLERANCE = 1e-12;
    /** Partners tried per expert of the heaviest GPU and move kind: bounds the search on big nodes. */
    private static final int PARTNERS_PER_MOVE = 8;

    private final int gpus;
    private final int perGpu;
    private final int slots;
    private final boolean noDuplicateOnGpu;

    /** A packing: the local expert in each slot ({@code gpu * perGpu + position}) and GPU loads. */
    static final class Packing {
        final int[] slotExpert;
        final double[] gpuLoad;
        double max;
        double sumSquares;

        Packing(int slots, int gpus) {
            slotExpert = new int[slots];
            gpuLoad = new double[gpus];
        }

        boolean betterThan(Packing other) {
            double scale = Math.max(1, other.max);
            if (max < other.max - TOLERANCE * scale) {
                return true;
            }
            return max <= other.max + TOLERANCE * scale
                    && sumSquares < other.sumSquares - TOLERANCE * scale * scale;
        }
    }

    NodePlanner(int gpus, int perGpu, boolean noDuplicateOnGpu) {
        this.gpus = gpus;
        this.perGpu = perGpu;
        this.slots = gpus * perGpu;
        this.noDuplicateOnGpu = noDuplicateOnGpu;
    }

    /**
     * Plans the node.
     *
     * @param load   loads of the node's {@code m} experts (local indices)
     * @param counts initial replica counts, summing to the node's slots; updated to the result
     * @return the best packing found
     */
    Packing plan(double[] load, int[] counts) {
        int m = load.length;
        Packing best = pack(load, counts);
        int[] trial = new int[m];
        double[] lossKey = new double[m];
        double[] gainKey = new double[m];
        int[] donors = new int[m];
        int[] receivers = new int[m];
        int maxMoves = 4 * slots + 16;
        for (int move = 0; move < maxMoves; move++) {
            int heaviest = argMax(best.gpuLoad);
            int from = heaviest * perGpu;
            int to = from + perGpu;
            for (int e = 0; e < m; e++) {
                // a donor's replicas grow to load / (count - 1); a receiver's replicas are load / count now
                lossKey[e] = counts[e] > 1 ? load[e] / (counts[e] - 1) : Double.POSITIVE_INFINITY;
                gainKey[e] = -load[e] / counts[e];
            }
            sortBy(lossKey, donors);
            sortBy(gainKey, receivers);
            Packing improved = null;
            // (a) an expert on the heaviest GPU gets one more copy, from the cheapest donors;
            // (b) an expert on the heaviest GPU gives a copy to the heaviest replicas' experts.
            search:
            for (int pass = 0; pass < 2; pass++) {
                for (int s = from; s < to; s++) {
                    int onHeaviest = best.slotExpert[s];
                    if (alreadyTried(best.slotExpert, from, s, onHeaviest)) {
                        continue;
                    }
                    int[] partners = pass == 0 ? donors : receivers;
                    int tried = 0;
                    for (int k = 0; k < m && tried < PARTNERS_PER_MOVE; k++) {
                        int partner = partners[k];
                        int receiver = pass == 0 ? onHeaviest : partner;
                        int donor = pass == 0 ? partner : onHeaviest;
                        if (receiver == donor || counts[donor] < 2
                                || (noDuplicateOnGpu && counts[receiver] >= gpus)) {
                            continue;
                        }
                        tried++;
                        System.arraycopy(counts, 0, trial, 0, m);
                        trial[receiver]++;
                        trial[donor]--;
                        Packing candidate = pack(load, trial);
                        if (candidate.betterThan(best)) {
                            improved = candidate;
                            break search;
                        }
                    }
                }
            }
            if (improved == null) {
                break;
            }
            best = improved;
            System.arraycopy(trial, 0, counts, 0, m);
        }
        return best;
    }

    /** Fills {@code order} with {@code 0..n-1} sorted by key ascending, index ascending on ties. */
    private static void sortBy(double[] key, int[] order) {
        // rank keys with a plain index sort: n is a node's expert count (hundreds at most)
        Integer[] idx = new Integer[key.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> key[a] != key[b] ? Double.compare(key[a], key[b]) : Integer.compare(a, b));
        for (int i = 0; i < idx.length; i++) {
            order[i] = idx[i];
        }
    }

    private static boolean alreadyTried(int[] slotExpert, int from, int upTo, int expert) {
        for (int s = from; s < upTo; s++) {
            if (slotExpert[s] == expert) {
                return true;
            }
        }
        return false;
    }

    /** Greedy packing of a count vector, then swap local search. */
    Packing pack(double[] load, int[] counts) {
        int m = load.length;
        float[] key = new float[m];
        for (int e = 0; e < m; e++) {
            key[e] = (float) (load[e] / counts[e]);
        }
        int[] order = new int[m];
        new DescendingOrder(m).sort(key, 0, m, order, 0);
        Packing p = new Packing(slots, gpus);
        if (!greedy(load, counts, order, p)) {
            roundRobin(counts, order, p);
        }
        localSearch(load, counts, p);
        return p;
    }

    private boolean greedy(double[] load, int[] counts, int[] order, Packing p) {
        int[] fill = new int[gpus];
        for (int e : order) {
            double replicaLoad = load[e] / counts[e];
            for (int c = 0; c < counts[e]; c++) {
                int best = -1;
                for (int g = 0; g < gpus; g++) {
                    if (fill[g] < perGpu && (best < 0 || p.gpuLoad[g] < p.gpuLoad[best])
                            && !(noDuplicateOnGpu && holds(p.slotExpert, g, fill[g], e))) {
                        best = g;
                    }
                }
                if (best < 0) {
                    return false;
                }
                p.slotExpert[best * perGpu + fill[best]++] = e;
                p.gpuLoad[best] += replicaLoad;
            }
        }
        return true;
    }

    /**
     * Deals replicas, heaviest expert first, to GPUs 0, 1, …, wrapping around: the copies of
     * one expert are consecutive, so with at most {@code gpus} copies they land on distinct GPUs.
     */
    private void roundRobin(int[] counts, int[] order, Packing p) {
        int t = 0;
        for (int e : order) {
            for (int c = 0; c < counts[e]; c++, t++) {
                p.slotExpert[(t % gpus) * perGpu + t / gpus] = e;
            }
        }
    }

    private boolean holds(int[] slotExpert, int gpu, int filled, int expert) {
        for (int s = gpu * perGpu, end = s + filled; s < end; s++) {
            if (slotExpert[s] == expert) {
                return true;
            }
        }
        return false;
    }

    private void localSearch(double[] load, int[] counts, Packing p) {
        double[] replicaLoad = new double[load.length];
        for (int e = 0; e < load.length; e++) {
            replicaLoad[e] = load[e] / counts[e];
        }
        for (int g = 0; g < gpus; g++) {
            p.gpuLoad[g] = gpuLoad(p.slotExpert, g, replicaLoad);
        }
        int maxSwaps = 8 * slots + 64;
        for (int swap = 0; swap < maxSwaps; swap++) {
            int h = argMax(p.gpuLoad);
            double lh = p.gpuLoad[h];
            double bestMax = lh - TOLERANCE * Math.max(1, lh);
            int bestI = -1;
            int bestJ = -1;
            for (int g = 0; g < gpus; g++) {
                double lg = p.gpuLoad[g];
                if (g == h || lg >= bestMax) {
                    continue;
                }
                for (int i = h * perGpu; i < (h + 1) * perGpu; i++) {
                    double li = replicaLoad[p.slotExpert[i]];
                    for (int j = g * perGpu; j < (g + 1) * perGpu; j++) {
                        double lj = replicaLoad[p.slotExpert[j]];
                        if (li <= lj) {
                            continue;
                        }
                        double newMax = Math.max(lh - li + lj, lg - lj + li);
                        if (newMax < bestMax && swapAllowed(p.slotExpert, h, g, i, j)) {
                            bestMax = newMax;
                            bestI = i;
                            bestJ = j;
                        }
                    }
                }
            }
            if (bestI < 0) {
                break;
            }
            int t = p.slotExpert[bestI];
            p.slotExpert[bestI] = p.slotExpert[bestJ];
            p.slotExpert[bestJ] = t;
            p.gpuLoad[h] = gpuLoad(p.slotExpert, h, replicaLoad);
            p.gpuLoad[bestJ / perGpu] = gpuLoad(p.slotExpert, bestJ / perGpu, replicaLoad);
        }
        p.max = 0;
        p.sumSquares = 0;
        for (double l : p.gpuLoad) {
            p.max = Math.max(p.max, l);
            p.sumSquares += l * l;
        }
    }

    private boolean swapAllowed(int[] slotExpert, int h, int g, int i, int j) {
        if (!noDuplicateOnGpu) {
            return true;
        }
        return !holds(slotExpert, g, perGpu, slotExpert[i]) && !holds(slotExpert, h, perGpu, slotExpert[j]);
    }

    private double gpuLoad(int[] slotExpert, int gpu, double[] replicaLoad) {
        double sum = 0;
        for (int s = gpu * perGpu; s < (gpu + 1) * perGpu; s++) {
            sum += replicaLoad[slotExpert[s]];
        }
        return sum;
    }

    private static int argMax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
