package io.parabench.pipeline.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * The weight gradients of one model stage over a step: of the first linear layer (hidden×width)
 * and of the second (width×hidden), each the sum of the per-micro-batch gradients.
 *
 * @param inputWeight  gradient of {@link StageModel#inputWeight}
 * @param outputWeight gradient of {@link StageModel#outputWeight}
 */
public record StageGradients(float[] inputWeight, float[] outputWeight) {

    /**
     * Sums per-micro-batch gradients in micro-batch order, {@code ((g0 + g1) + g2) + …}: a fixed
     * order that does not depend on the schedule, so pipelined and reference sums are bit-equal
     * whenever the per-micro-batch gradients are.
     */
    static float[] sumInMicroBatchOrder(List<float[]> perMicroBatch) {
        float[] sum = perMicroBatch.get(0).clone();
        for (int m = 1; m < perMicroBatch.size(); m++) {
            float[] g = perMicroBatch.get(m);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += g[i];
            }
        }
        return sum;
    }

    /** Largest |this − other| over both gradients (0 when bit-equal up to signed zeros). */
    public double maxAbsDifference(StageGradients other) {
        return Math.max(maxAbs(inputWeight, other.inputWeight), maxAbs(outputWeight, other.outputWeight));
    }

    private static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("gradient lengths (" + a.length + ", " + b.length + ") must match");
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageGradients g && Arrays.equals(inputWeight, g.inputWeight)
                && Arrays.equals(outputWeight, g.outputWeight);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputWeight) + Arrays.hashCode(outputWeight);
    }

    @Override
    public String toString() {
        return "StageGradients[" + inputWeight.length + " + " + outputWeight.length + " elements]";
    }
}
