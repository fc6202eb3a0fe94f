package io.parabench.analysis.metrics;

/**
 * A stable sort of positions by a {@code long} key (start times, correlation ids): the
 * permutation that orders the keys ascending, ties in their original order. Bottom-up merge
 * sort on primitives: O(n log n), two {@code int[n]} and no boxing — times are unbounded
 * {@code long}s, so they cannot be packed with their position into one sortable word as
 * {@link Buckets} does with {@code int} keys.
 */
final class StartOrder {
    private StartOrder() {
    }

    /** Positions {@code 0..keys.length-1} ordered by {@code keys}, stable. */
    static int[] sort(long[] keys) {
        int n = keys.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        if (isSorted(keys)) {
            return a;
        }
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    b[k++] = keys[a[j]] < keys[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    private static boolean isSorted(long[] keys) {
        for (int i = 1; i < keys.length; i++) {
            if (keys[i] < keys[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
