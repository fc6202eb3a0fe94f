package io.parabench.pipeline.runtime;

import java.util.SplittableRandom;

/**
 * The model a pipeline trains: {@code stages} identical-shaped stages, each a bias-free
 * {@code Linear(width→hidden)}, a tanh GELU and a bias-free {@code Linear(hidden→width)}, FP32,
 * as the layers of the real 4×H200 traces. Weights, micro-batch inputs and loss targets all come
 * from one seed, so a pipelined run and the {@link ReferenceRun} see the same numbers.
 *
 * <p>Weights are PyTorch's {@code nn.Linear} default, uniform in ±1/√fan_in; inputs and targets
 * are uniform in [-1, 1). Weights are stored as {@code GemmLayout.FORWARD} wants them:
 * {@code inputWeight} is hidden×width, {@code outputWeight} width×hidden, row-major.
 *
 * <p>Immutable; the arrays handed out are copies.
 */
public final class StageModel {
    private final int stages;
    private final int width;
    private final int hidden;
    private final int tokens;
    private final long seed;
    /** Null for a shape-only model (timing-only runs): no weights, inputs or targets. */
    private final float[][] inputWeights;
    private final float[][] outputWeights;

    /**
     * @param stages model stages (the stages of one flow of the schedule's layout)
     * @param width  model width d
     * @param hidden hidden width h of the GELU layer
     * @param tokens rows of one micro-batch
     * @param seed   seed of weights, inputs and targets
     */
    public StageModel(int stages, int width, int hidden, int tokens, long seed) {
        this(stages, width, hidden, tokens, seed, true);
    }

    /**
     * A model of this shape without any numbers, for timing-only runs: at a real model's size the
     * weights alone would not fit in host memory, and a timing-only device never reads them.
     */
    public static StageModel shapeOnly(int stages, int width, int hidden, int tokens) {
        return new StageModel(stages, width, hidden, tokens, 0, false);
    }

    private StageModel(int stages, int width, int hidden, int tokens, long seed, boolean withNumbers) {
        require(stages >= 1, "stages", stages);
        require(width >= 1, "width", width);
        require(hidden >= 1, "hidden", hidden);
        require(tokens >= 1, "tokens", tokens);
        this.stages = stages;
        this.width = width;
        this.hidden = hidden;
        this.tokens = tokens;
        this.seed = seed;
        if (!withNumbers) {
            inputWeights = null;
            outputWeights = null;
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        inputWeights = new float[stages][];
        outputWeights = new float[stages][];
        for (int s = 0; s < stages; s++) {
            inputWeights[s] = uniform(random, hidden * width, (float) (1 / Math.sqrt(width)));
            outputWeights[s] = uniform(random, width * hidden, (float) (1 / Math.sqrt(hidden)));
        }
    }

    private static void require(boolean ok, String name, int value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 1");
        }
    }

    private static float[] uniform(SplittableRandom random, int n, float bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }

    public int stages() {
        return stages;
    }

    public int width() {
        return width;
    }

    public int hidden() {
        return hidden;
    }

    public int tokens() {
        return tokens;
    }

    /** False for a {@link #shapeOnly} model. */
    public boolean hasNumbers() {
        return inputWeights != null;
    }

    /** Weight of stage {@code s}'s first linear layer, hidden×width. */
    public float[] inputWeight(int stage) {
        return numbers()[0][stage].clone();
    }

    /** Weight of stage {@code s}'s second linear layer, width×hidden. */
    public float[] outputWeight(int stage) {
        return numbers()[1][stage].clone();
    }

    /** Input of micro-batch {@code m} (numbered over the whole step), tokens×width. */
    public float[] input(int microBatch) {
        numbers();
        return uniform(stream(microBatch, 0), tokens * width, 1f);
    }

    /** Loss target of micro-batch {@code m}, tokens×width. */
    public float[] target(int microBatch) {
        numbers();
        return uniform(stream(microBatch, 1), tokens * width, 1f);
    }

    private float[][][] numbers() {
        if (inputWeights == null) {
            throw new IllegalStateException("a shape-only stage model has no weights, inputs or targets");
        }
        return new float[][][] {inputWeights, outputWeights};
    }

    /** A generator of its own for each (micro-batch, purpose): independent of generation order. */
    private SplittableRandom stream(int microBatch, int purpose) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 2L * microBatch + purpose + 1);
    }
}
