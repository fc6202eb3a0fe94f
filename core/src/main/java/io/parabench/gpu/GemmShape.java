package io.parabench.gpu;

import java.util.Arrays;

/**
 * The shape of a GEMM, {@code Y[m,n] = X[m,k]·W[n,k]ᵀ}, or of a grouped GEMM: several
 * {@code m} (one per group, e.g. the tokens of each local expert) sharing {@code n} and {@code k},
 * launched as one kernel whose output tiles are spread over the SMs together.
 *
 * @param rows m of each group (one entry for a plain GEMM); each >= 0
 * @param n    output columns, >= 1
 * @param k    reduction depth, >= 1
 */
public record GemmShape(int[] rows, int n, int k) {
    public GemmShape {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException("gemm groups must not be empty");
        }
        for (int m : rows) {
            if (m < 0) {
                throw new IllegalArgumentException("gemm rows (" + m + ") must be >= 0");
            }
        }
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("gemm n (" + n + ") and k (" + k + ") must be >= 1");
        }
        rows = rows.clone();
    }

    /** A plain m×n×k GEMM. */
    public static GemmShape of(int m, int n, int k) {
        return new GemmShape(new int[] {m}, n, k);
    }

    /** Rows of all groups together. */
    public long totalRows() {
        long sum = 0;
        for (int m : rows) {
            sum += m;
        }
        return sum;
    }

    /** {@code 2·Σm·n·k}: an FMA counts two. */
    public long flops() {
        return 2L * totalRows() * n * k;
    }

    /** Output tiles of {@code tileM × tileN} over every group. */
    public long tiles(int tileM, int tileN) {
        long perRowBlock = (n + tileN - 1) / tileN;
        long tiles = 0;
        for (int m : rows) {
            tiles += (long) ((m + tileM - 1) / tileM) * perRowBlock;
        }
        return tiles;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GemmShape g && g.n == n && g.k == k && Arrays.equals(g.rows, rows);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(rows) + n) + k;
    }

    @Override
    public String toString() {
        return (rows.length == 1 ? String.valueOf(rows[0]) : Arrays.toString(rows)) + "×" + n + "×" + k;
    }
}
