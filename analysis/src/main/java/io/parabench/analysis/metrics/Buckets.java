package io.parabench.analysis.metrics;

import java.util.Arrays;

/**
 * Positions {@code 0..n-1} grouped by an {@code int} key (a device, a stream, a name id):
 * distinct keys ascending, and for each key its positions in their original order. One
 * primitive sort of {@code (key, position)} packed into a {@code long}, so grouping is
 * O(n log n) in the positions and never O(keys × n) — which is what made 100 k distinct pids
 * take minutes when every device rescanned every event.
 *
 * <p>Immutable once built; not for more than 2³¹ − 1 positions.
 */
final class Buckets {
    private final int[] keys;
    private final int[] offsets;
    private final int[] positions;

    private Buckets(int[] keys, int[] offsets, int[] positions) {
        this.keys = keys;
        this.offsets = offsets;
        this.positions = positions;
    }

    /** Groups positions {@code 0..n-1} by {@code key.of(position)}. */
    static Buckets of(int n, KeyOf key) {
        long[] packed = new long[n];
        for (int p = 0; p < n; p++) {
            // flip the sign bit so negative keys sort before positive ones as unsigned
            packed[p] = ((long) (key.of(p) ^ Integer.MIN_VALUE) << 32) | p;
        }
        Arrays.sort(packed);
        int[] positions = new int[n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            positions[i] = (int) packed[i];
            if (i == 0 || (packed[i] >>> 32) != (packed[i - 1] >>> 32)) {
                distinct++;
            }
        }
        int[] keys = new int[distinct];
        int[] offsets = new int[distinct + 1];
        for (int i = 0, b = -1; i < n; i++) {
            if (i == 0 || (packed[i] >>> 32) != (packed[i - 1] >>> 32)) {
                b++;
                keys[b] = (int) (packed[i] >>> 32) ^ Integer.MIN_VALUE;
                offsets[b] = i;
            }
        }
        offsets[distinct] = n;
        return new Buckets(keys, offsets, positions);
    }

    /** The key of a position. */
    interface KeyOf {
        int of(int position);
    }

    /** Number of distinct keys. */
    int size() {
        return keys.length;
    }

    /** The b-th smallest key. */
    int key(int b) {
        return keys[b];
    }

    /** The index of {@code key} among the keys, or a negative number when absent. */
    int find(int key) {
        return Arrays.binarySearch(keys, key);
    }

    /** The positions with the b-th key, in their original order (a fresh array). */
    int[] positions(int b) {
        return Arrays.copyOfRange(positions, offsets[b], offsets[b + 1]);
    }

    /** How many positions have the b-th key. */
    int count(int b) {
        return offsets[b + 1] - offsets[b];
    }
}
