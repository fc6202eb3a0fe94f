package io.parabench.moe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parabench.gpu.DeviceSpec;
import io.parabench.kernels.HostPool;
import org.junit.jupiter.api.Test;

class ReferenceMoeTest {
    /** The layer written out in double precision from its definition, for one token. */
    private static double[] byHand(MoeLayer layer, float[] x, int row) {
        int d = layer.width();
        int h = layer.hidden();
        int experts = layer.experts();
        double[] logits = new double[experts];
        double max = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < experts; e++) {
            for (int j = 0; j < d; j++) {
                logits[e] += (double) layer.router()[e * d + j] * x[row * d + j];
            }
            max = Math.max(max, logits[e]);
        }
        double sum = 0;
        double[] p = new double[experts];
        for (int e = 0; e < experts; e++) {
            p[e] = Math.exp(logits[e] - max);
            sum += p[e];
        }
        boolean[] taken = new boolean[experts];
        double[] out = new double[d];
        for (int r = 0; r < layer.topK(); r++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                if (!taken[e] && (best < 0 || p[e] > p[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            double[] a = new double[h];
            for (int i = 0; i < h; i++) {
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += (double) layer.up(best)[i * d + j] * x[row * d + j];
                }
                a[i] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            }
            for (int j = 0; j < d; j++) {
                double y = 0;
                for (int i = 0; i < h; i++) {
                    y += (double) layer.down(best)[j * h + i] * a[i];
                }
                out[j] += p[best] / sum * y;
            }
        }
        return out;
    }

    @Test
    void matchesTheLayerWrittenOutByHand() {
        MoeLayer layer = new MoeLayer(16, 32, 8, 3, 1.5, 77);
        float[][] x = layer.tokens(2, 5, 13);
        float[][] out = ReferenceMoe.run(layer, x, DeviceSpec.h800(), HostPool.SERIAL);
        for (int g = 0; g < 2; g++) {
            for (int t = 0; t < 5; t++) {
                double[] expected = byHand(layer, x[g], t);
                for (int j = 0; j < 16; j++) {
                    assertEquals(expected[j], out[g][t * 16 + j], 1e-5 * (1 + Math.abs(expected[j])),
                            "gpu " + g + " token " + t + " feature " + j);
                }
            }
        }
    }
}
