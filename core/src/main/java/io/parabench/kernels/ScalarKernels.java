package io.parabench.kernels;

/**
 * The plain-loop twin of every kernel: the reference the Vector API twin is tested against, and
 * the implementation used when {@code jdk.incubator.vector} is not available. Thread-safe and
 * stateless; only {@link #gemm} uses the pool's threads (over rows of C, which does not change
 * its result).
 */
public final class ScalarKernels implements Kernels {
    /** The one instance. */
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(HostPool pool, GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
                     boolean accumulate) {
        KernelChecks.gemm(pool, layout, m, n, k, a, b, c);
        pool.parallelFor(m, i -> {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[layout.aIndex(i, p, m, k)], b[layout.bIndex(p, j, n, k)], sum);
                }
                c[i * n + j] = sum;
            }
        });
    }

    /**
     * Panels of 16 rows: any width gives the same product, and the vector twin packs its own
     * width; this one only has to be a valid layout for {@link #gemm(HostPool, int, float[], PackedWeight, float[], boolean)}.
     */
    @Override
    public PackedWeight packWeight(int n, int k, float[] w) {
        KernelChecks.packWeight(n, k, w, 16);
        return PackedWeight.pack(n, k, w, 16);
    }

    @Override
    public void gemm(HostPool pool, int m, float[] x, PackedWeight w, float[] y, boolean accumulate) {
        KernelChecks.packedGemm(pool, m, x, w, y);
        int n = w.outFeatures();
        int k = w.inFeatures();
        pool.parallelFor(m, i -> {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? y[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(x[i * k + p], w.at(j, p), sum);
                }
                y[i * n + j] = sum;
            }
        });
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int n) {
        KernelChecks.elementwise("add", "a b out", n, a, b, out);
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void scale(float[] a, float s, float[] out, int n) {
        KernelChecks.elementwise("scale", "a out", n, a, out);
        for (int i = 0; i < n; i++) {
            out[i] = a[i] * s;
        }
    }

    @Override
    public void fma(float[] a, float[] b, float[] c, float[] out, int n) {
        KernelChecks.elementwise("fma", "a b c out", n, a, b, c, out);
        for (int i = 0; i < n; i++) {
            out[i] = Math.fma(a[i], b[i], c[i]);
        }
    }

    @Override
    public void geluTanh(float[] x, float[] out, int n) {
        KernelChecks.elementwise("geluTanh", "x out", n, x, out);
        for (int i = 0; i < n; i++) {
            out[i] = Gelu.tanhForm(x[i]);
        }
    }

    @Override
    public void geluTanhBackward(float[] x, float[] dy, float[] dx, int n) {
        KernelChecks.elementwise("geluTanhBackward", "x dy dx", n, x, dy, dx);
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * Gelu.tanhFormGrad(x[i]);
        }
    }

    @Override
    public void geluErf(float[] x, float[] out, int n) {
        KernelChecks.elementwise("geluErf", "x out", n, x, out);
        for (int i = 0; i < n; i++) {
            out[i] = Gelu.erfForm(x[i]);
        }
    }

    @Override
    public void geluErfBackward(float[] x, float[] dy, float[] dx, int n) {
        KernelChecks.elementwise("geluErfBackward", "x dy dx", n, x, dy, dx);
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * Gelu.erfFormGrad(x[i]);
        }
    }

    @Override
    public void rowSum(float[] x, int rows, int cols, float[] out) {
        KernelChecks.matrix("rowSum x", x, rows, cols);
        KernelChecks.length("rowSum out", out, rows);
        for (int r = 0; r < rows; r++) {
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += x[r * cols + j];
            }
            out[r] = sum;
        }
    }

    @Override
    public void rowMax(float[] x, int rows, int cols, float[] out) {
        KernelChecks.matrix("rowMax x", x, rows, cols);
        KernelChecks.length("rowMax out", out, rows);
        for (int r = 0; r < rows; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[r * cols + j]);
            }
            out[r] = max;
        }
    }

    @Override
    public float mseLoss(float[] prediction, float[] target, int n) {
        KernelChecks.elementwise("mseLoss", "prediction target", n, prediction, target);
        if (n == 0) {
            throw new IllegalArgumentException("mseLoss n (0) must be >= 1");
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float d = prediction[i] - target[i];
            sum = Math.fma(d, d, sum);
        }
        return sum / n;
    }

    @Override
    public void mseGrad(float[] prediction, float[] target, float[] grad, int n) {
        KernelChecks.elementwise("mseGrad", "prediction target grad", n, prediction, target, grad);
        float factor = 2f / n;
        for (int i = 0; i < n; i++) {
            grad[i] = (prediction[i] - target[i]) * factor;
        }
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] out) {
        KernelChecks.matrix("softmax x", x, rows, cols);
        KernelChecks.length("softmax out", out, (long) rows * cols);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = ExpMath.exp(x[base + j] - max);
                out[base + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) {
                out[base + j] *= inv;
            }
        }
    }

    @Override
    public void topK(float[] x, int rows, int cols, int k, int[] indices, float[] values) {
        KernelChecks.topK(x, rows, cols, k, indices, values);
        boolean[] taken = new boolean[cols];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(taken, false);
            int base = r * cols;
            for (int s = 0; s < k; s++) {
                int best = -1;
                for (int j = 0; j < cols; j++) {
                    if (!taken[j] && (best < 0 || x[base + j] > x[base + best])) {
                        best = j;
                    }
                }
                taken[best] = true;
                indices[r * k + s] = best;
                values[r * k + s] = x[base + best];
            }
        }
    }

    @Override
    public void roundTripBf16(float[] x, float[] out, int n) {
        KernelChecks.elementwise("roundTripBf16", "x out", n, x, out);
        for (int i = 0; i < n; i++) {
            out[i] = Bf16.round(x[i]);
        }
    }

    @Override
    public void castFp8E4m3(float[] x, int rows, int cols, byte[] codes, float[] scales) {
        KernelChecks.matrix("castFp8E4m3 x", x, rows, cols);
        KernelChecks.length("castFp8E4m3 codes", codes, (long) rows * cols);
        int groups = KernelChecks.scaleGroups(cols);
        KernelChecks.length("castFp8E4m3 scales", scales, (long) rows * groups);
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                int from = r * cols + g * Fp8E4m3.GROUP;
                int to = r * cols + Math.min(cols, (g + 1) * Fp8E4m3.GROUP);
                float amax = Fp8E4m3.AMAX_FLOOR;
                for (int i = from; i < to; i++) {
                    amax = Math.max(amax, Math.abs(x[i]));
                }
                float mul = Fp8E4m3.MAX / amax;
                for (int i = from; i < to; i++) {
                    codes[i] = (byte) Fp8E4m3.encode(x[i] * mul);
                }
                scales[r * groups + g] = amax / Fp8E4m3.MAX;
            }
        }
    }

    @Override
    public void castBackFp8E4m3(byte[] codes, float[] scales, int rows, int cols, float[] out) {
        KernelChecks.size("castBackFp8E4m3 rows", rows);
        KernelChecks.size("castBackFp8E4m3 cols", cols);
        KernelChecks.length("castBackFp8E4m3 codes", codes, (long) rows * cols);
        int groups = KernelChecks.scaleGroups(cols);
        KernelChecks.length("castBackFp8E4m3 scales", scales, (long) rows * groups);
        KernelChecks.length("castBackFp8E4m3 out", out, (long) rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                out[i] = Fp8E4m3.decode(codes[i]) * scales[r * groups + j / Fp8E4m3.GROUP];
            }
        }
    }
}
