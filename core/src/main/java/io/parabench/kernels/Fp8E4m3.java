package io.parabench.kernels;

/**
 * The FP8 e4m3 format of NVIDIA Hopper ({@code float8_e4m3fn}): 1 sign, 4 exponent (bias 7) and
 * 3 mantissa bits, no infinities, {@code S.1111.111} is NaN, largest finite value 448, smallest
 * subnormal 2⁻⁹. Encoding rounds to nearest with ties to even and saturates finite values (and
 * infinities) beyond ±448 to ±448, as the {@code cvt.rn.satfinite.e4m3x2.f32} instruction does.
 */
public final class Fp8E4m3 {
    /** Channels sharing one scale in DeepSeek-V3's fine-grained activation quantization. */
    public static final int GROUP = 128;
    /** Largest finite e4m3 value. */
    public static final float MAX = 448f;
    /** Floor of a group's absolute maximum, so an all-zero group gets a finite scale (DeepGEMM). */
    static final float AMAX_FLOOR = 1e-4f;

    static final int NAN_CODE = 0x7f;
    static final int MAX_CODE = 0x7e;
    /** Float bits of 448 and of 2⁻⁶, the smallest normal e4m3 value. */
    static final int MAX_BITS = 0x43e0_0000;
    static final int MIN_NORMAL_BITS = 0x3c80_0000;
    /** 1.5·2²³: adding it to a value below 2²² rounds that value to an integer, ties to even. */
    static final float ROUNDING_MAGIC = 12_582_912f;
    static final int ROUNDING_MAGIC_BITS = 0x4b40_0000;
    /** Exponent bias difference, float (127) minus e4m3 (7), shifted to sit above 3 mantissa bits. */
    static final int REBIAS = 120 << 3;

    private Fp8E4m3() {
    }

    /** The e4m3 code (0..255) nearest to {@code x}. */
    public static int encode(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 24) & 0x80;
        int abs = bits & 0x7fff_ffff;
        if (abs > 0x7f80_0000) {
            return sign | NAN_CODE;
        }
        if (abs >= MAX_BITS) {
            return sign | MAX_CODE;
        }
        if (abs < MIN_NORMAL_BITS) {
            // Subnormal: the code is the value in units of 2^-9, rounded to an integer (0..8; 8 is 2^-6).
            float units = Float.intBitsToFloat(abs) * 512f;
            return sign | (Float.floatToRawIntBits(units + ROUNDING_MAGIC) - ROUNDING_MAGIC_BITS);
        }
        // Normal: round the 23-bit mantissa to 3 bits (ties to even); a carry bumps the exponent.
        int rounded = abs + 0x7_ffff + ((abs >>> 20) & 1);
        return sign | ((rounded >>> 20) - REBIAS);
    }

    /** The value of e4m3 code {@code code} (its low 8 bits). */
    public static float decode(int code) {
        int exponent = (code >>> 3) & 0xf;
        int mantissa = code & 7;
        float value;
        if (exponent == 0xf && mantissa == 7) {
            value = Float.NaN;
        } else if (exponent == 0) {
            value = mantissa * 0x1p-9f;
        } else {
            value = Float.intBitsToFloat(((exponent << 3 | mantissa) + REBIAS) << 20);
        }
        return (code & 0x80) != 0 ? -value : value;
    }
}
