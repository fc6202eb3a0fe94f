package io.parabench.kernels;

/**
 * bfloat16 rounding: the upper 16 bits of an IEEE float, rounded to nearest with ties to even,
 * as PyTorch's {@code tensor.to(torch.bfloat16)} does.
 */
public final class Bf16 {
    private Bf16() {
    }

    /** {@code x} rounded to the nearest bfloat16 (ties to even), as a float. NaN stays a quiet NaN. */
    public static float round(float x) {
        return Float.intBitsToFloat(roundBits(Float.floatToRawIntBits(x)));
    }

    /** The float bits of the bfloat16 nearest to the float with bits {@code bits}. */
    static int roundBits(int bits) {
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (bits | 0x0040_0000) & 0xffff_0000; // NaN: keep sign and top payload, make it quiet
        }
        // Adding 0x7fff rounds half down; adding the lowest kept bit on top makes ties go to even.
        return (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff_0000;
    }
}
