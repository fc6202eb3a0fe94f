package io.parabench.pipeline.runtime;

import io.parabench.gpu.DeviceSpec;
import io.parabench.kernels.HostPool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's loss and gradients against a plain double-precision forward and backward of
 * the same two-stage model written out here from the formulas (no emulator, no kernels):
 * {@code H = X·W1ᵀ, A = gelu(H), Y = A·W2ᵀ}, loss {@code mean((Y−T)²)}.
 */
class ReferenceRunTest {
    private static final double C = Math.sqrt(2 / Math.PI);

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(C * (x + 0.044715 * x * x * x)));
    }

    private static double geluGrad(double x) {
        double t = Math.tanh(C * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x);
    }

    /** out[r][o] = Σ_i in[r][i] · w[o][i] (w is outs×ins, row-major). */
    private static double[][] linear(double[][] in, float[] w, int outs) {
        int ins = in[0].length;
        double[][] out = new double[in.length][outs];
        for (int r = 0; r < in.length; r++) {
            for (int o = 0; o < outs; o++) {
                double s = 0;
                for (int i = 0; i < ins; i++) {
                    s += in[r][i] * w[o * ins + i];
                }
                out[r][o] = s;
            }
        }
        return out;
    }

    /** dIn[r][i] = Σ_o dOut[r][o] · w[o][i]. */
    private static double[][] linearBackward(double[][] dOut, float[] w, int ins) {
        int outs = dOut[0].length;
        double[][] dIn = new double[dOut.length][ins];
        for (int r = 0; r < dOut.length; r++) {
            for (int i = 0; i < ins; i++) {
                double s = 0;
                for (int o = 0; o < outs; o++) {
                    s += dOut[r][o] * w[o * ins + i];
                }
                dIn[r][i] = s;
            }
        }
        return dIn;
    }

    /** dW[o][i] += Σ_r dOut[r][o] · in[r][i]. */
    private static void weightGrad(double[][] dOut, double[][] in, double[] dw) {
        int ins = in[0].length;
        for (int r = 0; r < in.length; r++) {
            for (int o = 0; o < dOut[0].length; o++) {
                for (int i = 0; i < ins; i++) {
                    dw[o * ins + i] += dOut[r][o] * in[r][i];
                }
            }
        }
    }

    private static double[][] rows(float[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = flat[r * cols + c];
            }
        }
        return m;
    }

    @Test
    void lossAndGradientsMatchAHandWrittenDoubleBackprop() {
        int stages = 2;
        int d = 6;
        int h = 10;
        int tokens = 3;
        int microBatches = 3;
        StageModel model = new StageModel(stages, d, h, tokens, 99);
        ReferenceRun run = ReferenceRun.run(model, microBatches, DeviceSpec.host(), HostPool.SERIAL);

        double[][] dw1 = new double[stages][h * d];
        double[][] dw2 = new double[stages][d * h];
        double[] expectedLoss = new double[microBatches];
        for (int m = 0; m < microBatches; m++) {
            double[][][] x = new double[stages + 1][][];
            double[][][] pre = new double[stages][][];
            double[][][] act = new double[stages][][];
            x[0] = rows(model.input(m), tokens, d);
            for (int s = 0; s < stages; s++) {
                pre[s] = linear(x[s], model.inputWeight(s), h);
                act[s] = new double[tokens][h];
                for (int r = 0; r < tokens; r++) {
                    for (int j = 0; j < h; j++) {
                        act[s][r][j] = gelu(pre[s][r][j]);
                    }
                }
                x[s + 1] = linear(act[s], model.outputWeight(s), d);
            }
            double[][] target = rows(model.target(m), tokens, d);
            double[][] dy = new double[tokens][d];
            for (int r = 0; r < tokens; r++) {
                for (int c = 0; c < d; c++) {
                    double diff = x[stages][r][c] - target[r][c];
                    expectedLoss[m] += diff * diff / (tokens * d);
                    dy[r][c] = 2 * diff / (tokens * d);
                }
            }
            for (int s = stages - 1; s >= 0; s--) {
                weightGrad(dy, act[s], dw2[s]);
                double[][] dh = linearBackward(dy, model.outputWeight(s), h);
                for (int r = 0; r < tokens; r++) {
                    for (int j = 0; j < h; j++) {
                        dh[r][j] *= geluGrad(pre[s][r][j]);
                    }
                }
                weightGrad(dh, x[s], dw1[s]);
                dy = linearBackward(dh, model.inputWeight(s), d);
            }
        }
        for (int m = 0; m < microBatches; m++) {
            assertEquals(expectedLoss[m], run.losses()[m], 1e-5 * expectedLoss[m], "loss of micro-batch " + m);
        }
        for (int s = 0; s < stages; s++) {
            assertClose(dw1[s], run.gradients().get(s).inputWeight(), "stage " + s + " dW1");
            assertClose(dw2[s], run.gradients().get(s).outputWeight(), "stage " + s + " dW2");
        }
    }

    /** FP32 against double, within 1e-4 of the gradient's largest element. */
    private static void assertClose(double[] expected, float[] actual, String what) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double[] got = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            got[i] = actual[i];
        }
        assertArrayEquals(expected, got, 1e-4 * scale, what);
    }

    @Test
    void rejectsAnEmptyStep() {
        StageModel model = new StageModel(1, 4, 4, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceRun.run(model, 0, DeviceSpec.host(), HostPool.SERIAL));
        assertEquals("micro-batches (0) must be >= 1", e.getMessage());
    }

    @Test
    void modelIsDeterministicAndChecksItsShape() {
        StageModel a = new StageModel(3, 8, 16, 4, 5);
        StageModel b = new StageModel(3, 8, 16, 4, 5);
        assertArrayEquals(a.inputWeight(2), b.inputWeight(2));
        assertArrayEquals(a.target(7), b.target(7));
        float bound = (float) (1 / Math.sqrt(8));
        for (float w : a.inputWeight(0)) {
            assertTrue(Math.abs(w) <= bound);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StageModel(2, 0, 4, 4, 1));
        assertEquals("width (0) must be >= 1", e.getMessage());
    }
}
