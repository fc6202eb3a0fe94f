package io.parabench.eplb;

/**
 * The reference's {@code replicate_experts}: starting from one replica per expert, gives each
 * redundant replica to the expert with the highest load per replica ({@code load / count} in
 * float32), the lowest expert index on equal value. This minimises the heaviest replica.
 *
 * <p>The reference recomputes the arg-max over all experts for every replica
 * ({@code O(redundant · experts)}). Here, with {@code r} redundant replicas, only the
 * {@code r} heaviest experts (load descending, lower index first) can ever receive one: while
 * fewer than {@code r} replicas are given, one of those {@code r} experts still has a single
 * copy, so its load per replica is at least any outside expert's, with a lower index on a tie.
 * Those candidates are selected in one pass, then sit in a binary max-heap; only the chosen
 * expert's key changes per replica. Same choices, {@code O(experts + r log r)}. An expert's
 * key is one {@code long}, {@code (float bits of load / count) << 32 | (MAX_INT − index)}:
 * non-negative float bits order like the values, so a larger key is a heavier replica, the
 * lower index on a tie, in one comparison; the heaps hold the keys themselves, the expert
 * being recovered from the low half, so no comparison waits for a second load. Not thread-safe.
 */
final class ExpertReplication {
    private final long[] heap;

    ExpertReplication(int maxExperts) {
        heap = new long[maxExperts];
    }

    private static long key(float perReplica, int expert) {
        // & 0x7FFFFFFF folds -0.0 onto 0.0
        return ((long) (Float.floatToRawIntBits(perReplica) & 0x7FFFFFFF) << 32) | (Integer.MAX_VALUE - expert);
    }

    private static int expert(long key) {
        return Integer.MAX_VALUE - (int) key;
    }

    /**
     * Replicates experts {@code load[from..from+experts)} onto {@code slots} slots. Slot
     * {@code s < experts} holds expert {@code s}, rank 0; later slots hold the redundant
     * replicas in the order they were created. Experts are numbered from 0 in the outputs.
     *
     * @param phy2log out: expert of each slot, {@code [slotFrom, slotFrom + slots)}
     * @param rank    out: replica rank of each slot (0 for the first copy), same indices
     * @param count   out: replicas per expert, {@code [from, from + experts)} like the loads
     */
    void replicate(float[] load, int from, int experts, int slots, int[] phy2log, int[] rank, int slotFrom, int[] count) {
        for (int e = 0; e < experts; e++) {
            phy2log[slotFrom + e] = e;
            rank[slotFrom + e] = 0;
            count[from + e] = 1;
        }
        int redundant = slots - experts;
        if (redundant == 0) {
            return;
        }
        int size = selectCandidates(load, from, experts, Math.min(redundant, experts));
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDownHeaviest(i, size);
        }
        for (int s = experts; s < slots; s++) {
            int e = expert(heap[0]);
            int copies = count[from + e];
            phy2log[slotFrom + s] = e;
            rank[slotFrom + s] = copies;
            count[from + e] = copies + 1;
            heap[0] = key(load[from + e] / (float) (copies + 1), e);
            siftDownHeaviest(0, size);
        }
    }

    /**
     * Puts the keys of the {@code k} heaviest experts (load descending, index ascending) into
     * {@code heap[0..k)}, using it as a min-heap of the best seen so far ("lightest on top").
     */
    private int selectCandidates(float[] load, int from, int experts, int k) {
        for (int e = 0; e < k; e++) {
            heap[e] = key(load[from + e], e);
        }
        if (k == experts) {
            return k;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            PackedKeyHeap.siftDown(heap, i, k);
        }
        for (int e = k; e < experts; e++) {
            long key = key(load[from + e], e);
            if (key > heap[0]) {
                heap[0] = key;
                PackedKeyHeap.siftDown(heap, 0, k);
            }
        }
        return k;
    }

    /** Sift-down for the max-heap of candidates: the heaviest replica (lowest index on ties) on top. */
    private void siftDownHeaviest(int i, int size) {
        long x = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            long c = heap[child];
            if (child + 1 < size && heap[child + 1] > c) {
                c = heap[++child];
            }
            if (c <= x) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = x;
    }
}
