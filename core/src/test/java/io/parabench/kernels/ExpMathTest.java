package io.parabench.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic exp/tanh: accurate against {@code StrictMath} in double, and the vector
 * twin's transcendental kernels now agree with the scalar twin bit for bit (they used to differ
 * by a few ulp, and by JIT state).
 */
class ExpMathTest {

    @Test
    void expShouldStayWithinThreeUlpOfTheExactValue() {
        for (float x = -87f; x <= 88f; x += 0.0137f) {
            double exact = StrictMath.exp(x);
            float got = ExpMath.exp(x);
            assertTrue(Math.abs(got - exact) <= 3 * Math.ulp((float) exact), "exp(" + x + ") = " + got + " vs " + exact);
        }
        assertEquals(1f, ExpMath.exp(0f));
        assertEquals(ExpMath.exp(-87f), ExpMath.exp(-1000f), "clamped below: stays a normal float");
        assertTrue(Float.isFinite(ExpMath.exp(1000f)), "clamped above: no overflow");
    }

    @Test
    void tanhShouldStayWithinTwoTenMillionthsAbsolute() {
        for (float u = -20f; u <= 20f; u += 0.00731f) {
            assertEquals(StrictMath.tanh(u), ExpMath.tanh(u), 2e-7, "tanh(" + u + ")");
        }
        assertEquals(1f, ExpMath.tanh(100f));
        assertEquals(-1f, ExpMath.tanh(-100f));
    }

    @Test
    void vectorTwinShouldMatchTheScalarTwinBitForBitOnTranscendentalKernels() {
        Kernels scalar = ScalarKernels.INSTANCE;
        Kernels vector = new VectorKernels();
        Random random = new Random(11);
        for (int n : new int[]{1, 7, 16, 131, 4099}) {
            float[] x = new float[n];
            float[] dy = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (random.nextGaussian() * 4);
                dy[i] = (float) random.nextGaussian();
            }
            float[] a = new float[n];
            float[] b = new float[n];
            scalar.geluTanh(x, a, n);
            vector.geluTanh(x, b, n);
            assertArrayEquals(a, b, "geluTanh n=" + n);
            scalar.geluTanhBackward(x, dy, a, n);
            vector.geluTanhBackward(x, dy, b, n);
            assertArrayEquals(a, b, "geluTanhBackward n=" + n);
            scalar.geluErf(x, a, n);
            vector.geluErf(x, b, n);
            assertArrayEquals(a, b, "geluErf n=" + n);
            scalar.geluErfBackward(x, dy, a, n);
            vector.geluErfBackward(x, dy, b, n);
            assertArrayEquals(a, b, "geluErfBackward n=" + n);
        }
    }
}
