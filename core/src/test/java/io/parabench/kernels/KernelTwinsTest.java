package io.parabench.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the Vector API twin against the scalar twin on awkward lengths: below one vector, one
 * off a multiple of the vector width, primes, and long enough for the vector body to dominate.
 * Exact kernels must agree bit for bit; the others within the bound stated on {@link Kernels}.
 */
class KernelTwinsTest {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    private static final Kernels VECTOR = new VectorKernels();

    private static float[] random(Random rnd, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return x;
    }

    @Test
    void shouldPickTheVectorTwinWhenTheModuleIsAdded() {
        assertTrue(KernelProvider.isVectorized(), "tests run with --add-modules jdk.incubator.vector");
        assertTrue(KernelProvider.get().name().startsWith("vector"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 7, 13, 15, 16, 17, 31, 33, 127, 1000, 4099})
    void shouldMatchExactlyForElementwiseKernels(int n) {
        Random rnd = new Random(n);
        float[] a = random(rnd, n, -3, 3);
        float[] b = random(rnd, n, -3, 3);
        float[] c = random(rnd, n, -3, 3);
        float[] s = new float[n];
        float[] v = new float[n];
        SCALAR.add(a, b, s, n);
        VECTOR.add(a, b, v, n);
        assertArrayEquals(s, v, "add");
        SCALAR.scale(a, 0.37f, s, n);
        VECTOR.scale(a, 0.37f, v, n);
        assertArrayEquals(s, v, "scale");
        SCALAR.fma(a, b, c, s, n);
        VECTOR.fma(a, b, c, v, n);
        assertArrayEquals(s, v, "fma");
        if (n > 0) {
            SCALAR.mseGrad(a, b, s, n);
            VECTOR.mseGrad(a, b, v, n);
            assertArrayEquals(s, v, "mseGrad");
        }
        SCALAR.roundTripBf16(a, s, n);
        VECTOR.roundTripBf16(a, v, n);
        assertArrayEquals(s, v, "bf16");
    }

    /**
     * GELU bound: 4 ulp of the result, plus 2⁻²²·max(1, |x|) absolute where {@code 1 + tanh} or
     * {@code 1 + erf} cancels (large negative x); the twins differ only in how exp and tanh round.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 17, 29, 255, 1031})
    void shouldMatchGeluWithinBound(int n) {
        Random rnd = new Random(31L * n);
        float[] x = random(rnd, n, -8, 8);
        x[0] = 0f;
        float[] dy = random(rnd, n, -2, 2);
        float[] s = new float[n];
        float[] v = new float[n];
        SCALAR.geluTanh(x, s, n);
        VECTOR.geluTanh(x, v, n);
        assertGelu(x, s, v, "geluTanh");
        SCALAR.geluErf(x, s, n);
        VECTOR.geluErf(x, v, n);
        assertGelu(x, s, v, "geluErf");
        SCALAR.geluTanhBackward(x, dy, s, n);
        VECTOR.geluTanhBackward(x, dy, v, n);
        assertGelu(x, s, v, "geluTanhBackward");
        SCALAR.geluErfBackward(x, dy, s, n);
        VECTOR.geluErfBackward(x, dy, v, n);
        assertGelu(x, s, v, "geluErfBackward");
    }

    private static void assertGelu(float[] x, float[] s, float[] v, String what) {
        for (int i = 0; i < s.length; i++) {
            float bound = 4 * Math.ulp(s[i]) + 0x1p-22f * Math.max(1f, Math.abs(x[i]));
            assertTrue(Math.abs(s[i] - v[i]) <= bound,
                    what + "(" + x[i] + "): scalar " + s[i] + " vector " + v[i] + " bound " + bound);
        }
    }

    @Test
    void shouldComputeGeluCloseToKnownValues() {
        // Reference values of GELU(x) = x·Φ(x) from the normal CDF (Φ(1) = 0.8413447460685429).
        float[] x = {1f, -1f, 2f, 0f};
        float[] out = new float[4];
        SCALAR.geluErf(x, out, 4);
        assertEquals(0.8413447f, out[0], 3e-7f);
        assertEquals(-0.1586553f, out[1], 3e-7f);
        assertEquals(1.9544997f, out[2], 3e-7f);
        assertEquals(0f, out[3], 0f);
        // tanh form at 1: 0.5·(1 + tanh(0.7978845608·1.044715)) = 0.8411919906082768.
        SCALAR.geluTanh(x, out, 1);
        assertEquals(0.84119199f, out[0], 2e-7f);
        // d/dx GELU at 0 is Φ(0) = 0.5 in both forms.
        float[] dx = new float[1];
        SCALAR.geluErfBackward(new float[]{0f}, new float[]{1f}, dx, 1);
        assertEquals(0.5f, dx[0], 1e-7f);
        SCALAR.geluTanhBackward(new float[]{0f}, new float[]{1f}, dx, 1);
        assertEquals(0.5f, dx[0], 0f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 15, 16, 17, 63, 257})
    void shouldMatchRowReductionsAndSoftmax(int cols) {
        int rows = 3;
        Random rnd = new Random(cols);
        float[] x = random(rnd, rows * cols, -5, 5);
        float[] s = new float[rows * cols];
        float[] v = new float[rows * cols];
        SCALAR.rowMax(x, rows, cols, s);
        VECTOR.rowMax(x, rows, cols, v);
        assertArrayEquals(java.util.Arrays.copyOf(s, rows), java.util.Arrays.copyOf(v, rows), "rowMax is exact");
        SCALAR.rowSum(x, rows, cols, s);
        VECTOR.rowSum(x, rows, cols, v);
        for (int r = 0; r < rows; r++) {
            float absSum = 0;
            for (int j = 0; j < cols; j++) {
                absSum += Math.abs(x[r * cols + j]);
            }
            float bound = cols * Math.ulp(absSum);
            assertTrue(Math.abs(s[r] - v[r]) <= bound, "rowSum row " + r + ": " + s[r] + " vs " + v[r]);
        }
        SCALAR.softmax(x, rows, cols, s);
        VECTOR.softmax(x, rows, cols, v);
        for (int i = 0; i < rows * cols; i++) {
            float bound = (4 + cols) * Math.ulp(s[i]);
            assertTrue(Math.abs(s[i] - v[i]) <= bound, "softmax[" + i + "]: " + s[i] + " vs " + v[i]);
        }
        float[] shifted = java.util.Arrays.copyOfRange(x, 1, x.length + 1);
        float loss = SCALAR.mseLoss(x, shifted, x.length);
        float vloss = VECTOR.mseLoss(x, shifted, x.length);
        assertTrue(Math.abs(loss - vloss) <= x.length * Math.ulp(loss), "mse " + loss + " vs " + vloss);
    }

    @Test
    void shouldComputeSoftmaxAndMseByHand() {
        float[] out = new float[2];
        SCALAR.softmax(new float[]{0f, 0f}, 1, 2, out);
        assertArrayEquals(new float[]{0.5f, 0.5f}, out);
        // (1 - 0)² + (3 - 1)² = 5, over 2 elements.
        assertEquals(2.5f, VECTOR.mseLoss(new float[]{1, 3}, new float[]{0, 1}, 2));
        float[] g = new float[2];
        VECTOR.mseGrad(new float[]{1, 3}, new float[]{0, 1}, g, 2);
        assertArrayEquals(new float[]{1f, 2f}, g);
    }

    /**
     * Ties (few distinct values), signed zeros, a row of -∞, a row of negative scores (the vector
     * twin's bound takes group maxima on raw float bits) and Gaussian scores; k below, at and
     * above the lane count (4, 8, 16), up to the whole row; rows too short for the vector path;
     * rows of more than 16 vectors (several hit blocks) with a tail.
     */
    @ParameterizedTest
    @CsvSource({"1,1", "2,2", "8,8", "17,8", "64,8", "257,8", "256,1", "256,2", "256,6", "256,8", "256,9", "256,17",
            "256,33", "100,100", "40,5", "31,4", "515,64", "1031,8", "1000,32"})
    void shouldMatchTopKExactlyWithTiesToTheLowerColumn(int cols, int k) {
        int rows = 6;
        Random rnd = new Random(cols * 31L + k);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            int row = i / cols;
            x[i] = row < 2 ? rnd.nextInt(5) // few distinct values: many ties
                    : row == 2 ? (rnd.nextBoolean() ? 0f : -0f)
                    : row == 3 ? Float.NEGATIVE_INFINITY
                    : row == 4 ? (float) -Math.abs(rnd.nextGaussian())
                    : (float) rnd.nextGaussian();
        }
        x[0] = Float.NEGATIVE_INFINITY;
        assertTopKTwinsAgree(x, rows, cols, k);
    }

