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
 * picks the same pack in {@code O(log packs)}. Not thread-safe: one instance per thread.
 */
final class BalancedPacking {
    /** Up to this many packs, a branch-free scan beats heap upkeep (measured with EplbBenchmark). */
    static final int LINEAR_SCAN_PACKS = 16;
    private static final long FULL = Long.MAX_VALUE;

    private final float[] packWeight;
    private final int[] packItems;
    private final long[] key;
    private final long[] heap;
    private final int[] order;
    private final long[] sortKeys;

    BalancedPacking(int maxItems, int maxPacks) {
        packWeight = new float[maxPacks];
        packItems = new int[maxPacks];
        key = new long[maxPacks];
        heap = new long[maxPacks];
        order = new int[maxItems];
        sortKeys = new long[maxItems];
    }

    /**
     * Packs {@code weight[from..from+n)}; writes each item's pack to {@code packOut[i]} and its
     * position in the pack (the order it arrived) to {@code rankOut[i]}, for {@code i < n}.
     */
    void pack(float[] weight, int from, int n, int packs, int[] packOut, int[] rankOut) {
        int perPack = n / packs;
        if (perPack == 1) {
            // The reference short-cuts this case without sorting: item i goes to pack i.
            for (int i = 0; i < n; i++) {
                packOut[i] = i;
                rankOut[i] = 0;
            }
            return;
        }
        DescendingOrder.sort(weight, from, n, order, sortKeys);
        for (int p = 0; p < packs; p++) {
            packWeight[p] = 0f;
            packItems[p] = 0;
            key[p] = p; // weight 0: bits 0
            heap[p] = p; // ascending keys already form a valid heap
        }
        if (packs <= LINEAR_SCAN_PACKS) {
            packByScan(weight, from, n, packs, perPack, packOut, rankOut);
        } else {
            packByHeap(weight, from, n, packs, perPack, packOut, rankOut);
        }
    }

    private void packByScan(float[] weight, int from, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        for (int k = 0; k < n; k++) {
            int item = order[k];
            // two independent min chains halve the dependency chain
            long even = key[0];
            long odd = FULL;
            int q = 1;
            for (; q + 1 < packs; q += 2) {
                odd = min(odd, key[q]);
                even = min(even, key[q + 1]);
            }
            if (q < packs) {
                odd = min(odd, key[q]);
            }
            int p = (int) min(even, odd);
            key[p] = place(weight[from + item], p, perPack);
            packOut[item] = p;
            rankOut[item] = packItems[p] - 1;
        }
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

    private void packByHeap(float[] weight, int from, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        int size = packs;
        for (int k = 0; k < n; k++) {
            int item = order[k];
            int p = (int) heap[0];
            long next = place(weight[from + item], p, perPack);
            packOut[item] = p;
            rankOut[item] = packItems[p] - 1;
            // the lightest pack only gets heavier: replace the root (or drop it when full)
            heap[0] = next == FULL ? heap[--size] : next;
            siftDown(size);
        }
    }

    /** Adds an item to pack {@code p}; returns the pack's new key. */
    private long place(float itemWeight, int p, int perPack) {
        if (++packItems[p] == perPack) {
            return FULL;
        }
        packWeight[p] += itemWeight;
        return ((long) Float.floatToRawIntBits(packWeight[p]) << 32) | p;
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
