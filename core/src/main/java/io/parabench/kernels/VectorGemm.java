package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Cache- and register-blocked single-precision GEMM on the Vector API, after the BLIS/GotoBLAS
 * design (Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008),
 * with the roles of A and B swapped because C is row-major here: B is the vector operand and A
 * is broadcast.
 *
 * <p>Loops, outermost first: columns of C in blocks of {@link #NC}; the reduction in blocks of
 * {@link #KC}, for which a {@code KC×NC} slice of B and a {@code m×KC} slice of A are packed
 * into contiguous micro-panels ({@code NR} columns, resp. {@code rows} rows of the micro-tile, zero-padded at the
 * edges); then row panels are spread over host threads, each sweeping the B
 * micro-panels with one A micro-panel held in L1.
 *
 * <p>Determinism: each element of C belongs to exactly one micro-tile, and its sum is built by
 * one FMA per {@code p} in increasing {@code p}, block after block. That order does not depend
 * on the thread count, and it is the order of {@link ScalarKernels#gemm}, which uses
 * {@link Math#fma}: both twins give identical bits.
 *
 * <p>Thread-safe: packed panels belong to one call; threads only read them once packed.
 *
 * <p>The micro-tile's row count follows the vector width (see {@link #WIDE_ROWS},
 * {@link #NARROW_ROWS}), so the tile always fits the register file.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /**
     * Rows of the micro-tile for 512-bit vectors: 8 rows × 2 vectors = 16 accumulators, + 2 B
     * vectors + 1 broadcast = 19 of AVX-512's 32 registers. Measured at 1024³ on one Zen 4 core
     * (GFLOP/s, best of 40): 8 rows ≈ 90 on JDK 17 and ≈ 88 on JDK 25; 14 rows (31 registers)
     * ≈ 96 on JDK 17 but ≈ 44 on JDK 25, whose register allocator spills it; 12 rows swings
     * between 54 and 88. Eight rows is the tile that holds up on both.
     */
    static final int WIDE_ROWS = 8;
    /** Rows of the micro-tile for narrower vectors: 12 accumulators + 3 fit AVX2's 16 registers. */
    static final int NARROW_ROWS = 6;
    /** The tile this process uses, fixed by the one vector species. */
    static final int PREFERRED_ROWS = V >= 16 ? WIDE_ROWS : NARROW_ROWS;
    /** Columns of the micro-tile: two vectors. */
    static final int NR = 2 * V;
    /** Reduction block: one packed B micro-panel (KC×NR) and one A micro-panel (rows×KC) stay in L1/L2. */
    static final int KC = 256;
    /** Column block: a packed KC×NC slice of B (512 KiB at 512 columns) stays in a core's L2. */
    static final int NC = 512;

    private VectorGemm() {
    }

    static void gemm(HostPool pool, GemmLayout layout, int m, int n, int k,
                     float[] a, float[] b, float[] c, boolean accumulate) {
        gemm(pool, layout, m, n, k, a, b, c, accumulate, PREFERRED_ROWS);
    }

    /** The GEMM with a micro-tile of {@code rows} rows: {@link #WIDE_ROWS} or {@link #NARROW_ROWS} (tests run both). */
    static void gemm(HostPool pool, GemmLayout layout, int m, int n, int k,
                     float[] a, float[] b, float[] c, boolean accumulate, int rows) {
        if (rows != WIDE_ROWS && rows != NARROW_ROWS) {
            throw new IllegalArgumentException("micro-tile rows (" + rows + ") must be " + WIDE_ROWS + " or " + NARROW_ROWS);
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, 0, m * n, 0f);
            }
            return;
        }
        int rowPanels = (m + rows - 1) / rows;
        float[] ap = new float[rowPanels * rows * Math.min(KC, k)];
        float[] bp = new float[((Math.min(NC, n) + NR - 1) / NR) * NR * Math.min(KC, k)];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int colPanels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int j0 = jc;
                int p0 = pc;
                pool.parallelFor(colPanels + rowPanels, t -> {
                    if (t < colPanels) {
                        packB(layout, b, n, k, p0, kc, j0 + t * NR, Math.min(NR, n - j0 - t * NR), bp, t * NR * kc);
                    } else {
                        int r = t - colPanels;
                        packA(rows, layout, a, m, k, r * rows, Math.min(rows, m - r * rows), p0, kc, ap, r * rows * kc);
                    }
                });
                boolean load = accumulate || pc > 0;
                pool.parallelFor(rowPanels, r -> {
                    int i0 = r * rows;
                    int mr = Math.min(rows, m - i0);
                    float[] edge = null;
                    for (int q = 0; q < colPanels; q++) {
                        int jj = j0 + q * NR;
                        int nr = Math.min(NR, n - jj);
                        if (mr == rows && nr == NR) {
                            microKernel(rows, kc, ap, r * rows * kc, bp, q * NR * kc, c, i0 * n + jj, n, load);
                        } else {
                            if (edge == null) {
                                edge = new float[rows * NR];
                            }
                            edgeTile(rows, kc, ap, r * rows * kc, bp, q * NR * kc, c, i0 * n + jj, n, mr, nr, load, edge);
                        }
                    }
                });
            }
        }
    }

    /** A partial tile: computed full-size in {@code edge}, then only its valid part copied out. */
    private static void edgeTile(int rows, int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc,
                                 int mr, int nr, boolean load, float[] edge) {
        java.util.Arrays.fill(edge, 0f);
        if (load) {
            for (int i = 0; i < mr; i++) {
                System.arraycopy(c, cOff + i * ldc, edge, i * NR, nr);
            }
        }
        microKernel(rows, kc, ap, aOff, bp, bOff, edge, 0, NR, true);
        for (int i = 0; i < mr; i++) {
            System.arraycopy(edge, i * NR, c, cOff + i * ldc, nr);
        }
    }

    /** Packs A rows [i0, i0+mr) × columns [p0, p0+kc) as kc groups of rows values, rows past mr zero. */
    private static void packA(int rows, GemmLayout layout, float[] a, int m, int k, int i0, int mr, int p0, int kc,
                              float[] ap, int off) {
        if (layout == GemmLayout.BACKWARD_WEIGHT) {
            for (int p = 0; p < kc; p++) {
                int dst = off + p * rows;
                System.arraycopy(a, (p0 + p) * m + i0, ap, dst, mr);
                for (int i = mr; i < rows; i++) {
                    ap[dst + i] = 0f;
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                if (i < mr) {
                    int src = (i0 + i) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        ap[off + p * rows + i] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        ap[off + p * rows + i] = 0f;
                    }
                }
            }
        }
    }

    /** Packs B rows [p0, p0+kc) × columns [j0, j0+nr) as kc rows of NR values, columns past nr zero. */
    private static void packB(GemmLayout layout, float[] b, int n, int k, int p0, int kc, int j0, int nr,
                              float[] bp, int off) {
        if (layout == GemmLayout.FORWARD) {
            // B = Wᵀ: a packed row takes one value from each of NR rows of W. Eight rows are read
            // side by side so each packed row gets 32 contiguous bytes per pass, not 4.
            int j = 0;
            for (; j + 8 <= nr; j += 8) {
                int s = (j0 + j) * k + p0;
                for (int p = 0; p < kc; p++) {
                    int d = off + p * NR + j;
                    bp[d] = b[s + p];
                    bp[d + 1] = b[s + k + p];
                    bp[d + 2] = b[s + 2 * k + p];
                    bp[d + 3] = b[s + 3 * k + p];
                    bp[d + 4] = b[s + 4 * k + p];
                    bp[d + 5] = b[s + 5 * k + p];
                    bp[d + 6] = b[s + 6 * k + p];
                    bp[d + 7] = b[s + 7 * k + p];
                }
            }
            for (; j < NR; j++) {
                if (j < nr) {
                    int src = (j0 + j) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        bp[off + p * NR + j] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        bp[off + p * NR + j] = 0f;
                    }
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int dst = off + p * NR;
                System.arraycopy(b, (p0 + p) * n + j0, bp, dst, nr);
                for (int j = nr; j < NR; j++) {
                    bp[dst + j] = 0f;
                }
            }
        }
    }

    private static void microKernel(int rows, int kc, float[] ap, int aOff, float[] bp, int bOff,
                                    float[] c, int cOff, int ldc, boolean load) {
        if (rows == WIDE_ROWS) {
            microKernel8(kc, ap, aOff, bp, bOff, c, cOff, ldc, load);
        } else {
            microKernel6(kc, ap, aOff, bp, bOff, c, cOff, ldc, load);
        }
    }

    /**
     * The 8×2-vector micro-kernel: C[8×2V] += Ap[8×kc] · Bp[kc×2V], C tile held in 16 vector
     * locals. Each step broadcasts one packed A value per row and issues two FMAs against the
     * packed B row, so the loop is bound by the FMA ports, not by loads.
     */
    private static void microKernel8(int kc, float[] ap, int aOff, float[] bp, int bOff,
                                    float[] c, int cOff, int ldc, boolean load) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        FloatVector c60, c61;
        FloatVector c70, c71;
        if (load) {
            c00 = FloatVector.fromArray(S, c, cOff + 0 * ldc);
            c01 = FloatVector.fromArray(S, c, cOff + 0 * ldc + V);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c11 = FloatVector.fromArray(S, c, cOff + 1 * ldc + V);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + V);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + V);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc);
            c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + V);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc);
            c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z;
            c01 = z;
            c10 = z;
            c11 = z;
            c20 = z;
            c21 = z;
            c30 = z;
            c31 = z;
            c40 = z;
            c41 = z;
            c50 = z;
            c51 = z;
            c60 = z;
            c61 = z;
            c70 = z;
            c71 = z;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            FloatVector b1 = FloatVector.fromArray(S, bp, bOff + V);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[aOff + 0]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            a = FloatVector.broadcast(S, ap[aOff + 6]);
            c60 = b0.fma(a, c60);
            c61 = b1.fma(a, c61);
            a = FloatVector.broadcast(S, ap[aOff + 7]);
            c70 = b0.fma(a, c70);
            c71 = b1.fma(a, c71);
            aOff += 8;
            bOff += NR;
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + V);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + V);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + V);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + V);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + V);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + V);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + V);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + V);
    }

    /**
     * The 6×2-vector micro-kernel: C[6×2V] += Ap[6×kc] · Bp[kc×2V], C tile held in 12 vector
     * locals. Each step broadcasts one packed A value per row and issues two FMAs against the
     * packed B row, so the loop is bound by the FMA ports, not by loads.
     */
    private static void microKernel6(int kc, float[] ap, int aOff, float[] bp, int bOff,
                                    float[] c, int cOff, int ldc, boolean load) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(S, c, cOff + 0 * ldc);
            c01 = FloatVector.fromArray(S, c, cOff + 0 * ldc + V);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c11 = FloatVector.fromArray(S, c, cOff + 1 * ldc + V);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + V);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z;
            c01 = z;
            c10 = z;
            c11 = z;
            c20 = z;
            c21 = z;
            c30 = z;
            c31 = z;
            c40 = z;
            c41 = z;
            c50 = z;
            c51 = z;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            FloatVector b1 = FloatVector.fromArray(S, bp, bOff + V);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[aOff + 0]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            aOff += 6;
            bOff += NR;
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + V);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + V);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + V);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + V);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + V);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + V);
    }
}
