package io.parabench.eplb;

/**
 * Sift-down on a binary min-heap of packed {@code long} keys held in a plain array. The
 * balancers pack (load, index) into one key so that a single {@code long} comparison applies
 * both the load order and the reference's tie rule, with no object or second array load per
 * comparison on the hot path.
 */
final class PackedKeyHeap {
    private PackedKeyHeap() {
    }

    /** Restores the min-heap property below {@code i} in {@code heap[0, size)}. */
    static void siftDown(long[] heap, int i, int size) {
        long x = heap[i];
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
