package io.parabench.kernels;

/**
 * {@code exp} and {@code tanh} in float, built only from IEEE-754 basic operations (add,
 * multiply, divide, fused multiply-add, exact integer/exponent steps), which the vector twin
 * repeats lane by lane in the same order.
 *
 * <p>Why not {@code Math.exp} and the Vector API's {@code EXP}/{@code TANH}: those may round
 * differently in the interpreter and after C2 compiles them to platform math stubs, so a
 * result would depend on when in a run it was computed — and the pipeline runtime's bit-for-bit
 * equality with its reference run would depend on JIT timing. Here both twins give the same
 * bits at any time, on any host with the same float semantics (all of Java's).
 *
 * <p>exp: the argument is clamped to [−87, 88] (results stay normal floats), split as
 * x = n·ln2 + r with n = rint(x·log2 e) (the 1.5·2²³ trick) and |r| ≤ ln2/2 (Cody–Waite, two
 * parts of ln 2), e^r by its degree-6 Taylor polynomial in Horner form (truncation below 2e-10
 * relative), and 2ⁿ written into the exponent bits. Error: about 2 ulp. tanh(u) = 1 − 2/(e^{2u}+1):
 * absolute error about 1e-7, which is what GELU's (1 + tanh) needs.
 */
final class ExpMath {
    static final float LOWEST = -87f;
    static final float HIGHEST = 88f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2²³: adding and subtracting it rounds a float of magnitude below 2²² to an integer. */
    static final float ROUNDER = 12582912f;
    static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float C2 = 1f / 2;
    static final float C3 = 1f / 6;
    static final float C4 = 1f / 24;
    static final float C5 = 1f / 120;
    static final float C6 = 1f / 720;

    private ExpMath() {
    }

    static float exp(float x) {
        float c = Math.min(Math.max(x, LOWEST), HIGHEST);
        float shifted = c * LOG2E + ROUNDER;
        float n = shifted - ROUNDER;
        float r = Math.fma(-n, LN2_HI, c);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(C6, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        // n is also the low mantissa bits of `shifted` (its ulp is 1): 2ⁿ without a conversion
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - ROUNDER_BITS + 127) << 23);
    }

    static float tanh(float u) {
        return 1f - 2f / (exp(2f * u) + 1f);
    }
}
