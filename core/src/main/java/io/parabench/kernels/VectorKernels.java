package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link ScalarKernels}. Every loop is a vector body over whole vectors of
 * {@link FloatVector#SPECIES_PREFERRED} followed by a scalar tail that computes exactly what the
 * scalar twin computes, so short arrays (below one vector) take the scalar path entirely.
 *
 * <p>One species per process: JDK 17 fails to intrinsify a kernel when two vector widths meet
 * in one process (measured here: 60× slower), so only the preferred shape is used, also for the
 * int views of the bit-level casts. Loaded reflectively by {@link KernelProvider} only when
 * {@code jdk.incubator.vector} is readable. Thread-safe and stateless.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    VectorKernels() {
        if (I.length() != V) {
            throw new IllegalStateException("int and float species differ in shape: " + I + " vs " + S);
        }
    }

    @Override
    public String name() {
        return "vector " + S.vectorBitSize() + "-bit";
    }

    @Override
    public void gemm(HostPool pool, GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
                     boolean accumulate) {
        KernelChecks.gemm(pool, layout, m, n, k, a, b, c);
        VectorGemm.gemm(pool, layout, m, n, k, a, b, c, accumulate);
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int n) {
        KernelChecks.elementwise("add", "a b out", n, a, b, out);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void scale(float[] a, float s, float[] out, int n) {
        KernelChecks.elementwise("scale", "a out", n, a, out);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector.fromArray(S, a, i).mul(s).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] * s;
        }
    }

    @Override
    public void fma(float[] a, float[] b, float[] c, float[] out, int n) {
        KernelChecks.elementwise("fma", "a b c out", n, a, b, c, out);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector.fromArray(S, a, i).fma(FloatVector.fromArray(S, b, i), FloatVector.fromArray(S, c, i))
                    .intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Math.fma(a[i], b[i], c[i]);
        }
    }

    @Override
    public void geluTanh(float[] x, float[] out, int n) {
        KernelChecks.elementwise("geluTanh", "x out", n, x, out);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector u = v.mul(Gelu.CUBIC).fma(v.mul(v), v).mul(Gelu.SQRT_2_OVER_PI);
            FloatVector t = tanh(u);
            v.mul(0.5f).mul(t.add(1f)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Gelu.tanhForm(x[i]);
        }
    }

    @Override
    public void geluTanhBackward(float[] x, float[] dy, float[] dx, int n) {
        KernelChecks.elementwise("geluTanhBackward", "x dy dx", n, x, dy, dx);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector v2 = v.mul(v);
            FloatVector u = v.mul(Gelu.CUBIC).fma(v2, v).mul(Gelu.SQRT_2_OVER_PI);
            FloatVector t = tanh(u);
            FloatVector du = v2.fma(Gelu.CUBIC3, 1f).mul(Gelu.SQRT_2_OVER_PI);
            FloatVector half = t.add(1f).mul(0.5f);
            FloatVector oneMinusT2 = t.neg().fma(t, FloatVector.broadcast(S, 1f));
            FloatVector d = v.mul(0.5f).mul(oneMinusT2).fma(du, half);
            FloatVector.fromArray(S, dy, i).mul(d).intoArray(dx, i);
        }
        for (; i < n; i++) {
            dx[i] = dy[i] * Gelu.tanhFormGrad(x[i]);
        }
    }

    @Override
    public void geluErf(float[] x, float[] out, int n) {
        KernelChecks.elementwise("geluErf", "x out", n, x, out);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector z = v.mul(Gelu.INV_SQRT2);
            FloatVector g = exp(z.mul(z).neg());
            FloatVector erf = erf(z, g);
            v.mul(0.5f).mul(erf.add(1f)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Gelu.erfForm(x[i]);
        }
    }

    @Override
    public void geluErfBackward(float[] x, float[] dy, float[] dx, int n) {
        KernelChecks.elementwise("geluErfBackward", "x dy dx", n, x, dy, dx);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector z = v.mul(Gelu.INV_SQRT2);
            FloatVector g = exp(z.mul(z).neg());
            FloatVector cdf = erf(z, g).add(1f).mul(0.5f);
            FloatVector d = v.mul(Gelu.INV_SQRT_2PI).fma(g, cdf);
            FloatVector.fromArray(S, dy, i).mul(d).intoArray(dx, i);
        }
        for (; i < n; i++) {
            dx[i] = dy[i] * Gelu.erfFormGrad(x[i]);
        }
    }

    /** erf(z) given e^(−z²), in the operation order of {@link Gelu#erfAbs} and {@link Math#copySign}. */
    private static FloatVector erf(FloatVector z, FloatVector expMinusZ2) {
        FloatVector a = z.abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(a.fma(Gelu.P, 1f));
        FloatVector poly = t.fma(Gelu.A5, Gelu.A4).fma(t, FloatVector.broadcast(S, Gelu.A3))
                .fma(t, FloatVector.broadcast(S, Gelu.A2)).fma(t, FloatVector.broadcast(S, Gelu.A1)).mul(t);
        FloatVector e = poly.neg().fma(expMinusZ2, FloatVector.broadcast(S, 1f));
        IntVector sign = z.reinterpretAsInts().and(0x8000_0000);
        return e.reinterpretAsInts().and(0x7fff_ffff).or(sign).reinterpretAsFloats();
    }

    @Override
    public void rowSum(float[] x, int rows, int cols, float[] out) {
        KernelChecks.matrix("rowSum x", x, rows, cols);
        KernelChecks.length("rowSum out", out, rows);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < bound; j += V) {
                acc = acc.add(FloatVector.fromArray(S, x, base + j));
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; j < cols; j++) {
                sum += x[base + j];
            }
            out[r] = sum;
        }
    }

    @Override
    public void rowMax(float[] x, int rows, int cols, float[] out) {
        KernelChecks.matrix("rowMax x", x, rows, cols);
        KernelChecks.length("rowMax out", out, rows);
        for (int r = 0; r < rows; r++) {
            out[r] = max(x, r * cols, cols);
        }
    }

    private static float max(float[] x, int base, int cols) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += V) {
            acc = acc.max(FloatVector.fromArray(S, x, base + j));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; j < cols; j++) {
            max = Math.max(max, x[base + j]);
        }
        return max;
    }

    @Override
    public float mseLoss(float[] prediction, float[] target, int n) {
        KernelChecks.elementwise("mseLoss", "prediction target", n, prediction, target);
        if (n == 0) {
            throw new IllegalArgumentException("mseLoss n (0) must be >= 1");
        }
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector d = FloatVector.fromArray(S, prediction, i).sub(FloatVector.fromArray(S, target, i));
            acc = d.fma(d, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = prediction[i] - target[i];
            sum = Math.fma(d, d, sum);
        }
        return sum / n;
    }

    @Override
    public void mseGrad(float[] prediction, float[] target, float[] grad, int n) {
        KernelChecks.elementwise("mseGrad", "prediction target grad", n, prediction, target, grad);
        float factor = 2f / n;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector.fromArray(S, prediction, i).sub(FloatVector.fromArray(S, target, i)).mul(factor)
                    .intoArray(grad, i);
        }
        for (; i < n; i++) {
            grad[i] = (prediction[i] - target[i]) * factor;
        }
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] out) {
        KernelChecks.matrix("softmax x", x, rows, cols);
        KernelChecks.length("softmax out", out, (long) rows * cols);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = max(x, base, cols);
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < bound; j += V) {
                FloatVector e = exp(FloatVector.fromArray(S, x, base + j).sub(max));
                e.intoArray(out, base + j);
                acc = acc.add(e);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; j < cols; j++) {
                float e = ExpMath.exp(x[base + j] - max);
                out[base + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            j = 0;
            for (; j < bound; j += V) {
                FloatVector.fromArray(S, out, base + j).mul(inv).intoArray(out, base + j);
            }
            for (; j < cols; j++) {
                out[base + j] *= inv;
            }
        }
    }

    /**
     * k passes of a vector max over a scratch copy of the row, each followed by a search for the
     * first column holding it; a chosen column is overwritten with -∞. Only when the maximum left
     * is -∞ itself (a row of -∞ scores) is the pick ambiguous, and then the scalar rule decides.
     * O(k·cols), fine for MoE routing (k ≤ 8 of a few hundred experts).
     */
    @Override
    public void topK(float[] x, int rows, int cols, int k, int[] indices, float[] values) {
        KernelChecks.topK(x, rows, cols, k, indices, values);
        float[] scratch = new float[cols];
        boolean[] taken = new boolean[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            System.arraycopy(x, base, scratch, 0, cols);
            java.util.Arrays.fill(taken, false);
            for (int s = 0; s < k; s++) {
                float best = max(scratch, 0, cols);
                int at = best == Float.NEGATIVE_INFINITY ? firstUntaken(taken) : firstEqual(scratch, cols, best);
                taken[at] = true;
                scratch[at] = Float.NEGATIVE_INFINITY;
                indices[r * k + s] = at;
                values[r * k + s] = x[base + at];
            }
        }
    }

    private static int firstUntaken(boolean[] taken) {
        int j = 0;
        while (taken[j]) {
            j++;
        }
        return j;
    }

    private static int firstEqual(float[] row, int cols, float value) {
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += V) {
            VectorMask<Float> hit = FloatVector.fromArray(S, row, j).compare(VectorOperators.EQ, value);
            if (hit.anyTrue()) {
                return j + hit.firstTrue();
            }
        }
        while (row[j] != value) {
            j++;
        }
        return j;
    }

    @Override
    public void roundTripBf16(float[] x, float[] out, int n) {
        KernelChecks.elementwise("roundTripBf16", "x out", n, x, out);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            IntVector bits = FloatVector.fromArray(S, x, i).reinterpretAsInts();
            IntVector lowestKept = bits.lanewise(VectorOperators.LSHR, 16).and(1);
            IntVector rounded = bits.add(0x7fff).add(lowestKept).and(0xffff_0000);
            IntVector quietNan = bits.or(0x0040_0000).and(0xffff_0000);
            VectorMask<Integer> nan = bits.and(0x7fff_ffff).compare(VectorOperators.GT, 0x7f80_0000);
            rounded.blend(quietNan, nan).reinterpretAsFloats().intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Bf16.round(x[i]);
        }
    }

    @Override
    public void castFp8E4m3(float[] x, int rows, int cols, byte[] codes, float[] scales) {
        KernelChecks.matrix("castFp8E4m3 x", x, rows, cols);
        KernelChecks.length("castFp8E4m3 codes", codes, (long) rows * cols);
        int groups = KernelChecks.scaleGroups(cols);
        KernelChecks.length("castFp8E4m3 scales", scales, (long) rows * groups);
        int[] lanes = new int[V];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                int from = r * cols + g * Fp8E4m3.GROUP;
                int len = Math.min(cols, (g + 1) * Fp8E4m3.GROUP) - g * Fp8E4m3.GROUP;
                float amax = absMax(x, from, len);
                float mul = Fp8E4m3.MAX / amax;
                int i = 0;
                for (int bound = S.loopBound(len); i < bound; i += V) {
                    encode(FloatVector.fromArray(S, x, from + i).mul(mul)).intoArray(lanes, 0);
                    for (int l = 0; l < V; l++) {
                        codes[from + i + l] = (byte) lanes[l];
                    }
                }
                for (; i < len; i++) {
                    codes[from + i] = (byte) Fp8E4m3.encode(x[from + i] * mul);
                }
                scales[r * groups + g] = amax / Fp8E4m3.MAX;
            }
        }
    }

    private static float absMax(float[] x, int from, int len) {
        FloatVector acc = FloatVector.broadcast(S, Fp8E4m3.AMAX_FLOOR);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += V) {
            acc = acc.max(FloatVector.fromArray(S, x, from + i).abs());
        }
        float amax = acc.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            amax = Math.max(amax, Math.abs(x[from + i]));
        }
        return amax;
    }

    /** {@link Fp8E4m3#encode} in lanes: both roundings are computed and the right one blended in. */
    private static IntVector encode(FloatVector y) {
        IntVector bits = y.reinterpretAsInts();
        IntVector sign = bits.lanewise(VectorOperators.LSHR, 24).and(0x80);
        IntVector abs = bits.and(0x7fff_ffff);
        IntVector subnormal = abs.reinterpretAsFloats().mul(512f).add(Fp8E4m3.ROUNDING_MAGIC)
                .reinterpretAsInts().sub(Fp8E4m3.ROUNDING_MAGIC_BITS);
        IntVector normal = abs.add(0x7_ffff).add(abs.lanewise(VectorOperators.LSHR, 20).and(1))
                .lanewise(VectorOperators.LSHR, 20).sub(Fp8E4m3.REBIAS);
        IntVector code = normal.blend(subnormal, abs.compare(VectorOperators.LT, Fp8E4m3.MIN_NORMAL_BITS));
        code = code.blend(Fp8E4m3.MAX_CODE, abs.compare(VectorOperators.GE, Fp8E4m3.MAX_BITS));
        code = code.blend(Fp8E4m3.NAN_CODE, abs.compare(VectorOperators.GT, 0x7f80_0000));
        return code.or(sign);
    }

    @Override
    public void castBackFp8E4m3(byte[] codes, float[] scales, int rows, int cols, float[] out) {
        KernelChecks.size("castBackFp8E4m3 rows", rows);
        KernelChecks.size("castBackFp8E4m3 cols", cols);
        KernelChecks.length("castBackFp8E4m3 codes", codes, (long) rows * cols);
        int groups = KernelChecks.scaleGroups(cols);
        KernelChecks.length("castBackFp8E4m3 scales", scales, (long) rows * groups);
        KernelChecks.length("castBackFp8E4m3 out", out, (long) rows * cols);
        int[] lanes = new int[V];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                int from = r * cols + g * Fp8E4m3.GROUP;
                int len = Math.min(cols, (g + 1) * Fp8E4m3.GROUP) - g * Fp8E4m3.GROUP;
                float scale = scales[r * groups + g];
                int i = 0;
                for (int bound = S.loopBound(len); i < bound; i += V) {
                    for (int l = 0; l < V; l++) {
                        lanes[l] = codes[from + i + l] & 0xff;
                    }
                    decode(IntVector.fromArray(I, lanes, 0)).mul(scale).intoArray(out, from + i);
                }
                for (; i < len; i++) {
                    out[from + i] = Fp8E4m3.decode(codes[from + i]) * scale;
                }
            }
        }
    }

    /**
     * {@link Fp8E4m3#decode} in lanes, all in the int domain (mask casts between int and float
     * species are slow on JDK 17): normal and subnormal magnitudes are both built, blended, and
     * the sign bit ORed in, which is what negation does to a float.
     */
    private static FloatVector decode(IntVector code) {
        IntVector magnitude = code.and(0x7f);
        IntVector normal = magnitude.add(Fp8E4m3.REBIAS).lanewise(VectorOperators.LSHL, 20);
        IntVector subnormal = ((FloatVector) code.and(7).convert(VectorOperators.I2F, 0)).mul(0x1p-9f).reinterpretAsInts();
        IntVector bits = normal.blend(subnormal, magnitude.compare(VectorOperators.LT, 8))
                .blend(Float.floatToRawIntBits(Float.NaN), magnitude.compare(VectorOperators.EQ, Fp8E4m3.NAN_CODE));
        return bits.or(code.and(0x80).lanewise(VectorOperators.LSHL, 24)).reinterpretAsFloats();
    }

    /** {@link ExpMath#exp} lane by lane, in the same operations and order. */
    private static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(ExpMath.LOWEST).min(ExpMath.HIGHEST);
        FloatVector shifted = c.mul(ExpMath.LOG2E).add(ExpMath.ROUNDER);
        FloatVector n = shifted.sub(ExpMath.ROUNDER);
        FloatVector minusN = n.neg();
        FloatVector r = minusN.fma(FloatVector.broadcast(S, ExpMath.LN2_HI), c);
        r = minusN.fma(FloatVector.broadcast(S, ExpMath.LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, ExpMath.C6).fma(r, FloatVector.broadcast(S, ExpMath.C5));
        p = p.fma(r, FloatVector.broadcast(S, ExpMath.C4));
        p = p.fma(r, FloatVector.broadcast(S, ExpMath.C3));
        p = p.fma(r, FloatVector.broadcast(S, ExpMath.C2));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        // n sits in the low mantissa bits of `shifted`: reinterpreting avoids a float-to-int
        // conversion, which is not intrinsified for every vector width on JDK 17
        IntVector bits = shifted.reinterpretAsInts().sub(ExpMath.ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** {@link ExpMath#tanh} lane by lane. */
    private static FloatVector tanh(FloatVector u) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        return one.sub(FloatVector.broadcast(S, 2f).div(exp(u.mul(2f)).add(one)));
    }
}
