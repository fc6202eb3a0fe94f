package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * GEMMs with few rows (decode: one token, the runtime's small micro-batches) or, in the forward
 * layout, few columns, where a full micro-tile would mostly multiply padding and packing B would
 * cost as much as the product. Each operand is read once, in its stored order; the cost is that
 * of streaming the large operand (the weights) from memory.
 *
 * <p>Two kernels:
 * <ul>
 *   <li><b>Rows against rows</b> ({@link GemmLayout#FORWARD}, {@code Y = X·Wᵀ}, X with at most
 *       two vectors of rows): the lanes of a vector are the rows of X, packed transposed once
 *       ({@code m × k} floats, small). Eight rows of W are streamed side by side, each value
 *       broadcast into one FMA, giving eight independent accumulators per step (enough to hide
 *       the FMA latency on two FMA ports). With few columns instead, the same kernel runs on
 *       the transposed product {@code Yᵀ = W·Xᵀ} and writes its result transposed. A single
 *       row of X (decode) takes {@link TransposedGemv} (sixteen rows of W transposed in
 *       registers) at 512 bits, eight scalar FMA chains otherwise ({@link #oneRowOfX}). A
 *       caller that multiplies by the same W again and again (decode) does better to pack it
 *       once ({@link PackedWeight}, {@link PackedGemm}): the product then reads W as one stream.</li>
 *   <li><b>Row-major B</b> (the backward layouts, fewer rows than a micro-tile): for each
 *       reduction step, each row of C in a block of {@link #COLUMN_BLOCK} columns gets one
 *       vector FMA per vector of B's row; the C block (at most a tile's rows × 2 KiB) stays in
 *       L1 between steps, and B streams through once, contiguously.</li>
 * </ul>
 *
 * <p><b>Rows against rows with half the lanes idle</b> (X of eight rows in a 16-lane vector, the
 * decode batch of {@code GemmBenchmark.skinny} m = 8): one FMA per weight caps it near the FMA
 * rate, 10.9 GB/s of W against 54.9 for {@code skinnyReadBound} in JMH (2 December 2026, 17:14 UTC,
 * load 1.7). Filling the lanes needs two rows of W per FMA operand: lane l computing
 * {@code (i = l/2, j = j0 + (l & 1))}, X packed with each value twice, and the pair
 * {@code (w[j][p], w[j+1][p])} as one 64-bit broadcast. Measured the same day in a dev harness
 * (JDK 17, 512-bit, n = k = 2048, medians of 40 calls, load 1.3–2.7, this kernel 9–17 GB/s
 * depending on the minute): the sweep alone, pairs ready in L1, sixteen rows of W (eight
 * accumulators; four are FMA-latency bound at 20) reads 27–32; but making the pairs costs more
 * than that gains in every form tried: zipping rows into a scratch of longs by int
 * {@code rearrange} and masks runs 24–26 alone (by 64-bit shifts 13), so zip-then-sweep per chunk
 * ran 7–9.5, the zip fused into the sweep's loop (a ring of two chunks) 7–11, and with the next
 * chunk's lines touched during the sweep 9.5–16.7 against 13–16.7 for this kernel; pairing per FMA
 * instead (two broadcasts and a blend: 7; two scalar loads packed into one long: 3.4–4.4; a
 * skewed diagonal, lane i at column t + i, two row loads merged per FMA: 3–5.5) lost more. Vectors
 * carried across a call or an inner loop boxed (1–5 GB/s); sixteen rows of W 8 KiB apart alias in
 * the 12-way L1 at k = 2048 (scalar pairs ran twice as fast at k = 2064). The bits are guarded by
 * {@code SkinnyRowsTest}.
 *
 * <p>Determinism: as in {@link VectorGemm}, every element of C is one FMA chain in increasing
 * reduction index, started from 0 (or from C when accumulating), computed by one task; threads
 * split columns of C. Bits equal the scalar twin's for every thread count.
 */
final class SkinnyGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Rows of W streamed side by side by the rows-against-rows kernel. */
    private static final int W_ROWS = 8;
    /** Columns of C per block of the row-major-B kernel: 2 KiB a row. */
    static final int COLUMN_BLOCK = 512;

    private SkinnyGemm() {
    }

    /** True when the product is skinny enough for this class with tiling {@code t}. */
    static boolean handles(GemmLayout layout, int m, int n, GemmTiling t) {
        if (layout == GemmLayout.FORWARD) {
            return m <= 2 * V || n <= 2 * V;
        }
        return m < t.rows();
    }

    static void gemm(HostPool pool, GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
                     boolean accumulate, GemmTiling t) {
        if (layout == GemmLayout.FORWARD) {
            if (m <= 2 * V) {
                rowsAgainstRows(pool, m, n, k, a, b, c, n, 1, accumulate);
            } else {
                rowsAgainstRows(pool, n, m, k, b, a, c, 1, n, accumulate);
            }
        } else {
            rowMajorB(pool, layout, m, n, k, a, b, c, accumulate);
        }
    }

    /**
     * {@code c[i·rowStride + j·colStride] (+)= Σ_p x[i·k+p]·w[j·k+p]} for i &lt; m ≤ 2V, j &lt; n:
     * X's rows in lanes, W streamed eight rows at a time.
     */
    private static void rowsAgainstRows(HostPool pool, int m, int n, int k, float[] x, float[] w, float[] c,
                                        int rowStride, int colStride, boolean accumulate) {
        if (m == 1) {
            oneRowOfX(pool, n, k, x, w, c, colStride, accumulate);
            return;
        }
        int vectors = m <= V ? 1 : 2;
        int lanes = vectors * V;
        float[] xp = new float[k * lanes];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                xp[p * lanes + i] = x[i * k + p];
            }
        }
        int groups = (n + W_ROWS - 1) / W_ROWS;
        int tasks = Math.min(pool.threads(), groups);
        pool.parallelFor(tasks, q -> {
            float[] tile = new float[W_ROWS * lanes];
            int to = Math.min(n, groups * (q + 1) / tasks * W_ROWS);
            for (int j0 = groups * q / tasks * W_ROWS; j0 < to; j0 += W_ROWS) {
                int nj = Math.min(W_ROWS, to - j0);
                Arrays.fill(tile, 0f);
                if (accumulate) {
                    for (int jj = 0; jj < nj; jj++) {
                        for (int i = 0; i < m; i++) {
                            tile[jj * lanes + i] = c[i * rowStride + (j0 + jj) * colStride];
                        }
                    }
                }
                if (nj == W_ROWS && vectors == 1) {
                    eightRows(k, xp, w, j0 * k, tile);
                } else if (nj == W_ROWS) {
                    eightRowsTwoVectors(k, xp, w, j0 * k, tile);
                } else {
                    for (int jj = 0; jj < nj; jj++) {
                        oneRow(k, vectors, xp, w, (j0 + jj) * k, tile, jj * lanes);
                    }
                }
                for (int jj = 0; jj < nj; jj++) {
                    for (int i = 0; i < m; i++) {
                        c[i * rowStride + (j0 + jj) * colStride] = tile[jj * lanes + i];
                    }
                }
            }
        });
    }

    /**
     * {@code c[j·colStride] (+)= Σ_p x[p]·w[j·k+p]}, X one row (decode). With 16-lane vectors and
     * k ≥ 44, sixteen rows of W at a time go through {@link TransposedGemv} (W transposed in
     * registers, one vector FMA per sixteen weights, odd rows skewed two cache lines behind the
     * even ones): 22–25 GB/s of W in JMH against 13–21 for the chains in the same minutes (see
     * there). The rows left over, other widths and shorter rows take scalar {@link Math#fma}
     * chains, {@link #W_ROWS} rows of W side by side, W read once in its stored order: one scalar
     * FMA per weight (its load folded in) read W at 19–21 GB/s (median call) against 16–18 for the
     * broadcast kernel below, which spends a broadcast and a 16-lane FMA per weight for one useful
     * lane (JDK 17, 512-bit, n = k = 2048, load 8); twelve and sixteen chains ran at 19 and 11
     * (best call): more streams of W than the prefetchers follow. Threads split the rows of W in
     * blocks of sixteen (eight for the chains).
     */
    private static void oneRowOfX(HostPool pool, int n, int k, float[] x, float[] w, float[] c, int colStride,
                                  boolean accumulate) {
        boolean transposed = TransposedGemv.applies(k);
        int block = transposed ? TransposedGemv.ROWS : W_ROWS;
        int groups = (n + block - 1) / block;
        int tasks = Math.min(pool.threads(), groups);
        long[] xPairs = transposed ? TransposedGemv.pairs(k, x) : null;
        pool.parallelFor(tasks, q -> {
            int to = Math.min(n, groups * (q + 1) / tasks * block);
            int j = groups * q / tasks * block;
            if (transposed) {
                float[] lanes = new float[TransposedGemv.ROWS];
                for (; j + TransposedGemv.ROWS <= to; j += TransposedGemv.ROWS) {
                    TransposedGemv.sixteenRows(k, x, xPairs, w, j, c, colStride, accumulate, lanes);
                }
            }
            for (; j + W_ROWS <= to; j += W_ROWS) {
                eightChains(k, x, w, j, c, colStride, accumulate);
            }
            for (; j < to; j++) {
                float sum = accumulate ? c[j * colStride] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(x[p], w[j * k + p], sum);
                }
                c[j * colStride] = sum;
            }
        });
    }

    /** Rows {@code j0 … j0+7} of W against X's one row: eight independent FMA chains, enough to fill two FMA pipes. */
    private static void eightChains(int k, float[] x, float[] w, int j0, float[] c, int colStride, boolean accumulate) {
        float s0 = accumulate ? c[j0 * colStride] : 0f;
        float s1 = accumulate ? c[(j0 + 1) * colStride] : 0f;
        float s2 = accumulate ? c[(j0 + 2) * colStride] : 0f;
        float s3 = accumulate ? c[(j0 + 3) * colStride] : 0f;
        float s4 = accumulate ? c[(j0 + 4) * colStride] : 0f;
        float s5 = accumulate ? c[(j0 + 5) * colStride] : 0f;
        float s6 = accumulate ? c[(j0 + 6) * colStride] : 0f;
        float s7 = accumulate ? c[(j0 + 7) * colStride] : 0f;
        int w0 = j0 * k;
        int w1 = w0 + k;
        int w2 = w1 + k;
        int w3 = w2 + k;
        int w4 = w3 + k;
        int w5 = w4 + k;
        int w6 = w5 + k;
        int w7 = w6 + k;
        for (int p = 0; p < k; p++) {
            float xp = x[p];
            s0 = Math.fma(xp, w[w0 + p], s0);
            s1 = Math.fma(xp, w[w1 + p], s1);
            s2 = Math.fma(xp, w[w2 + p], s2);
            s3 = Math.fma(xp, w[w3 + p], s3);
            s4 = Math.fma(xp, w[w4 + p], s4);
            s5 = Math.fma(xp, w[w5 + p], s5);
            s6 = Math.fma(xp, w[w6 + p], s6);
            s7 = Math.fma(xp, w[w7 + p], s7);
        }
        c[j0 * colStride] = s0;
        c[(j0 + 1) * colStride] = s1;
        c[(j0 + 2) * colStride] = s2;
        c[(j0 + 3) * colStride] = s3;
        c[(j0 + 4) * colStride] = s4;
        c[(j0 + 5) * colStride] = s5;
        c[(j0 + 6) * colStride] = s6;
        c[(j0 + 7) * colStride] = s7;
    }

    /** Eight rows of W (from {@code w[wOff]}, stride k) against one vector of X rows; sums in/out of {@code tile}. */
    private static void eightRows(int k, float[] xp, float[] w, int wOff, float[] tile) {
        FloatVector c0 = FloatVector.fromArray(S, tile, 0);
        FloatVector c1 = FloatVector.fromArray(S, tile, V);
        FloatVector c2 = FloatVector.fromArray(S, tile, 2 * V);
        FloatVector c3 = FloatVector.fromArray(S, tile, 3 * V);
        FloatVector c4 = FloatVector.fromArray(S, tile, 4 * V);
        FloatVector c5 = FloatVector.fromArray(S, tile, 5 * V);
        FloatVector c6 = FloatVector.fromArray(S, tile, 6 * V);
        FloatVector c7 = FloatVector.fromArray(S, tile, 7 * V);
        int w0 = wOff;
        int w1 = w0 + k;
        int w2 = w1 + k;
        int w3 = w2 + k;
        int w4 = w3 + k;
        int w5 = w4 + k;
        int w6 = w5 + k;
        int w7 = w6 + k;
        for (int p = 0; p < k; p++) {
            FloatVector xv = FloatVector.fromArray(S, xp, p * V);
            c0 = xv.fma(FloatVector.broadcast(S, w[w0 + p]), c0);
            c1 = xv.fma(FloatVector.broadcast(S, w[w1 + p]), c1);
            c2 = xv.fma(FloatVector.broadcast(S, w[w2 + p]), c2);
            c3 = xv.fma(FloatVector.broadcast(S, w[w3 + p]), c3);
            c4 = xv.fma(FloatVector.broadcast(S, w[w4 + p]), c4);
            c5 = xv.fma(FloatVector.broadcast(S, w[w5 + p]), c5);
            c6 = xv.fma(FloatVector.broadcast(S, w[w6 + p]), c6);
            c7 = xv.fma(FloatVector.broadcast(S, w[w7 + p]), c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, V);
        c2.intoArray(tile, 2 * V);
        c3.intoArray(tile, 3 * V);
        c4.intoArray(tile, 4 * V);
        c5.intoArray(tile, 5 * V);
        c6.intoArray(tile, 6 * V);
        c7.intoArray(tile, 7 * V);
    }

    /** Eight rows of W against two vectors of X rows (16 accumulators). */
    private static void eightRowsTwoVectors(int k, float[] xp, float[] w, int wOff, float[] tile) {
        int l = 2 * V;
        FloatVector c0 = FloatVector.fromArray(S, tile, 0);
        FloatVector d0 = FloatVector.fromArray(S, tile, V);
        FloatVector c1 = FloatVector.fromArray(S, tile, l);
        FloatVector d1 = FloatVector.fromArray(S, tile, l + V);
        FloatVector c2 = FloatVector.fromArray(S, tile, 2 * l);
        FloatVector d2 = FloatVector.fromArray(S, tile, 2 * l + V);
        FloatVector c3 = FloatVector.fromArray(S, tile, 3 * l);
        FloatVector d3 = FloatVector.fromArray(S, tile, 3 * l + V);
        FloatVector c4 = FloatVector.fromArray(S, tile, 4 * l);
        FloatVector d4 = FloatVector.fromArray(S, tile, 4 * l + V);
        FloatVector c5 = FloatVector.fromArray(S, tile, 5 * l);
        FloatVector d5 = FloatVector.fromArray(S, tile, 5 * l + V);
        FloatVector c6 = FloatVector.fromArray(S, tile, 6 * l);
        FloatVector d6 = FloatVector.fromArray(S, tile, 6 * l + V);
        FloatVector c7 = FloatVector.fromArray(S, tile, 7 * l);
        FloatVector d7 = FloatVector.fromArray(S, tile, 7 * l + V);
        int w0 = wOff;
        int w1 = w0 + k;
        int w2 = w1 + k;
        int w3 = w2 + k;
        int w4 = w3 + k;
        int w5 = w4 + k;
        int w6 = w5 + k;
        int w7 = w6 + k;
        for (int p = 0; p < k; p++) {
            FloatVector x0 = FloatVector.fromArray(S, xp, p * l);
            FloatVector x1 = FloatVector.fromArray(S, xp, p * l + V);
            FloatVector v;
            v = FloatVector.broadcast(S, w[w0 + p]);
            c0 = x0.fma(v, c0);
            d0 = x1.fma(v, d0);
            v = FloatVector.broadcast(S, w[w1 + p]);
            c1 = x0.fma(v, c1);
            d1 = x1.fma(v, d1);
            v = FloatVector.broadcast(S, w[w2 + p]);
            c2 = x0.fma(v, c2);
            d2 = x1.fma(v, d2);
            v = FloatVector.broadcast(S, w[w3 + p]);
            c3 = x0.fma(v, c3);
            d3 = x1.fma(v, d3);
            v = FloatVector.broadcast(S, w[w4 + p]);
            c4 = x0.fma(v, c4);
            d4 = x1.fma(v, d4);
            v = FloatVector.broadcast(S, w[w5 + p]);
            c5 = x0.fma(v, c5);
            d5 = x1.fma(v, d5);
            v = FloatVector.broadcast(S, w[w6 + p]);
            c6 = x0.fma(v, c6);
            d6 = x1.fma(v, d6);
            v = FloatVector.broadcast(S, w[w7 + p]);
            c7 = x0.fma(v, c7);
            d7 = x1.fma(v, d7);
        }
        c0.intoArray(tile, 0);
        d0.intoArray(tile, V);
        c1.intoArray(tile, l);
        d1.intoArray(tile, l + V);
        c2.intoArray(tile, 2 * l);
        d2.intoArray(tile, 2 * l + V);
        c3.intoArray(tile, 3 * l);
        d3.intoArray(tile, 3 * l + V);
        c4.intoArray(tile, 4 * l);
        d4.intoArray(tile, 4 * l + V);
        c5.intoArray(tile, 5 * l);
        d5.intoArray(tile, 5 * l + V);
        c6.intoArray(tile, 6 * l);
        d6.intoArray(tile, 6 * l + V);
        c7.intoArray(tile, 7 * l);
        d7.intoArray(tile, 7 * l + V);
    }

    /** One row of W against {@code vectors} vectors of X rows (the last rows of W, fewer than eight). */
    private static void oneRow(int k, int vectors, float[] xp, float[] w, int wOff, float[] tile, int tileOff) {
        int l = vectors * V;
        for (int u = 0; u < vectors; u++) {
            FloatVector acc = FloatVector.fromArray(S, tile, tileOff + u * V);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.fromArray(S, xp, p * l + u * V).fma(FloatVector.broadcast(S, w[wOff + p]), acc);
            }
            acc.intoArray(tile, tileOff + u * V);
        }
    }

    /**
     * The backward layouts with B stored k×n: per block of {@link #COLUMN_BLOCK} columns, per
     * reduction step p, per row i, {@code C[i, block] += A[i,p] · B[p, block]}, C held in L1.
     */
    private static void rowMajorB(HostPool pool, GemmLayout layout, int m, int n, int k, float[] a, float[] b,
                                  float[] c, boolean accumulate) {
        int blocks = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        int tasks = Math.min(pool.threads(), blocks);
        pool.parallelFor(tasks, q -> {
            int to = Math.min(n, blocks * (q + 1) / tasks * COLUMN_BLOCK);
            for (int j0 = blocks * q / tasks * COLUMN_BLOCK; j0 < to; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(to, j0 + COLUMN_BLOCK);
                if (!accumulate) {
                    for (int i = 0; i < m; i++) {
                        Arrays.fill(c, i * n + j0, i * n + j1, 0f);
                    }
                }
                int bound = j0 + S.loopBound(j1 - j0);
                for (int p = 0; p < k; p++) {
                    int bRow = p * n;
                    for (int i = 0; i < m; i++) {
                        float ai = a[layout.aIndex(i, p, m, k)];
                        FloatVector av = FloatVector.broadcast(S, ai);
                        int cRow = i * n;
                        int j = j0;
                        for (; j < bound; j += V) {
                            av.fma(FloatVector.fromArray(S, b, bRow + j), FloatVector.fromArray(S, c, cRow + j))
                                    .intoArray(c, cRow + j);
                        }
                        for (; j < j1; j++) {
                            c[cRow + j] = Math.fma(ai, b[bRow + j], c[cRow + j]);
                        }
                    }
                }
            }
        });
    }
}
