package io.parabench.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked and skinny GEMMs against the scalar twin, bit for bit, in all three layouts, with
 * every micro-tile on 1, 2 and 3 threads, on shapes that hit every edge. Sizes stay small:
 * correctness, not speed. The build runs this class again with the JVM limited to 256- and
 * 128-bit vectors (core/pom.xml), so every width the host can run is checked.
 */
class GemmTest {
    private static final HostPool TWO = HostPool.of(2);
    private static final HostPool THREE = HostPool.of(3);
    private static final Kernels VECTOR = new VectorKernels();

    @AfterAll
    static void stopPool() {
        TWO.close();
        THREE.close();
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    /**
     * Every micro-tile this width has with both reduction blocks, the process's own first, and
     * a reduction block of 37 (odd, far below A's packing stride) for each tile.
     */
    private static List<GemmTiling> tilings() {
        List<GemmTiling> all = new ArrayList<>();
        all.add(VectorGemm.HOST);
        for (int[] shape : GemmTiling.SHAPES) {
            for (int kc : new int[]{GemmTiling.KC, GemmTiling.KC_LARGE_L2}) {
                GemmTiling t = new GemmTiling(shape[0], shape[1], VectorGemm.HOST.lanes(), kc, GemmTiling.NC);
                if (!t.equals(VectorGemm.HOST)) {
                    all.add(t);
                }
            }
        }
        for (int[] shape : GemmTiling.SHAPES) {
            all.add(new GemmTiling(shape[0], shape[1], VectorGemm.HOST.lanes(), 37, GemmTiling.NC));
        }
        return all;
    }

    /**
     * Shapes: 1×1×1, primes, tails of every micro-tile (6 rows; 2 or 4 vectors of 4, 8 or
     * 16 lanes), more than one reduction block (k &gt; 256) and column block (n &gt; 512), and the
     * skinny cases: one row, one row less/more than one and two vectors of lanes (V = 4, 8, 16),
     * one and a few columns (one row of X, and one column beside more rows than two vectors hold,
     * take the one-row kernels: at 16 lanes and k &ge; 40 sixteen rows of W transposed in
     * registers, then eight-row scalar chains and a tail; otherwise the chains alone). For the
     * transposed kernel: 1×16×40 is one block and one vector step with no scalar end, k = 47 and
     * 100 leave scalar ends, n = 35 and 130 leave chains and a tail (130 also splits blocks
     * between two and three threads), k = 39 is too short, 40×1×45 is the transposed product.
     * For the weight gradient's A, transposed 96 rows at a time, four steps at once: 200×70×21
     * (blocks of 96, 96 and 8 rows, a step left over) and 101×33×530 (96 + 5 rows, two
     * reduction blocks).
     */
    @ParameterizedTest
    @CsvSource({"1,1,1", "1,37,5", "13,1,7", "8,32,16", "9,31,5", "14,32,16", "15,33,17", "29,31,3", "31,530,270",
            "43,64,600", "3,5,0", "1,300,40", "3,29,9", "5,17,300", "7,70,33", "9,40,20", "17,45,13", "33,41,7",
            "37,2,50", "70,9,11", "66,33,5", "25,35,260", "1,19,600", "70,1,19",
            "1,16,40", "1,64,47", "1,35,100", "1,47,39", "1,130,300", "40,1,45", "200,70,21", "101,33,530"})
    void shouldMatchScalarTwinBitForBitInEveryLayout(int m, int n, int k) {
        Random rnd = new Random(m * 1_000_003L + n * 1009L + k);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c0 = random(rnd, m * n);
        for (GemmLayout layout : GemmLayout.values()) {
            for (boolean accumulate : new boolean[]{false, true}) {
                float[] expected = c0.clone();
                ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, layout, m, n, k, a, b, expected, accumulate);
                String what = layout + " " + m + "×" + n + "×" + k + (accumulate ? " +=" : "");
                float[] serial = c0.clone();
                VECTOR.gemm(HostPool.SERIAL, layout, m, n, k, a, b, serial, accumulate);
                assertArrayEquals(expected, serial, what);
                for (GemmTiling t : tilings()) {
                    for (HostPool pool : new HostPool[]{HostPool.SERIAL, TWO, THREE}) {
                        float[] c = c0.clone();
                        VectorGemm.gemm(pool, layout, m, n, k, a, b, c, accumulate, t);
                        assertArrayEquals(expected, c, what + " tile " + t + " on " + pool.threads() + " threads");
                    }
                }
            }
        }
    }

