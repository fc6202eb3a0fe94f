package io.parabench.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rows-against-rows kernel of {@link SkinnyGemm} (forward layout, {@code Y = X·Wᵀ} with X of
 * two to two vectors of rows, and the transposed product with few columns) against the scalar
 * twin, bit for bit: every element one {@link Math#fma} chain in increasing k from 0 (or C). The
 * shapes put every m from 2 to 17 (one vector of 4, 8 or 16 lanes, a lane more, a lane less)
 * against n that leaves every remainder of the eight-row blocks, k from 1 up (no vector step,
 * a partial one) and 2048 (the benchmark's row), on one and two threads. The values expose a
 * reordered, padded or mis-laned sum: signed zeros (a chain that starts at +0 or adds
 * {@code w·0} turns −0 into +0), infinities and NaN in single rows of W and single columns of X
 * (a lane that took another lane's x, or a column of another row, would spread them: ∞·0 is NaN),
 * and magnitudes 2⁻²⁰…2²⁰ apart (any other order rounds differently). NaN compares as NaN
 * ({@link Float#floatToIntBits}), everything else by its bits. The build runs this class at 512,
 * 256 and 128 bits (core/pom.xml).
 */
class SkinnyRowsTest {
    private static final HostPool TWO = HostPool.of(2);
    private static final int[] COLUMNS = {1, 5, 8, 13, 16, 17, 24, 37};

    @AfterAll
    static void stopPool() {
        TWO.close();
    }

    static float wide(Random rnd) {
        return (float) Math.scalb(rnd.nextFloat() - 0.5f, rnd.nextInt(40) - 20);
    }

    static float[] wide(Random rnd, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = wide(rnd);
        }
        return v;
    }

    /**
     * W (n×k) with zero rows (+0 in row 1, −0 in row 2 where they exist, so a C of −0 survives
     * only in a chain that keeps it), ∞ and NaN in single rows at the first, a middle and the
     * last column.
     */
    static float[] specialWeights(Random rnd, int n, int k) {
        float[] w = wide(rnd, n * k);
        for (int p = 0; p < k && n > 2; p++) {
            w[k + p] = 0f;
            w[2 * k + p] = -0f;
        }
        if (n > 4) {
            w[3 * k] = Float.POSITIVE_INFINITY;
            w[4 * k + k / 2] = Float.NaN;
        }
        if (n > 9) {
            w[9 * k + k - 1] = Float.NEGATIVE_INFINITY;
        }
        return w;
    }

    /** X (m×k) with −0 at the first column of row 0, NaN at its last (k &gt; 1), and ∞ in the middle column of the last row. */
    static float[] specialInputs(Random rnd, int m, int k) {
        float[] x = wide(rnd, m * k);
        x[0] = -0f;
        if (k > 1) {
            x[k - 1] = Float.NaN;
        }
        x[(m - 1) * k + k / 2] = Float.POSITIVE_INFINITY;
        return x;
    }

    static float[] signedZeros(Random rnd, int length) {
        float[] c = new float[length];
        for (int i = 0; i < length; i++) {
            c[i] = i % 3 == 0 ? -0f : i % 3 == 1 ? 0f : wide(rnd);
        }
        return c;
    }

    static void assertBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                        what + ", element " + i + ": " + want[i] + " vs " + got[i]);
            }
        }
    }

    /**
     * Y = X·Wᵀ through SkinnyGemm and through the scalar twin, both ways of accumulating, on one
     * and two threads; false (nothing checked) where this width sends the shape to the blocked kernel.
     */
    private static boolean check(int m, int n, int k, float[] x, float[] w, float[] c0, String what) {
        if (!SkinnyGemm.handles(GemmLayout.FORWARD, m, n, VectorGemm.HOST)) {
            return false;
        }
        for (boolean accumulate : new boolean[]{false, true}) {
            float[] want = c0.clone();
            ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, GemmLayout.FORWARD, m, n, k, x, w, want, accumulate);
            for (HostPool pool : new HostPool[]{HostPool.SERIAL, TWO}) {
                float[] got = c0.clone();
                SkinnyGemm.gemm(pool, GemmLayout.FORWARD, m, n, k, x, w, got, accumulate, VectorGemm.HOST);
                assertBits(want, got, what + " " + m + "×" + n + "×" + k + (accumulate ? " +=" : "")
                        + " on " + pool.threads() + " threads");
            }
        }
        return true;
    }

    /** m = 2…17 against every column count, k = 1…70: no vector step, partial and whole ones, every remainder. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
    void shouldEqualTheScalarTwinForEveryRowCountWithSpecialValues(int m) {
        int checked = 0;
        for (int n : COLUMNS) {
            for (int k = 1; k <= 70; k++) {
                Random rnd = new Random(m * 1_000_003L + n * 1009L + k);
                if (check(m, n, k, specialInputs(rnd, m, k), specialWeights(rnd, n, k), signedZeros(rnd, m * n),
                        "special")) {
                    checked++;
                }
            }
        }
        assumeTrue(checked > 0, "no skinny shape with " + m + " rows at this width");
    }

    /** The benchmark's row length with the shapes around its m = 8, and a column count that is no multiple of 8 or 16. */
    @ParameterizedTest
    @ValueSource(ints = {2, 7, 8, 9, 16, 17})
    void shouldEqualTheScalarTwinOnTwoThousandFortyEightColumns(int m) {
        int k = 2048;
        int checked = 0;
        for (int n : new int[]{24, 37}) {
            Random rnd = new Random(m * 31L + n);
            if (check(m, n, k, specialInputs(rnd, m, k), specialWeights(rnd, n, k), signedZeros(rnd, m * n),
                    "k 2048")) {
                checked++;
            }
        }
        assumeTrue(checked > 0, "m = " + m + " is not skinny at this width");
    }

    /** Few columns beside many rows: the same kernel on the transposed product, writing Y transposed. */
    @Test
    void shouldEqualTheScalarTwinOnTheTransposedProduct() {
        int m = 40;
        int checked = 0;
        for (int n : new int[]{2, 3, 9, 17}) {
            for (int k : new int[]{1, 3, 17, 70}) {
                Random rnd = new Random(n * 1009L + k);
                if (check(m, n, k, specialInputs(rnd, m, k), specialWeights(rnd, n, k), signedZeros(rnd, m * n),
                        "transposed")) {
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "n = 2 and 3 are skinny at every width");
    }
}
