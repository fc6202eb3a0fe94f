package io.parabench.pipeline;

import java.util.Arrays;

/**
 * Durations of pipeline operations for the simulator, in abstract time units (the Chrome trace
 * writes one unit as one microsecond).
 *
 * <p>{@code forward}, {@code backward} (full: input and weight gradients), {@code backwardInput}
 * ({@code b}) and {@code weight} ({@code W}) are per-stage costs; an optional per-stage scale
 * makes stages heterogeneous (a first stage with the embedding, a last stage with the loss
 * head). An overlapped {@code F&B} pair takes {@code forwardBackward} when given — it may be
 * less than F + B when overlapping compute with communication helps — else the sum of its two
 * halves. {@code p2p} is added to every dependency that crosses ranks.
 *
 * <p>Immutable.
 */
public final class CostModel {
    private final double forward;
    private final double backward;
    private final double backwardInput;
    private final double weight;
    private final double forwardBackward;
    private final double p2p;
    private final double[] stageScale;

    private CostModel(double forward, double backward, double backwardInput, double weight,
                      double forwardBackward, double p2p, double[] stageScale) {
        requireCost("f", forward);
        requireCost("b", backward);
        requireCost("bi", backwardInput);
        requireCost("w", weight);
        requireCost("p2p", p2p);
        if (!Double.isNaN(forwardBackward)) {
            requireCost("fb", forwardBackward);
        }
        for (int s = 0; s < stageScale.length; s++) {
            if (!(stageScale[s] > 0) || Double.isInfinite(stageScale[s])) {
                throw new IllegalArgumentException("stage-scale[" + s + "] (" + stageScale[s] + ") must be a finite number > 0");
            }
        }
        this.forward = forward;
        this.backward = backward;
        this.backwardInput = backwardInput;
        this.weight = weight;
        this.forwardBackward = forwardBackward;
        this.p2p = p2p;
        this.stageScale = stageScale;
    }

    private static void requireCost(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a finite duration >= 0");
        }
    }

    /**
     * Uniform costs.
     *
     * @param forwardBackward the overlapped pair's duration, or {@code NaN} for F + B
     */
    public static CostModel of(double forward, double backward, double backwardInput, double weight,
                               double forwardBackward, double p2p) {
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, new double[0]);
    }

    /** The same costs with stage {@code s} of every flow scaled by {@code scale[s]}. */
    public CostModel withStageScale(double... scale) {
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, scale.clone());
    }

    /**
     * The same model with every compute duration (F, B, b, W, F&B) multiplied by
     * {@code factor}; p2p latency and stage scales are kept. Used to compare schedules that cut
     * a rank's share of the model into more stages (DualPipeV: 2, interleaved: v) with ones
     * that do not.
     */
    public CostModel scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("cost scale factor (" + factor + ") must be a finite number > 0");
        }
        return new CostModel(forward * factor, backward * factor, backwardInput * factor, weight * factor,
                forwardBackward * factor, p2p, stageScale);
    }

    double scale(int stage) {
        if (stageScale.length == 0) {
            return 1.0;
        }
        if (stage >= stageScale.length) {
            throw new IllegalArgumentException("stage-scale has " + stageScale.length
                    + " entries; the schedule has stage " + stage + " (give one per stage)");
        }
        return stageScale[stage];
    }

    double forward(int stage) {
        return forward * scale(stage);
    }

    double backward(int stage) {
        return backward * scale(stage);
    }

    double backwardInput(int stage) {
        return backwardInput * scale(stage);
    }

    double weight(int stage) {
        return weight * scale(stage);
    }

    /**
     * The overlapped pair of a forward on {@code forwardStage} and a backward on
     * {@code backwardStage}: F + B of those stages, or the given F&B duration scaled like its
     * halves, {@code F&B × (F·s_f + B·s_b) ÷ (F + B)}, so that a stage scale applies to pairs as
     * it does to every other op (with equal scales s it is {@code F&B × s}).
     */
    double pair(int forwardStage, int backwardStage) {
        if (Double.isNaN(forwardBackward)) {
            return forward(forwardStage) + backward(backwardStage);
        }
        double halves = forward + backward;
        if (halves == 0) {
            return forwardBackward * (scale(forwardStage) + scale(backwardStage)) / 2;
        }
        return forwardBackward * (forward(forwardStage) + backward(backwardStage)) / halves;
    }

    public double p2p() {
        return p2p;
    }

    @Override
    public String toString() {
        return "CostModel[f=" + forward + ", B=" + backward + ", b=" + backwardInput + ", W=" + weight
                + ", F&B=" + (Double.isNaN(forwardBackward) ? "F+B" : forwardBackward) + ", p2p=" + p2p
                + (stageScale.length == 0 ? "" : ", stageScale=" + Arrays.toString(stageScale)) + "]";
    }
}
