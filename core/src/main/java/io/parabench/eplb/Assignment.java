package io.parabench.eplb;

import java.util.Arrays;

/**
 * Maximum-weight perfect matching of a square matrix (the Hungarian method with potentials,
 * {@code O(n³)}), used to map new GPU contents onto old GPUs so that as many replicas as
 * possible stay where they are.
 */
final class Assignment {
    private Assignment() {
    }

    /**
     * @param weight {@code [n][n]}, {@code weight[i][j]} = value of giving row {@code i} column {@code j}
     * @return {@code col[i]}: the column matched to row {@code i}; the sum of weights is maximal
     */
    static int[] maximise(int[][] weight) {
        int n = weight.length;
        // minimise cost = -weight; 1-based arrays as in the textbook formulation
        long[] u = new long[n + 1];
        long[] v = new long[n + 1];
        int[] rowOfCol = new int[n + 1];
        int[] way = new int[n + 1];
        long[] minv = new long[n + 1];
        boolean[] used = new boolean[n + 1];
        for (int i = 1; i <= n; i++) {
            rowOfCol[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Long.MAX_VALUE);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = rowOfCol[j0];
                long delta = Long.MAX_VALUE;
                int j1 = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        long cur = -(long) weight[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[rowOfCol[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOfCol[j0] != 0);
            do {
                int j1 = way[j0];
                rowOfCol[j0] = rowOfCol[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] col = new int[n];
        for (int j = 1; j <= n; j++) {
            col[rowOfCol[j] - 1] = j - 1;
        }
        return col;
    }
}
