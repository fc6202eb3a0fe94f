package io.parabench.eplb;

/**
 * The reference's {@code balanced_packing}: puts {@code n} weighted items into {@code packs}
 * packs of exactly {@code n / packs} items each, heaviest item first, each into the lightest
 * pack that still has room (lowest pack index on equal weight). Pack weights are summed in
 * float32, in the order the items are placed, as the reference does.
 *
 * <p>The reference scans all packs for every item ({@code O(n · packs)}); here the packs with
 * room sit in a binary min-heap keyed by {@code (weight, index)}, which picks the same pack in
 * {@code O(log packs)}: placing an item only makes its pack heavier, so the pack is popped,
 * updated and pushed back while it has room. For a few packs (≤ {@value #LINEAR_SCAN_PACKS},
 * e.g. the 8 GPUs of a node) a branch-light linear scan is faster than the heap and is used
 * instead; both pick the same pack. Not thread-safe: one instance per thread.
 */
final class BalancedPacking {
    /** Up to this many packs, scanning all of them beats heap upkeep (measured with EplbBenchmark). */
    static final int LINEAR_SCAN_PACKS = 16;
    private final float[] packWeight;
    private final int[] packItems;
    private final int[] heap;
    private final int[] order;
    private final long[] keys;

    BalancedPacking(int maxItems, int maxPacks) {
        packWeight = new float[maxPacks];
        packItems = new int[maxPacks];
        heap = new int[maxPacks];
        order = new int[maxItems];
        keys = new long[maxItems];
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
        DescendingOrder.sort(weight, from, n, order, keys);
        if (packs <= LINEAR_SCAN_PACKS) {
            packByScan(weight, from, n, packs, perPack, packOut, rankOut);
            return;
        }
        for (int p = 0; p < packs; p++) {
            packWeight[p] = 0f;
            packItems[p] = 0;
            heap[p] = p; // all weights 0: index order is already a valid heap
        }
        int size = packs;
        for (int k = 0; k < n; k++) {
            int item = order[k];
            int p = heap[0];
            packOut[item] = p;
            rankOut[item] = packItems[p];
            packWeight[p] += weight[from + item];
            if (++packItems[p] == perPack) {
                heap[0] = heap[--size];
            }
            siftDown(0, size);
        }
    }

    private void packByScan(float[] weight, int from, int n, int packs, int perPack, int[] packOut, int[] rankOut) {
        for (int p = 0; p < packs; p++) {
            packWeight[p] = 0f;
            packItems[p] = 0;
        }
        for (int k = 0; k < n; k++) {
            int item = order[k];
            int best = -1;
            float bestWeight = Float.POSITIVE_INFINITY;
            for (int p = 0; p < packs; p++) {
                // strict "<" keeps the lowest index among equally light packs
                if (packItems[p] < perPack && (best < 0 || packWeight[p] < bestWeight)) {
                    best = p;
                    bestWeight = packWeight[p];
                }
            }
            packOut[item] = best;
            rankOut[item] = packItems[best]++;
            packWeight[best] += weight[from + item];
        }
    }

    private boolean lighter(int a, int b) {
        float wa = packWeight[a];
        float wb = packWeight[b];
        return wa < wb || (wa == wb && a < b);
    }

    private void siftDown(int i, int size) {
        int x = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && lighter(heap[child + 1], heap[child])) {
                child++;
            }
            if (!lighter(heap[child], x)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }
}
