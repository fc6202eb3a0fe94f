package io.parabench.eplb;

import java.util.Arrays;

/**
 * Orders items by load, heaviest first, and by lower index among equal loads.
 *
 * <p>The reference sorts with {@code torch.sort(descending=True)}, which is not stable, so its
 * order among equal loads is undefined; lower index first is our documented choice (it is
 * what a stable sort gives, and it only decides which replica of one expert lands in which of
 * that expert's slots). Keys pack {@code (load, index)} into one {@code long} so that a
 * primitive sort does the work without boxing: loads are non-negative, so their IEEE bits
 * order like the values; {@code -0.0} is folded onto {@code 0.0}.
 */
final class DescendingOrder {
    private static final int INFINITY_BITS = 0x7F800000;

    private DescendingOrder() {
    }

    /**
     * Writes into {@code order[0..n)} the indices {@code 0..n-1} of {@code values[from..from+n)}
     * sorted by value descending, index ascending. {@code keys} is scratch of length ≥ n.
     */
    static void sort(float[] values, int from, int n, int[] order, long[] keys) {
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(values[from + i]) & 0x7FFFFFFF;
            keys[i] = ((long) (INFINITY_BITS - bits) << 32) | i;
        }
        Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
    }
}
