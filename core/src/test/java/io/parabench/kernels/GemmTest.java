package io.parabench.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked GEMM against the scalar twin, bit for bit, in all three layouts, on shapes that hit
 * every edge: 1×1×1, primes, tails of the 8-row (and 6-row) and 2-vector micro-tile, more than one reduction
 * block (k > 256) and more than one column block (n > 512). Sizes stay small: correctness, not speed.
 */
class GemmTest {
    private static final HostPool TWO = HostPool.of(2);
    private static final Kernels VECTOR = new VectorKernels();

    @AfterAll
    static void stopPool() {
        TWO.close();
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "1,37,5", "13,1,7", "8,32,16", "9,31,5", "14,32,16", "15,33,17", "29,31,3", "31,530,270", "43,64,600", "3,5,0"})
    void shouldMatchScalarTwinBitForBitInEveryLayout(int m, int n, int k) {
        Random rnd = new Random(m * 1_000_003L + n * 1009L + k);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c0 = random(rnd, m * n);
        for (GemmLayout layout : GemmLayout.values()) {
            for (boolean accumulate : new boolean[]{false, true}) {
                float[] expected = c0.clone();
                ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, layout, m, n, k, a, b, expected, accumulate);
                float[] serial = c0.clone();
                VECTOR.gemm(HostPool.SERIAL, layout, m, n, k, a, b, serial, accumulate);
                float[] parallel = c0.clone();
                VECTOR.gemm(TWO, layout, m, n, k, a, b, parallel, accumulate);
                float[] narrow = c0.clone();
                VectorGemm.gemm(TWO, layout, m, n, k, a, b, narrow, accumulate, VectorGemm.NARROW_ROWS);
                String what = layout + " " + m + "×" + n + "×" + k + (accumulate ? " +=" : "");
                assertArrayEquals(expected, serial, what);
                assertArrayEquals(expected, parallel, what + " on 2 threads");
                assertArrayEquals(expected, narrow, what + " with the narrow-vector tile");
            }
        }
    }

    @Test
    void shouldComputeTheThreeLinearLayerProductsByHand() {
        // X (2 tokens × 3 in), W (2 out × 3 in).
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] w = {1, 0, -1, 2, 1, 0};
        float[] y = new float[4];
        VECTOR.gemm(HostPool.SERIAL, GemmLayout.FORWARD, 2, 2, 3, x, w, y, false);
        assertArrayEquals(new float[]{-2, 4, -2, 13}, y, "Y = X·Wᵀ");
        float[] dy = {1, 1, 0, 2}; // tokens × out
        float[] dx = new float[6];
        VECTOR.gemm(HostPool.SERIAL, GemmLayout.BACKWARD_INPUT, 2, 3, 2, dy, w, dx, false);
        assertArrayEquals(new float[]{3, 1, -1, 4, 2, 0}, dx, "dX = dY·W");
        float[] dw = new float[6];
        VECTOR.gemm(HostPool.SERIAL, GemmLayout.BACKWARD_WEIGHT, 2, 3, 2, dy, x, dw, false);
        assertArrayEquals(new float[]{1, 2, 3, 9, 12, 15}, dw, "dW = dYᵀ·X");
    }

    @Test
    void shouldRejectShortArraysBeforeWriting() {
        float[] c = {7, 7, 7, 7};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VECTOR.gemm(HostPool.SERIAL, GemmLayout.FORWARD, 2, 2, 3, new float[5], new float[6], c, false));
        assertEquals("gemm A length (5) must be >= 6", e.getMessage());
        assertArrayEquals(new float[]{7, 7, 7, 7}, c);
        e = assertThrows(IllegalArgumentException.class,
                () -> VECTOR.gemm(HostPool.SERIAL, GemmLayout.FORWARD, -1, 2, 3, new float[5], new float[6], c, false));
        assertTrue(e.getMessage().contains("gemm m (-1) must be >= 0"));
    }

    @Test
    void shouldRejectBadThreadCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPool.of(0));
        assertEquals("host threads (0) must be in 1..256", e.getMessage());
    }
}
