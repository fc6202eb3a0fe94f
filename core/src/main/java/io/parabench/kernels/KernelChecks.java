package io.parabench.kernels;

/** Argument checks shared by both kernel twins: they run before any work and name value and rule. */
final class KernelChecks {
    private KernelChecks() {
    }

    static void size(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
        }
    }

    static void length(String array, float[] a, long needed) {
        if (a == null) {
            throw new IllegalArgumentException(array + " must not be null");
        }
        if (a.length < needed) {
            throw new IllegalArgumentException(array + " length (" + a.length + ") must be >= " + needed);
        }
    }

    static void length(String array, int[] a, long needed) {
        if (a == null) {
            throw new IllegalArgumentException(array + " must not be null");
        }
        if (a.length < needed) {
            throw new IllegalArgumentException(array + " length (" + a.length + ") must be >= " + needed);
        }
    }

    static void length(String array, byte[] a, long needed) {
        if (a == null) {
            throw new IllegalArgumentException(array + " must not be null");
        }
        if (a.length < needed) {
            throw new IllegalArgumentException(array + " length (" + a.length + ") must be >= " + needed);
        }
    }

    /**
     * Checks an elementwise kernel's length and arrays; {@code params} names the arrays in order,
     * space-separated, for the message (e.g. {@code "add b length (3) must be >= n (5)"}).
     */
    static void elementwise(String kernel, String params, int n, float[]... arrays) {
        size(kernel + " n", n);
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == null || arrays[i].length < n) {
                String name = kernel + " " + params.split(" ")[i];
                if (arrays[i] == null) {
                    throw new IllegalArgumentException(name + " must not be null");
                }
                throw new IllegalArgumentException(name + " length (" + arrays[i].length + ") must be >= n (" + n + ")");
            }
        }
    }

    static void gemm(HostPool pool, GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c) {
        if (pool == null || layout == null) {
            throw new IllegalArgumentException("gemm pool and layout must not be null");
        }
        size("gemm m", m);
        size("gemm n", n);
        size("gemm k", k);
        length("gemm A", a, (long) m * k);
        length("gemm B", b, (long) k * n);
        length("gemm C", c, (long) m * n);
        if ((long) m * n > Integer.MAX_VALUE || (long) m * k > Integer.MAX_VALUE || (long) k * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm " + m + "×" + n + "×" + k + " has a matrix over 2^31-1 elements");
        }
    }

    static void packWeight(int n, int k, float[] w, int width) {
        size("packWeight n", n);
        size("packWeight k", k);
        length("packWeight W", w, (long) n * k);
        long padded = (long) (n + width - 1) / width * width * k;
        if (padded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("packWeight " + n + "×" + k + " packs into " + padded
                    + " floats (panels of " + width + " rows); must be <= 2^31-1");
        }
    }

    static void packedGemm(HostPool pool, int m, float[] x, PackedWeight w, float[] y) {
        if (pool == null || w == null) {
            throw new IllegalArgumentException("gemm pool and packed weight must not be null");
        }
        size("gemm m", m);
        int n = w.outFeatures();
        int k = w.inFeatures();
        if ((long) m * n > Integer.MAX_VALUE || (long) m * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm " + m + "×" + n + "×" + k + " has a matrix over 2^31-1 elements");
        }
        length("gemm X", x, (long) m * k);
        length("gemm Y", y, (long) m * n);
    }

    static void matrix(String name, float[] x, int rows, int cols) {
        size(name + " rows", rows);
        size(name + " cols", cols);
        length(name, x, (long) rows * cols);
    }

    /** Number of 128-channel scale groups per row of an FP8 cast. */
    static int scaleGroups(int cols) {
        return (cols + Fp8E4m3.GROUP - 1) / Fp8E4m3.GROUP;
    }

    static void topK(float[] x, int rows, int cols, int k, int[] indices, float[] values) {
        topKShape(x, rows, cols, k, indices, values);
        topKScores(x, rows, cols);
    }

    /** The shape checks of {@link #topK}, for a twin that scans for NaN its own, faster way. */
    static void topKShape(float[] x, int rows, int cols, int k, int[] indices, float[] values) {
        matrix("topK x", x, rows, cols);
        if (k < 0 || k > cols) {
            throw new IllegalArgumentException("topK k (" + k + ") must be in 0.." + cols + " (the row length)");
        }
        length("topK indices", indices, (long) rows * k);
        length("topK values", values, (long) rows * k);
    }

    /** Rejects the first NaN score of {@link #topK}, naming its row and column. */
    static void topKScores(float[] x, int rows, int cols) {
        for (int i = 0; i < rows * cols; i++) {
            if (Float.isNaN(x[i])) {
                throw new IllegalArgumentException("topK x[" + i / cols + "][" + i % cols + "] is NaN; scores must be numbers");
            }
        }
    }
}
