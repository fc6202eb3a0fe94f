package io.parabench.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transposed decode kernel against one scalar {@link Math#fma} chain per row, bit for bit,
 * with values that expose a reordered, padded or mis-laned sum: signed zeros (a chain that starts
 * at +0 or adds {@code w·0} turns −0 into +0), infinities and NaN in single rows and in X (a lane
 * that took another lane's x, or a column outside its row, would spread them: {@code ∞·0} is NaN),
 * and magnitudes far apart (any other order rounds differently). The special values sit where the
 * skew makes them awkward: in the even rows' scalar start, in the odd rows' first and last vector
 * steps, and in both rows' scalar ends. NaN compares as NaN (payloads are not Java-visible
 * arithmetic); everything else by its bits. Runs only where the kernel serves (16-lane vectors);
 * GemmTest covers the shapes at every width.
 */
class TransposedGemvTest {

    private static float[] expected(int n, int k, float[] x, float[] w, float[] c0, boolean accumulate) {
        float[] c = c0.clone();
        for (int j = 0; j < n; j++) {
            float sum = accumulate ? c[j] : 0f;
            for (int p = 0; p < k; p++) {
                sum = Math.fma(x[p], w[j * k + p], sum);
            }
            c[j] = sum;
        }
        return c;
    }

    private static float wide(Random rnd) {
        return (float) Math.scalb(rnd.nextFloat() - 0.5f, rnd.nextInt(40) - 20);
    }

    /** k = 40: one vector step and no scalar end; 41, 47: scalar ends of 1 and 7; 77, 300: several steps and ends. */
    @ParameterizedTest
    @ValueSource(ints = {40, 41, 47, 77, 300})
    void shouldEqualOneFmaChainPerRowWithSignedZerosAndNonFiniteValues(int k) {
        assumeTrue(TransposedGemv.applies(k), "16-lane vectors only");
        int n = 32;
        int skew = TransposedGemv.SKEW;
        Random rnd = new Random(14 + k);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = wide(rnd);
        }
        for (int p = 0; p < k; p++) {
            w[3 * k + p] = 0f;          // rows 3 and 4: all zero weights, so −0 survives only where the chain keeps it
            w[4 * k + p] = -0f;
        }
        w[5 * k + skew - 1] = Float.POSITIVE_INFINITY;   // odd row, last column of its first vector steps' reach
        w[6 * k + 11] = Float.NaN;                        // even row, its scalar start
        w[7 * k] = Float.NEGATIVE_INFINITY;               // odd row, first vector column
        w[8 * k + k - 1] = Float.POSITIVE_INFINITY;       // even row, last column (scalar end or last step)
        w[9 * k + k - 1] = Float.NaN;                     // odd row, last column
        w[20 * k + skew] = Float.NEGATIVE_INFINITY;       // even row, first vector column
        float[] c0 = new float[n];
        for (int j = 0; j < n; j++) {
            c0[j] = j % 2 == 0 ? -0f : rnd.nextFloat();
        }
        float[] plainX = new float[k];
        for (int p = 0; p < k; p++) {
            plainX[p] = wide(rnd);
        }
        float[] specialX = plainX.clone();
        specialX[0] = -0f;
        specialX[skew + 3] = Float.POSITIVE_INFINITY;     // ∞ times row 3's and 4's zeros: NaN in those rows only
        specialX[k - 2] = -0f;
        for (float[] x : new float[][]{plainX, specialX}) {
            for (boolean accumulate : new boolean[]{false, true}) {
                float[] want = expected(n, k, x, w, c0, accumulate);
                float[] got = c0.clone();
                long[] pairs = TransposedGemv.pairs(k, x);
                float[] lanes = new float[TransposedGemv.ROWS];
                for (int j0 = 0; j0 < n; j0 += TransposedGemv.ROWS) {
                    TransposedGemv.sixteenRows(k, x, pairs, w, j0, got, 1, accumulate, lanes);
                }
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToIntBits(want[j]), Float.floatToIntBits(got[j]),
                            "k " + k + (x == specialX ? " special x" : "") + ", row " + j + (accumulate ? " +=" : "")
                                    + ": " + want[j] + " vs " + got[j]);
                }
            }
        }
    }
}
