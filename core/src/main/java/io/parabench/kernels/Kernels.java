package io.parabench.kernels;

/**
 * The numerical kernels of the emulated GPU, on row-major {@code float} arrays.
 *
 * <p>Two final implementations exist, after Lucene's Panama vectorization: {@link ScalarKernels},
 * plain loops that serve as the reference and as the fallback, and a Vector API twin chosen once
 * per process by {@link KernelProvider}. Both give identical bits where the operation order is
 * the same (GEMM, add, scale, fma, max, top-k, the casts); where the vector twin reassociates a
 * reduction or uses a different but equally accurate formula, the bound is stated on the method.
 *
 * <p>Both implementations check arguments before any work starts: a negative size or a too-short
 * array is an {@link IllegalArgumentException} naming the parameter, its value and the rule.
 * Outputs may alias inputs of the same shape for elementwise kernels.
 */
public interface Kernels {

    /** {@code "vector"} or {@code "scalar"}, with the vector width for the former. */
    String name();

    /**
     * {@code C[m×n] = A·B} (or {@code C += A·B} when {@code accumulate}), A being m×k and B k×n
     * as stored per {@code layout}. Each element is one FMA chain in increasing reduction index:
     * both twins give identical bits, for every thread count of {@code pool}.
     */
    void gemm(HostPool pool, GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
              boolean accumulate);

    /**
     * W ({@code n×k}, out × in, row-major as a linear layer stores it) packed once for
     * {@link #gemm(HostPool, int, float[], PackedWeight, float[], boolean)}: see {@link PackedWeight}.
     * Either twin's packing serves both twins' product.
     */
    PackedWeight packWeight(int n, int k, float[] w);

    /**
     * {@code Y[m×n] = X·Wᵀ} (or {@code Y += X·Wᵀ} when {@code accumulate}), X stored {@code m×k},
     * with W packed by {@link #packWeight}: the {@link GemmLayout#FORWARD} product, for decode and
     * small micro-batches, reading W as one stream. Each element is one FMA chain in increasing
     * reduction index, so the bits equal {@link #gemm(HostPool, GemmLayout, int, int, int, float[], float[], float[], boolean)}'s
     * on the unpacked W, in both twins and for every thread count. Correct for every m; made for
     * decode and micro-batches (2048×2048 W, one thread, one JVM: 1.0× the unpacked GEMM at m =
     * 16 and 32, 1.6× at 64, 0.88× at 256, where the unpacked GEMM's register tiles win).
     */
    void gemm(HostPool pool, int m, float[] x, PackedWeight w, float[] y, boolean accumulate);

    /** {@code out[i] = a[i] + b[i]}; exact in both twins. */
    void add(float[] a, float[] b, float[] out, int n);

    /** {@code out[i] = a[i] * s}; exact in both twins. */
    void scale(float[] a, float s, float[] out, int n);

    /** {@code out[i] = fma(a[i], b[i], c[i])}, one rounding; exact in both twins. */
    void fma(float[] a, float[] b, float[] c, float[] out, int n);

    /**
     * GELU, tanh approximation: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, tanh from
     * {@link ExpMath} (absolute error about 1e-7). The twins share formula, order and tanh, so
     * they agree bit for bit, and no JIT state can change the result.
     */
    void geluTanh(float[] x, float[] out, int n);

    /** Gradient of {@link #geluTanh}: {@code dx[i] = dy[i] · gelu'(x[i])}; the twins agree bit for bit. */
    void geluTanhBackward(float[] x, float[] dy, float[] dx, int n);

    /**
     * Exact GELU {@code 0.5·x·(1 + erf(x/√2))}, erf by Abramowitz &amp; Stegun 7.1.26 (absolute
     * error ≤ 1.5e-7) with {@link ExpMath#exp}; the twins agree bit for bit.
     */
    void geluErf(float[] x, float[] out, int n);

    /** Gradient of {@link #geluErf}: {@code dy · (Φ(x) + x·φ(x))}; the twins agree bit for bit. */
    void geluErfBackward(float[] x, float[] dy, float[] dx, int n);

    /** Sum of each row of {@code x[rows×cols]}; the vector twin sums in lanes: within {@code cols · ulp(Σ|x|)}. */
    void rowSum(float[] x, int rows, int cols, float[] out);

    /** Maximum of each row; exact in both twins ({@code -Infinity} for an empty row). */
    void rowMax(float[] x, int rows, int cols, float[] out);

    /**
     * Mean squared error {@code Σ(p − t)² / n}, accumulated with FMAs in float; the vector twin
     * accumulates in lanes: within {@code n · ulp(result)} (all terms are non-negative).
     */
    float mseLoss(float[] prediction, float[] target, int n);

    /** Gradient of {@link #mseLoss}: {@code grad[i] = (2/n)·(p[i] − t[i])}; exact in both twins. */
    void mseGrad(float[] prediction, float[] target, float[] grad, int n);

    /**
     * Row-wise softmax with the maximum subtracted first, exp from {@link ExpMath} (the same bits
     * in both twins). The vector twin sums in lanes: within {@code cols} ulp of the scalar twin
     * per element.
     */
    void softmax(float[] x, int rows, int cols, float[] out);

    /**
     * The {@code k} largest values of each row, in descending order, ties to the lower column
     * (MoE routing); {@code indices} and {@code values} are rows×k. Scores must not be NaN.
     * Exact in both twins.
     */
    void topK(float[] x, int rows, int cols, int k, int[] indices, float[] values);

    /**
     * Rounds each value to bfloat16 (round to nearest, ties to even; NaN stays NaN, infinities
     * stay) and back to float. Exact in both twins.
     */
    void roundTripBf16(float[] x, float[] out, int n);

    /**
     * Per-token FP8 e4m3 cast with one scale per 128 channels, as DeepSeek-V3 trains (DeepGEMM's
     * {@code per_token_cast_to_fp8}): for each row and each group of 128 columns,
     * {@code amax = max(max|x|, 1e-4)}, codes = e4m3(x · (448 / amax)), scale = amax / 448.
     * {@code codes} is rows×cols, {@code scales} rows×⌈cols/128⌉. Exact in both twins.
     */
    void castFp8E4m3(float[] x, int rows, int cols, byte[] codes, float[] scales);

    /** The inverse of {@link #castFp8E4m3}: {@code out = e4m3 value × scale}; exact in both twins. */
    void castBackFp8E4m3(byte[] codes, float[] scales, int rows, int cols, float[] out);
}
