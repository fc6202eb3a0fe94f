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
 * the CPU mispredicts. The reference scans all packs for every item; here a few packs
 * (≤ {@value #LINEAR_SCAN_PACKS}, e.g. the 8 GPUs of a node) are scanned with a branch-free
 * minimum, and more packs (e.g. 144 GPUs) sit in a binary min-heap of keys, which
 * picks the same pack in {@code O(log packs)}.
 *
 * <p>One call packs several independent sets of the same size (the replicas of each node onto
 * that node's GPUs). Each placement depends on the one before it (scan, add, new key: a chain
 * of some 40 cycles), so a single set is latency-bound; scanned sets are therefore packed in
 * lock-step, item {@code k} of every set before item {@code k + 1}, and the CPU overlaps the
 * independent chains. Not thread-safe: one instance per thread.
 */
final class BalancedPacking {
    /** Up to this many packs, a branch-free scan beats heap upkeep (measured with EplbBenchmark). */
    static final int LINEAR_SCAN_PACKS = 16;
    private static final long FULL = Long.MAX_VALUE;

    private final DescendingOrder descending;
    private final float[] packWeight;
    private final int[] packItems;
    private final long[] key;
    private final long[] heap;
    private final int[] order;

    /**
     * Scratch space for up to {@code maxItems} items and {@code maxPacks} packs per call, summed
     * over its sets.
     */
    BalancedPacking(int maxItems, int maxPacks) {
        descending = new DescendingOrder(maxItems);
        packWeight = new float[maxPacks];
        packItems = new int[maxPacks];
        key = new long[maxPacks];
        heap = new long[maxPacks];
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
                key[s * packs + p] = p; // weight 0: bits 0
            }
        }
        if (packs <= LINEAR_SCAN_PACKS) {
            packByScan(weight, sets, n, packs, perPack, packOut, rankOut);
        } else {
            for (int s = 0; s < sets; s++) {
                packByHeap(weight, s, n, packs, perPack, packOut, rankOut);
            }
        }
    }

    private void packByScan(float[] weight, int sets, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        for (int k = 0; k < n; k++) {
            for (int s = 0, itemBase = 0, packBase = 0; s < sets; s++, itemBase += n, packBase += packs) {
                int item = itemBase + order[itemBase + k];
                int p = (int) lightest(packBase, packs);
                key[packBase + p] = place(weight[item], packBase, p, perPack);
                packOut[item] = p;
                rankOut[item] = packItems[packBase + p] - 1;
            }
        }
    }

    /** The smallest key of {@code key[base .. base+packs)}. */
    private long lightest(int base, int packs) {
        // two independent min chains halve the dependency chain
        long even = key[base];
        long odd = FULL;
        int q = 1;
        for (; q + 1 < packs; q += 2) {
            odd = min(odd, key[base + q]);
            even = min(even, key[base + q + 1]);
        }
        if (q < packs) {
            odd = min(odd, key[base + q]);
        }
        return min(even, odd);
    }

    /**
     * Branch-free minimum of two keys in {@code [0, Long.MAX_VALUE]} (their difference cannot
     * overflow): which pack is lightest is data-dependent, and a mispredicted branch per pack
     * cost more than the rest of the scan (Java 17's {@code Math.min(long, long)} branches).
     */
    private static long min(long a, long b) {
        long d = a - b;
        return b + (d & (d >> 63));
    }

    private void packByHeap(float[] weight, int set, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        int itemBase = set * n;
        int packBase = set * packs;
        for (int p = 0; p < packs; p++) {
            heap[p] = p; // ascending keys already form a valid heap
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
            siftDown(size);
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

    private void siftDown(int size) {
        int i = 0;
        long x = heap[0];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            long c = heap[child];
            if (child + 1 < size && heap[child + 1] < c) {
                c = heap[++child];
            }
            if (c >= x) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = x;
    }
}
