package io.parabench.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The product with a packed weight ({@link PackedGemm}, {@link PackedWeight}) against the scalar
 * twin's unpacked forward GEMM, bit for bit: every element one {@link Math#fma} chain in
 * increasing k from 0 (or from Y). Both group sizes (4 and 8 rows of X) run on every JVM; m
 * from 1 to 17 and 33 covers the one-row kernel, a padded last group and several groups; n
 * leaves every kind of last panel and stripe of three panels (one row, one short of a vector,
 * one vector, one over, one short of two, two, two and one row, a whole stripe, a stripe and
 * a panel and some rows, a stripe and two panels and a row);
 * k from 0 up past two chunks ({@link PackedGemm#CHUNK}), where several groups take turns. The
 * values are {@link SkinnyRowsTest}'s: signed zeros, ∞ and NaN in single rows and columns, and
 * magnitudes 2⁻²⁰…2²⁰ apart, so a reordered, padded or mis-laned sum shows. The build runs this
 * class at 512, 256 and 128 bits (core/pom.xml).
 */
class PackedGemmTest {
    private static final HostPool TWO = HostPool.of(2);
    private static final int W = PackedGemm.WIDTH;
    private static final int[] OUT_FEATURES = {1, 5, W - 1, W, W + 1, 2 * W - 1, 2 * W, 2 * W + 1, 3 * W, 4 * W + 7, 5 * W + 1};
    private static final int[] IN_FEATURES = {0, 1, 2, 17, 70, PackedGemm.CHUNK, 2 * PackedGemm.CHUNK + 3};

    @AfterAll
    static void stopPool() {
        TWO.close();
    }

    /** Y = X·Wᵀ by the scalar twin on W as stored, and by PackedGemm with both group sizes, both ways of accumulating, 1 and 2 threads. */
    private static void check(int m, int n, int k, float[] x, float[] w, float[] y0) {
        PackedWeight packed = PackedWeight.pack(n, k, w, W);
        for (boolean accumulate : new boolean[]{false, true}) {
            float[] want = y0.clone();
            ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, GemmLayout.FORWARD, m, n, k, x, w, want, accumulate);
            for (int rows : new int[]{4, 8}) {
                for (HostPool pool : new HostPool[]{HostPool.SERIAL, TWO}) {
                    float[] got = y0.clone();
                    PackedGemm.gemm(pool, m, x, packed, got, accumulate, rows);
                    SkinnyRowsTest.assertBits(want, got, m + "×" + n + "×" + k + (accumulate ? " +=" : "")
                            + ", groups of " + rows + ", " + pool.threads() + " threads");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 33})
    void shouldEqualTheScalarTwinOnEveryShapeWithSpecialValues(int m) {
        for (int n : OUT_FEATURES) {
            for (int k : IN_FEATURES) {
                Random rnd = new Random(m * 1_000_003L + n * 1009L + k);
                float[] x = k == 0 ? new float[0] : SkinnyRowsTest.specialInputs(rnd, m, k);
                float[] w = k == 0 ? new float[0] : SkinnyRowsTest.specialWeights(rnd, n, k);
                check(m, n, k, x, w, SkinnyRowsTest.signedZeros(rnd, m * n));
            }
        }
    }

    /** The decode shapes of {@code GemmBenchmark.skinnyPacked}, k = 2048, against a column count no multiple of a panel. */
    @ParameterizedTest
    @ValueSource(ints = {1, 8})
    void shouldEqualTheScalarTwinOnTwoThousandFortyEightColumns(int m) {
        int n = 2 * W + 5;
        int k = 2048;
        Random rnd = new Random(m * 31L);
        check(m, n, k, SkinnyRowsTest.specialInputs(rnd, m, k), SkinnyRowsTest.specialWeights(rnd, n, k),
                SkinnyRowsTest.signedZeros(rnd, m * n));
    }

    /**
     * Two to four rows of X go in one group of four, not a padded group of eight; five to eight in
     * one group of eight where the rows go in the lanes (AVX2); more rows in groups of ROWS.
     */
    @Test
    void shouldGroupUpToFourRowsByFour() {
        for (int m = 1; m <= 4; m++) {
            assertEquals(4, PackedGemm.rowsFor(m), "m = " + m);
        }
        for (int m : new int[]{5, 8}) {
            assertEquals(PackedGemm.ROWS_IN_LANES ? 8 : PackedGemm.ROWS, PackedGemm.rowsFor(m), "m = " + m);
        }
        for (int m : new int[]{9, 33}) {
            assertEquals(PackedGemm.ROWS, PackedGemm.rowsFor(m), "m = " + m);
        }
    }

    /** The layout itself: every element where the class comment puts it, padding rows zero. */
    @Test
    void shouldLayOutPanelsColumnByColumn() {
        int n = W + 3;
        int k = 5;
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1;
        }
        PackedWeight packed = PackedWeight.pack(n, k, w, W);
        assertEquals(2 * W * k, packed.panels().length);
        for (int j = 0; j < 2 * W; j++) {
            for (int p = 0; p < k; p++) {
                float want = j < n ? w[j * k + p] : 0f;
                assertEquals(want, packed.panels()[j / W * W * k + p * W + j % W], "element (" + j + ", " + p + ")");
                if (j < n) {
                    assertEquals(want, packed.at(j, p));
                }
            }
        }
    }

    /** Either twin's packing serves either twin's product with the same bits (the vector twin falls back on a foreign width). */
    @Test
    void shouldGiveTheSameBitsWhicheverTwinPacked() {
        Kernels vector = KernelProvider.get();
        int m = 3;
        int n = 2 * W + 1;
        int k = 70;
        Random rnd = new Random(7);
        float[] x = SkinnyRowsTest.specialInputs(rnd, m, k);
        float[] w = SkinnyRowsTest.specialWeights(rnd, n, k);
        float[] want = new float[m * n];
        ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, GemmLayout.FORWARD, m, n, k, x, w, want, false);
        for (Kernels packer : new Kernels[]{ScalarKernels.INSTANCE, vector}) {
            PackedWeight packed = packer.packWeight(n, k, w);
            for (Kernels product : new Kernels[]{ScalarKernels.INSTANCE, vector}) {
                float[] got = new float[m * n];
                product.gemm(TWO, m, x, packed, got, false);
                SkinnyRowsTest.assertBits(want, got, packer.name() + " packed, " + product.name() + " multiplied");
            }
        }
    }

    @Test
    void shouldNameTheParameterAndRuleOfBadArguments() {
        Kernels kernels = KernelProvider.get();
        IllegalArgumentException shortW = assertThrows(IllegalArgumentException.class,
                () -> kernels.packWeight(4, 3, new float[11]));
        assertEquals("packWeight W length (11) must be >= 12", shortW.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> kernels.packWeight(-1, 3, new float[0]));
        assertEquals("packWeight n (-1) must be >= 0", negative.getMessage());
        PackedWeight packed = kernels.packWeight(4, 3, new float[12]);
        IllegalArgumentException shortX = assertThrows(IllegalArgumentException.class,
                () -> kernels.gemm(HostPool.SERIAL, 2, new float[5], packed, new float[8], false));
        assertEquals("gemm X length (5) must be >= 6", shortX.getMessage());
        IllegalArgumentException shortY = assertThrows(IllegalArgumentException.class,
                () -> ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, 2, new float[6], packed, new float[7], false));
        assertEquals("gemm Y length (7) must be >= 8", shortY.getMessage());
        IllegalArgumentException noWeight = assertThrows(IllegalArgumentException.class,
                () -> kernels.gemm(HostPool.SERIAL, 2, new float[6], null, new float[8], false));
        assertEquals("gemm pool and packed weight must not be null", noWeight.getMessage());
    }
}