    /**
     * Many rows of different kinds selected side by side (groups of 2, 4 or 8 rows by width, the
     * last group partial), so rows with few candidates are padded beside rows with many: the top
     * scores all in one lane (columns 16 apart, which the rank bound must still admit), ties,
     * signed zeros, negative and Gaussian scores; k from 1 up to the side-by-side limit and past it.
     */
    @ParameterizedTest
    @CsvSource({"256,8", "256,1", "256,3", "256,9", "264,8", "40,8", "17,5"})
    void shouldMatchTopKExactlyOnManyRowsOfMixedKinds(int cols, int k) {
        int rows = 37;
        Random rnd = new Random(cols * 17L + k);
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float g = (float) rnd.nextGaussian();
                x[r * cols + j] = switch (r % 6) {
                    case 0 -> j % 16 == 3 ? 10f + j : g;
                    case 1 -> rnd.nextInt(3);
                    case 2 -> rnd.nextBoolean() ? 0f : -0f;
                    case 3 -> -Math.abs(g);
                    case 4 -> j % 2 == 0 ? g : -g;
                    default -> g;
                };
            }
        }
        assertTopKTwinsAgree(x, rows, cols, k);
    }

    /**
     * Rows whose floor admits many or all scores, so hit words hold more candidates than the
     * unrolled steps take: all tied, all +∞, −∞ but for one score (the halved-key floor must not
     * drop below −∞'s key into NaN bits), signed zeros of one magnitude, the top scores packed
     * into the first 64 columns, and Gaussian; k from 1 to the whole row, rows from one vector
     * (or shorter, the scalar path) up to past the side-by-side limit, with and without a tail.
     */
    @ParameterizedTest
    @CsvSource({"8,1", "8,8", "16,1", "16,8", "16,16", "64,8", "250,3", "256,8", "1000,8", "1024,8", "1024,1",
            "1025,8", "2048,9", "48,32"})
    void shouldMatchTopKExactlyWhenTheFloorAdmitsWholeRows(int cols, int k) {
        int rows = 11;
        Random rnd = new Random(cols * 7L + k);
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float g = (float) rnd.nextGaussian();
                x[r * cols + j] = switch (r % 6) {
                    case 0 -> 1.5f;
                    case 1 -> Float.POSITIVE_INFINITY;
                    case 2 -> j == cols / 2 ? -7f : Float.NEGATIVE_INFINITY;
                    case 3 -> j % 3 == 0 ? -0f : 0f;
                    case 4 -> j < 64 ? 100f + rnd.nextInt(4) : g;
                    default -> g;
                };
            }
        }
        assertTopKTwinsAgree(x, rows, cols, k);
    }

    /**
     * Signed zeros among one row's picks while the other rows of its group pick negative scores:
     * the 512- and 256-bit paths write a group's values from the picks' keys, which rank {@code x + 0f},
     * so a −0 pick must still come back −0 (and a zero beside a negative lane must not hide).
     */
    @ParameterizedTest
    @CsvSource({"8,0", "8,5", "16,7", "24,3", "9,1", "8,8"})
    void shouldMatchTopKExactlyWithSignedZeroPicksBesideNegativeRows(int rows, int zeroRow) {
        int cols = 256;
        Random rnd = new Random(rows * 100L + zeroRow);
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float negative = -1 - (float) Math.abs(rnd.nextGaussian());
                x[r * cols + j] = r % 8 != zeroRow ? negative : j % 37 == 5 ? -0f : j % 41 == 7 ? 0f : negative;
            }
        }
        assertTopKTwinsAgree(x, rows, cols, 8);
    }

    /**
     * Random mixes of extreme scores: infinities (the candidates' subtraction against a floor of
     * ±∞), signed zeros (a floor of +0), the largest and smallest magnitudes; rows of one vector
     * up to past the side-by-side limit, k from 1 to 9.
     */
    @ParameterizedTest
    @ValueSource(ints = {256, 16, 48, 264, 100, 1024, 1040})
    void shouldMatchTopKExactlyOnExtremeScores(int cols) {
        float[] extremes = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, 0f, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f};
        Random rnd = new Random(cols);
        for (int round = 0; round < 60; round++) {
            int rows = 1 + rnd.nextInt(20);
            int k = 1 + rnd.nextInt(Math.min(cols, 9));
            int kinds = 1 + rnd.nextInt(extremes.length);
            int first = rnd.nextInt(extremes.length);
            float[] x = new float[rows * cols];
            for (int i = 0; i < x.length; i++) {
                x[i] = extremes[(first + rnd.nextInt(kinds)) % extremes.length];
            }
            assertTopKTwinsAgree(x, rows, cols, k);
        }
    }

    @Test
    void shouldRejectNaNInTheRowTailBeforeWriting() {
        float[] x = new float[4 * 257];
        x[3 * 257 + 256] = Float.NaN;
        int[] idx = new int[4 * 8];
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VECTOR.topK(x, 4, 257, 8, idx, new float[4 * 8]));
        assertEquals("topK x[3][256] is NaN; scores must be numbers", e.getMessage());
        assertArrayEquals(new int[4 * 8], idx, "nothing written");
    }

    @Test
    void shouldRejectNaNScoresBeforeWriting() {
        float[] x = new float[3 * 256];
        x[2 * 256 + 77] = Float.NaN;
        for (Kernels kernels : new Kernels[]{SCALAR, VECTOR}) {
            int[] idx = new int[3 * 8];
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> kernels.topK(x, 3, 256, 8, idx, new float[3 * 8]));
            assertEquals("topK x[2][77] is NaN; scores must be numbers", e.getMessage(), kernels.name());
            assertArrayEquals(new int[3 * 8], idx, "nothing written");
        }
    }

    @Test
    void shouldPickTopKByHand() {
        float[] x = {1, 5, 3, 5, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int[] idx = new int[6];
        float[] val = new float[6];
        for (Kernels kernels : new Kernels[]{SCALAR, VECTOR}) {
            kernels.topK(x, 1, 6, 6, idx, val);
            assertArrayEquals(new int[]{1, 3, 2, 0, 4, 5}, idx, kernels.name());
            assertArrayEquals(new float[]{5, 5, 3, 1, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, val);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 32, 64, 127, 128, 129, 256, 300})
    void shouldMatchFp8CastExactly(int cols) {
        int rows = 3;
        Random rnd = new Random(cols);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 4)); // wide range: subnormal codes too
        }
        if (cols > 5) {
            x[3] = 0f;
            x[4] = -0f;
        }
        if (cols >= 256) {
            // a NaN turns its group's multiplier into NaN, an infinity turns it into 0 (and itself into NaN)
            x[130] = Float.NaN;
            x[cols + 7] = Float.POSITIVE_INFINITY;
            x[2 * cols + 140] = Float.NEGATIVE_INFINITY;
        }
        int groups = (cols + 127) / 128;
        byte[] sc = new byte[x.length];
        byte[] vc = new byte[x.length];
        float[] ss = new float[rows * groups];
        float[] vs = new float[rows * groups];
        SCALAR.castFp8E4m3(x, rows, cols, sc, ss);
        VECTOR.castFp8E4m3(x, rows, cols, vc, vs);
        assertArrayEquals(sc, vc, "codes");
        assertArrayEquals(ss, vs, "scales");
        float[] sb = new float[x.length];
        float[] vb = new float[x.length];
        SCALAR.castBackFp8E4m3(sc, ss, rows, cols, sb);
        VECTOR.castBackFp8E4m3(vc, vs, rows, cols, vb);
        assertArrayEquals(sb, vb, "cast back");
        // e4m3 has 3 mantissa bits: a normal value comes back within 1/16 relative, anything
        // within half the smallest subnormal step (2^-10 of the group's scale unit).
        for (int i = 0; i < x.length; i++) {
            float scale = ss[(i / cols) * groups + (i % cols) / 128];
            if (!Float.isFinite(scale)) {
                continue; // the NaN and infinity groups: compared bit for bit above
            }
            assertTrue(Math.abs(sb[i] - x[i]) <= Math.abs(x[i]) / 16 + 0x1p-10f * scale,
                    "x " + x[i] + " back " + sb[i]);
        }
    }

    @Test
    void shouldNameTheShortArrayAndTheRule() {
        for (Kernels kernels : new Kernels[]{SCALAR, VECTOR}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> kernels.add(new float[5], new float[3], new float[5], 5));
            assertEquals("add b length (3) must be >= n (5)", e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> kernels.topK(new float[6], 2, 3, 4, new int[8], new float[8]));
            assertEquals("topK k (4) must be in 0..3 (the row length)", e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> kernels.castFp8E4m3(new float[300], 1, 300, new byte[300], new float[2]));
            assertEquals("castFp8E4m3 scales length (2) must be >= 3", e.getMessage());
        }
    }

    /** The vector twin's top-k indices and values equal the scalar twin's, element for element. */
    private static void assertTopKTwinsAgree(float[] x, int rows, int cols, int k) {
        int[] si = new int[rows * k];
        int[] vi = new int[rows * k];
        float[] sv = new float[rows * k];
        float[] vv = new float[rows * k];
        SCALAR.topK(x, rows, cols, k, si, sv);
        VECTOR.topK(x, rows, cols, k, vi, vv);
        assertArrayEquals(si, vi);
        assertArrayEquals(sv, vv);
    }
}