    /**
     * A GEMM called from a task of its own pool finds the pool busy, so its tasks run one after
     * another on that thread: the first takes its own row panels, then every other task's from
     * the back (downward, so the weight gradient transposes the rows ending at each such panel),
     * block after block; the later tasks find nothing left. Deterministic, unlike the stealing
     * between racing threads, and the same bits.
     */
    @Test
    void shouldMatchScalarTwinWhenOneThreadTakesEveryTasksPanels() {
        int m = 200;
        int n = 70;
        int k = 530;
        Random rnd = new Random(5);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        for (GemmLayout layout : GemmLayout.values()) {
            float[] expected = new float[m * n];
            ScalarKernels.INSTANCE.gemm(HostPool.SERIAL, layout, m, n, k, a, b, expected, false);
            float[][] c = new float[2][m * n];
            THREE.parallelFor(2, task -> VectorGemm.gemm(THREE, layout, m, n, k, a, b, c[task], false));
            assertArrayEquals(expected, c[0], layout + " from task 0");
            assertArrayEquals(expected, c[1], layout + " from task 1");
        }
    }

    @Test
    void shouldTileByVectorWidthAndRegisterFile() {
        long oneMiB = 1L << 20;
        assertEquals(new GemmTiling(6, 2, 8, 256, 512), GemmTiling.choose(8, 16, oneMiB), "AVX2");
        assertEquals(new GemmTiling(6, 4, 8, 256, 512), GemmTiling.choose(8, 32, oneMiB), "256-bit with AVX-512 registers");
        assertEquals(new GemmTiling(6, 4, 16, 256, 512), GemmTiling.choose(16, 32, oneMiB), "AVX-512, 1 MiB L2 (Zen 5)");
        assertEquals(new GemmTiling(6, 4, 16, 512, 512), GemmTiling.choose(16, 32, 2 * oneMiB), "AVX-512, 2 MiB L2 (Sapphire Rapids)");
        assertEquals(new GemmTiling(6, 2, 8, 512, 512), GemmTiling.choose(8, 16, 2 * oneMiB), "AVX2, 2 MiB L2");
        assertEquals(new GemmTiling(6, 4, 4, 256, 512), GemmTiling.choose(4, 32, oneMiB), "NEON");
        assertEquals(new GemmTiling(6, 2, 4, 256, 512), GemmTiling.choose(4, 16, oneMiB), "SSE");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GemmTiling(12, 2, 8, 256, 512));
        assertEquals("GEMM micro-tile (12×2 vectors) has no micro-kernel; known: 6×2, 6×4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmTiling(8, 2, 16, 256, 512));
        assertEquals("GEMM micro-tile (8×2 vectors) has no micro-kernel; known: 6×2, 6×4", e.getMessage());
        GemmTiling large = new GemmTiling(6, 4, 16, 512, 512);
        assertEquals(new GemmTiling(6, 4, 16, 256, 1024), large.blockingFor(GemmLayout.BACKWARD_WEIGHT),
                "weight gradient on a large L2: same B block, half the transposes of A");
        assertEquals(large, large.blockingFor(GemmLayout.FORWARD));
        assertEquals(large, large.blockingFor(GemmLayout.BACKWARD_INPUT));
        GemmTiling small = new GemmTiling(6, 4, 16, 256, 512);
        assertEquals(small, small.blockingFor(GemmLayout.BACKWARD_WEIGHT), "1 MiB L2 keeps its blocking");
        e = assertThrows(IllegalArgumentException.class, () -> new GemmTiling(6, 4, 16, 513, 512));
        assertEquals("GEMM reduction block (513) must be in 1..512", e.getMessage(), "A is packed at a row stride of 512");
        e = assertThrows(IllegalArgumentException.class, () -> new GemmTiling(6, 4, 16, 0, 512));
        assertEquals("GEMM reduction block (0) must be in 1..512", e.getMessage());
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
