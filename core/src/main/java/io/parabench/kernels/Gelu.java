package io.parabench.kernels;

/**
 * Constants and the erf approximation shared by both GELU twins, so both evaluate the same
 * formula in the same order; {@code exp} and {@code tanh} come from {@link ExpMath}, which the
 * vector twin repeats lane by lane, so the twins agree bit for bit.
 */
final class Gelu {
    /** √(2/π), the tanh form's scale. */
    static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    static final float CUBIC = 0.044715f;
    /** 3 × 0.044715, the derivative of the cubic term. */
    static final float CUBIC3 = 0.134145f;
    static final float INV_SQRT2 = 0.7071067811865476f;
    /** 1/√(2π), the normal density's factor. */
    static final float INV_SQRT_2PI = 0.3989422804014327f;

    /*
     * erf by Abramowitz & Stegun 7.1.26: erf(z) = 1 − (a1·t + … + a5·t⁵)·e^(−z²), t = 1/(1 + p·z),
     * for z ≥ 0; absolute error ≤ 1.5e-7, about one float ulp near 1. Java has no erf, and a
     * rational form with a single exp vectorizes without branches.
     */
    static final float P = 0.3275911f;
    static final float A1 = 0.254829592f;
    static final float A2 = -0.284496736f;
    static final float A3 = 1.421413741f;
    static final float A4 = -1.453152027f;
    static final float A5 = 1.061405429f;

    private Gelu() {
    }

    /** erf(|z|) by A&amp;S 7.1.26 with Horner steps as FMAs (the vector twin does the same). */
    static float erfAbs(float z, float expMinusZ2) {
        float a = Math.abs(z);
        float t = 1f / Math.fma(P, a, 1f);
        float poly = Math.fma(Math.fma(Math.fma(Math.fma(A5, t, A4), t, A3), t, A2), t, A1) * t;
        return Math.fma(-poly, expMinusZ2, 1f);
    }

    /** GELU, tanh form, of one value; the vector twin's tail and the scalar twin share it. */
    static float tanhForm(float v) {
        float u = SQRT_2_OVER_PI * Math.fma(CUBIC * v, v * v, v);
        float t = ExpMath.tanh(u);
        return 0.5f * v * (1f + t);
    }

    /** Derivative of the tanh form at {@code v}. */
    static float tanhFormGrad(float v) {
        float v2 = v * v;
        float u = SQRT_2_OVER_PI * Math.fma(CUBIC * v, v2, v);
        float t = ExpMath.tanh(u);
        float du = SQRT_2_OVER_PI * Math.fma(CUBIC3, v2, 1f);
        float half = 0.5f * (1f + t);
        return Math.fma(0.5f * v * Math.fma(-t, t, 1f), du, half);
    }

    /** Exact (erf) GELU of one value. */
    static float erfForm(float v) {
        float z = v * INV_SQRT2;
        float erf = Math.copySign(erfAbs(z, ExpMath.exp(-(z * z))), z);
        return 0.5f * v * (1f + erf);
    }

    /** Derivative of the erf form at {@code v}: Φ(v) + v·φ(v). */
    static float erfFormGrad(float v) {
        float z = v * INV_SQRT2;
        float g = ExpMath.exp(-(z * z)); // e^(-v²/2), shared by erf and the density
        float cdf = 0.5f * (1f + Math.copySign(erfAbs(z, g), z));
        return Math.fma(v * INV_SQRT_2PI, g, cdf);
    }
}
