package io.parabench.eplb;

/**
 * Checks and converts per-layer expert loads ({@code [layers][experts]}, tokens routed to
 * each logical expert). Loads are float32, as the reference converts them
 * ({@code weight.float()}); every balancer checks its input here before any work starts.
 */
public final class ExpertLoads {
    private ExpertLoads() {
    }

    /**
     * Checks that the loads form a non-empty rectangle of finite, non-negative numbers.
     *
     * @return the number of experts (the row length)
     * @throws IllegalArgumentException naming the first offending row or value
     */
    public static int check(float[][] loads) {
        if (loads == null || loads.length == 0) {
            throw new IllegalArgumentException("loads must have at least one layer");
        }
        int experts = loads[0] == null ? 0 : loads[0].length;
        if (experts == 0) {
            throw new IllegalArgumentException("loads row 0 must have at least one expert");
        }
        for (int l = 0; l < loads.length; l++) {
            float[] row = loads[l];
            if (row == null || row.length != experts) {
                throw new IllegalArgumentException("loads row " + l + " length (" + (row == null ? 0 : row.length)
                        + ") must equal row 0 length (" + experts + "): rows must not be ragged");
            }
            for (int e = 0; e < experts; e++) {
                float v = row[e];
                if (!(v >= 0f) || v == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("load of layer " + l + " expert " + e + " (" + v
                            + ") must be finite and >= 0");
                }
            }
        }
        return experts;
    }

    /** Rounds double loads to float32 (round to nearest, like {@code torch.Tensor.float()}). */
    public static float[][] toFloat32(double[][] loads) {
        if (loads == null) {
            throw new IllegalArgumentException("loads must not be null");
        }
        float[][] out = new float[loads.length][];
        for (int l = 0; l < loads.length; l++) {
            if (loads[l] == null) {
                throw new IllegalArgumentException("loads row " + l + " must not be null");
            }
            out[l] = new float[loads[l].length];
            for (int e = 0; e < loads[l].length; e++) {
                out[l][e] = (float) loads[l][e];
            }
        }
        return out;
    }

    /** Checks that the loads fit a cluster shape (see {@link ClusterShape#checkExperts}). */
    public static int check(float[][] loads, ClusterShape shape) {
        int experts = check(loads);
        shape.checkExperts(experts);
        return experts;
    }
}
