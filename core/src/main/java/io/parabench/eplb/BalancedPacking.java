package io.parabench.eplb;

/**
 * The reference's {@code balanced_packing}: puts {@code n} weighted items into {@code packs}
 * packs of exactly {@code n / packs} items each, heaviest item first, each into the lightest
 * pack that still has room (lowest pack index on equal weight). Pack weights are summed in
 * float32, in the order the items are placed, as the reference does.
 *
 * <p>Each pack has one {@code long} key, {@code (float bits of its weight) << 32 | index}: the
 * bits of a non-negative float order like its value (+infinity included, should a sum
 * overflow), so the smallest key is the lightest pack, lowest index on a tie; a full pack's key
 * is {@code Long.MAX_VALUE}. Comparing one {@code long} replaces a compare-and-tie-break that
 * the CPU mispredicts. The reference scans all packs for every item; here few packs
 * (≤ {@value #TOURNAMENT_MAX_PACKS}, e.g. the 8 GPUs of a node) sit in a tournament tree (each
 * inner node holds the smaller key of its two children, the root the lightest pack; placing an
 * item re-plays only the path from its pack's leaf, with branch-free minima), and more packs
 * (e.g. 144 GPUs) in a binary min-heap of keys, whose early-exit sift-down is cheaper than a
 * full path of a deep tree when one set is packed alone. Both pick the pack the scan would.
 *
 * <p>One call packs several independent sets of the same size (the replicas of each node onto
 * that node's GPUs). Each placement depends on the one before it (pick, add, new key: a chain
 * of some 30 cycles), so a single set is latency-bound; tree-packed sets are therefore packed
 * in lock-step, item {@code k} of every set before item {@code k + 1}, and the CPU overlaps the
 * independent chains. Not thread-safe: one instance per thread.
 */
final class BalancedPacking {
    /**
     * Up to this many packs, a tournament tree packed in lock-step; above, a heap (with 144
     * packs and one set the tree measured 0.92 ms against the heap's 0.87 ms in EplbBenchmark).
     */
    static final int TOURNAMENT_MAX_PACKS = 16;
    private static final long FULL = Long.MAX_VALUE;

    private final DescendingOrder descending;
    private final float[] packWeight;
    private final int[] packItems;
    private final long[] heap;
    private final long[] tree;
    private final int[] order;

    /**
     * Scratch space for up to {@code maxItems} items and {@code maxPacks} packs per call, summed
     * over its sets.
     */
    BalancedPacking(int maxItems, int maxPacks) {
        descending = new DescendingOrder(maxItems);
        packWeight = new float[maxPacks];
        packItems = new int[maxPacks];
        heap = new long[maxPacks];
        tree = new long[4 * maxPacks]; // per set 2 × (packs rounded up to a power of two)
        order = new int[maxItems];
    }

    /**
     * Packs {@code sets} sets of {@code n} items, set {@code s} being
     * {@code weight[s·n .. (s+1)·n)}, each into its own {@code packs} packs. Writes item
     * {@code i} of set {@code s}'s pack ({@code [0, packs)}) to {@code packOut[s·n + i]} and its
     * position in the pack (the order it arrived) to {@code rankOut[s·n + i]}.
     */
    void pack(float[] weight, int sets, int n, int packs, int[] packOut, int[] rankOut) {
        int perPack = n / packs;
        if (perPack == 1) {
            // The reference short-cuts this case without sorting: item i goes to pack i.
            for (int i = 0; i < sets * n; i++) {
                packOut[i] = i % n;
                rankOut[i] = 0;
            }
            return;
        }
        for (int s = 0; s < sets; s++) {
            descending.sort(weight, s * n, n, order, s * n);
        }
        for (int s = 0; s < sets; s++) {
            for (int p = 0; p < packs; p++) {
                packWeight[s * packs + p] = 0f;
                packItems[s * packs + p] = 0;
            }
        }
        if (packs <= TOURNAMENT_MAX_PACKS) {
            packByTournament(weight, sets, n, packs, perPack, packOut, rankOut);
        } else {
            for (int s = 0; s < sets; s++) {
                packByHeap(weight, s, n, packs, perPack, packOut, rankOut);
            }
        }
    }

    private void packByTournament(float[] weight, int sets, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        // tree[t + 1] is a set's root, tree[t + leaves + p] pack p's leaf; padding leaves are FULL
        int leaves = Integer.highestOneBit(2 * packs - 1);
        int size = 2 * leaves;
        for (int s = 0; s < sets; s++) {
            int t = s * size;
            for (int i = 0; i < leaves; i++) {
                tree[t + leaves + i] = i < packs ? i : FULL; // weight 0 (bits 0), index i
            }
            for (int i = leaves - 1; i >= 1; i--) {
                tree[t + i] = min(tree[t + 2 * i], tree[t + 2 * i + 1]);
            }
        }
        for (int k = 0; k < n; k++) {
            for (int s = 0, itemBase = 0, packBase = 0, t = 0; s < sets; s++, itemBase += n, packBase += packs, t += size) {
                int item = itemBase + order[itemBase + k];
                int p = (int) tree[t + 1];
                long v = place(weight[item], packBase, p, perPack);
                int i = leaves + p;
                tree[t + i] = v;
                while (i > 1) {
                    v = min(v, tree[t + (i ^ 1)]);
                    i >>= 1;
                    tree[t + i] = v;
                }
                packOut[item] = p;
                rankOut[item] = packItems[packBase + p] - 1;
            }
        }
    }

    /**
     * Branch-free minimum of two keys in {@code [0, Long.MAX_VALUE]} (their difference cannot
     * overflow): which pack is lightest is data-dependent, and a mispredicted branch per pack
     * cost more than the rest of the pick (Java 17's {@code Math.min(long, long)} branches).
     */
    private static long min(long a, long b) {
        long d = a - b;
        return b + (d & (d >> 63));
    }

    private void packByHeap(float[] weight, int set, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        int itemBase = set * n;
        int packBase = set * packs;
        for (int p = 0; p < packs; p++) {
            heap[p] = p; // weight 0 (bits 0), index p: ascending keys already form a valid heap
        }
        int size = packs;
        for (int k = 0; k < n; k++) {
            int item = itemBase + order[itemBase + k];
            int p = (int) heap[0];
            long next = place(weight[item], packBase, p, perPack);
            packOut[item] = p;
            rankOut[item] = packItems[packBase + p] - 1;
            // the lightest pack only gets heavier: replace the root (or drop it when full)
            heap[0] = next == FULL ? heap[--size] : next;
            PackedKeyHeap.siftDown(heap, 0, size);
        }
    }

    /** Adds an item to pack {@code p} of the set whose packs start at {@code base}; returns the pack's new key. */
    private long place(float itemWeight, int base, int p, int perPack) {
        int items = ++packItems[base + p];
        float packed = packWeight[base + p] += itemWeight;
        // -1 once the pack holds perPack items: then the key becomes FULL, without a branch on
        // which pack fills when (a full pack's weight is never read again)
        long full = (long) (perPack - 1 - items) >> 63;
        return ((long) Float.floatToRawIntBits(packed) << 32) | p | (full >>> 1);
    }
}
