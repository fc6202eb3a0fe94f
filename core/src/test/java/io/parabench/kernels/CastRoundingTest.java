package io.parabench.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bf16 and FP8 e4m3 rounding against values worked out by hand from the bit layouts. */
class CastRoundingTest {

    @Test
    void shouldRoundBf16ToNearestWithTiesToEven() {
        // bf16 keeps 7 mantissa bits: the step above 1 is 2^-7.
        assertEquals(1f, Bf16.round(1f + 0x1p-8f), "tie between 1 and 1+2^-7 goes to even 1");
        assertEquals(1f + 0x1p-6f, Bf16.round(1f + 3 * 0x1p-8f), "tie between 1+2^-7 and 1+2^-6 goes to even 1+2^-6");
        assertEquals(1f + 0x1p-7f, Bf16.round(1f + 0x1p-8f + 0x1p-20f), "just above the tie rounds up");
        assertEquals(1f, Bf16.round(1f + 0x1p-8f - 0x1p-20f), "just below the tie rounds down");
        assertEquals(-2f, Bf16.round(-2f - 0x1p-8f), "sign is kept; a tie goes to even");
        assertEquals(3.140625f, Bf16.round((float) Math.PI), "pi = 0x40490fdb -> 0x40490000");
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.MAX_VALUE), "rounds past the largest bf16");
        assertEquals(Float.NEGATIVE_INFINITY, Bf16.round(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(Bf16.round(Float.intBitsToFloat(0x7f80_0001))), "a NaN with only low payload stays NaN");
        assertEquals(0x8000_0000, Float.floatToRawIntBits(Bf16.round(-0f)));
    }

    @Test
    void shouldRoundBf16InBothTwins() {
        float[] x = new float[33];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1f + i * 0x1p-8f; // every other value is a tie
        }
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            // i·2^-8 in units of 2^-7 is i/2; a tie (odd i) goes to the even neighbour.
            int half = i / 2;
            int units = i % 2 == 0 ? half : (half % 2 == 0 ? half : half + 1);
            expected[i] = 1f + units * 0x1p-7f;
        }
        float[] out = new float[x.length];
        new VectorKernels().roundTripBf16(x, out, x.length);
        assertArrayEquals(expected, out);
        ScalarKernels.INSTANCE.roundTripBf16(x, out, x.length);
        assertArrayEquals(expected, out);
    }

    @Test
    void shouldEncodeE4m3ByHand() {
        assertEquals(0x38, Fp8E4m3.encode(1f), "1.0 = exponent 7 (bias 7), mantissa 0");
        assertEquals(0xb8, Fp8E4m3.encode(-1f));
        assertEquals(0x7e, Fp8E4m3.encode(448f), "largest finite: 1.110b × 2^8");
        assertEquals(0x7e, Fp8E4m3.encode(1000f), "saturates");
        assertEquals(0xfe, Fp8E4m3.encode(Float.NEGATIVE_INFINITY), "saturates, sign kept");
        assertEquals(0x7f, Fp8E4m3.encode(Float.NaN));
        assertEquals(0x38, Fp8E4m3.encode(1.0625f), "tie between 1 and 1.125 goes to even 1");
        assertEquals(0x3a, Fp8E4m3.encode(1.1875f), "tie between 1.125 and 1.25 goes to even 1.25");
        assertEquals(0x40, Fp8E4m3.encode(1.9375f), "tie between 1.875 and 2 carries into the exponent");
        assertEquals(0x08, Fp8E4m3.encode(0x1p-6f), "smallest normal");
        assertEquals(0x01, Fp8E4m3.encode(0x1p-9f), "smallest subnormal");
        assertEquals(0x02, Fp8E4m3.encode(3 * 0x1p-10f), "subnormal tie 1.5 units goes to even 2");
        assertEquals(0x02, Fp8E4m3.encode(5 * 0x1p-10f), "subnormal tie 2.5 units goes to even 2");
        assertEquals(0x00, Fp8E4m3.encode(0x1p-10f), "half the smallest subnormal ties to 0");
        assertEquals(0x08, Fp8E4m3.encode(15 * 0x1p-10f), "7.5 units ties to even 8 = smallest normal");
        assertEquals(0x80, Fp8E4m3.encode(-0f));
    }

    @Test
    void shouldDecodeEveryE4m3Code() {
        assertEquals(448f, Fp8E4m3.decode(0x7e));
        assertEquals(-448f, Fp8E4m3.decode(0xfe));
        assertEquals(0x1p-9f, Fp8E4m3.decode(0x01));
        assertEquals(7 * 0x1p-9f, Fp8E4m3.decode(0x07));
        assertEquals(1.125f, Fp8E4m3.decode(0x39));
        assertTrue(Float.isNaN(Fp8E4m3.decode(0xff)));
        for (int code = 0; code < 256; code++) {
            if ((code & 0x7f) != 0x7f) {
                assertEquals(code, Fp8E4m3.encode(Fp8E4m3.decode(code)), "code " + code + " round-trips");
            }
        }
    }

    @Test
    void shouldScaleEachGroupOf128ChannelsByItsOwnMaximum() {
        // One token, 130 channels: group 0 has max 2, group 1 (2 channels) has max 0.5.
        float[] x = new float[130];
        x[0] = 2f;
        x[1] = 1f;
        x[5] = -0.0078125f; // 2^-7
        x[128] = 0.5f;
        x[129] = -0.25f;
        byte[] codes = new byte[130];
        float[] scales = new float[2];
        new VectorKernels().castFp8E4m3(x, 1, 130, codes, scales);
        assertEquals(2f / 448, scales[0]);
        assertEquals(0.5f / 448, scales[1]);
        assertEquals(0x7e, codes[0] & 0xff, "the group maximum maps to 448");
        assertEquals(0x76, codes[1] & 0xff, "1 × 224 = 1.75 × 2^7 -> exponent 14, mantissa 6");
        assertEquals(0xbe, codes[5] & 0xff, "-2^-7 × 224 = -1.75: sign 0x80 | exponent 7 << 3 | mantissa 6");
        assertEquals(0x7e, codes[128] & 0xff);
        assertEquals(0xf6, codes[129] & 0xff, "-0.25 × 896 = -224");
        float[] back = new float[130];
        new VectorKernels().castBackFp8E4m3(codes, scales, 1, 130, back);
        assertEquals(2f, back[0], 1e-6f);
        assertEquals(1f, back[1], 1e-6f);
        assertEquals(-0.25f, back[129], 1e-7f);
        assertEquals(0f, back[2]);
    }

    /**
     * The vector encoder of scaled groups against {@link Fp8E4m3#encode} on floats of every sign
     * and binade it is given (every sign-exponent pattern up to 448's) with the top 12 mantissa
     * bits enumerated and six low-bit patterns: every e4m3 rounding boundary and tie (they sit
     * at mantissa bit 19 or above), just beside them, 448 and the float just above it. Floats
     * above {@code nextUp(448)} (never in a group scaled by its own finite maximum) become 0.
     * A few million floats, a few hundred ms; the run at every width comes from the
     * kernels-256-bit/128-bit surefire executions. The tail and the body both run: the array
     * length is not a multiple of any vector length.
     */
    @Test
    void shouldEncodeScaledGroupsInLanesAsTheScalarEncoderOnEveryBoundary() {
        int[] low = {0, 1, 0x3ff, 0x400, 0x401, 0x7ff};
        float[] x = new float[4096 * low.length + 3];
        byte[] codes = new byte[x.length];
        float largest = Math.nextUp(Fp8E4m3.MAX);
        for (int signExponent = 0; signExponent < 512; signExponent++) {
            for (int i = 0; i < x.length; i++) {
                int top = (i / low.length) & 0xfff;
                x[i] = Float.intBitsToFloat(signExponent << 23 | top << 11 | low[i % low.length]);
                if (!(Math.abs(x[i]) <= largest)) {
                    x[i] = 0f;
                }
            }
            x[x.length - 1] = signExponent < 256 ? largest : -largest;
            VectorKernels.encodeFiniteScaled(x, 0, x.length, 1f, codes);
            for (int i = 0; i < x.length; i++) {
                if ((codes[i] & 0xff) != Fp8E4m3.encode(x[i])) {
                    assertEquals(Fp8E4m3.encode(x[i]), codes[i] & 0xff,
                            "code of " + x[i] + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(x[i])) + ")");
                }
            }
        }
    }

    @Test
    void shouldGiveAnAllZeroGroupTheFlooredScale() {
        byte[] codes = new byte[3];
        float[] scales = new float[1];
        ScalarKernels.INSTANCE.castFp8E4m3(new float[3], 1, 3, codes, scales);
        assertEquals(1e-4f / 448, scales[0]);
        assertArrayEquals(new byte[3], codes);
    }
}
