package io.parabench.moe;

import java.util.SplittableRandom;

/**
 * One mixture-of-experts layer, FP32 and seeded: a bias-free router {@code Linear(width→experts)}
 * followed by a softmax and a top-k, and {@code experts} routed experts, each a bias-free
 * {@code Linear(width→hidden)}, a tanh GELU and a bias-free {@code Linear(hidden→width)}. A
 * token's output is the sum, over its top-k experts in rank order, of the expert's output times
 * the expert's softmax probability (not renormalised over the k).
 *
 * <p>Weights are {@code nn.Linear}'s default, uniform in ±1/√fan_in, stored as {@code W[out×in]}.
 * Tokens ({@link #tokens}) are uniform in [0, 2), so each feature has mean 1 and the sum of a
 * router row acts as that expert's bias. {@code skew} adds {@code skew·(E−1−e)/((E−1)·width)} to
 * every weight of router row {@code e}: expert 0's logit rises by about {@code skew}, the last
 * expert's not at all, so a positive skew makes low-numbered experts hot.
 *
 * <p>Immutable; the weight accessors return the live arrays, which callers must not modify.
 */
public final class MoeLayer {
    private final int width;
    private final int hidden;
    private final int experts;
    private final int topK;
    private final double skew;
    private final long seed;
    /** Null for a shape-only layer (timing-only runs). */
    private final float[] router;
    private final float[][] up;
    private final float[][] down;

    /**
     * @param width   model width d, >= 1
     * @param hidden  expert hidden width h, >= 1
     * @param experts routed experts E, >= 2
     * @param topK    experts per token k, in 1..experts
     * @param skew    router skew, finite and >= 0 (0: no deliberate skew)
     * @param seed    seed of all weights
     */
    public MoeLayer(int width, int hidden, int experts, int topK, double skew, long seed) {
        this(width, hidden, experts, topK, skew, seed, true);
    }

    /**
     * A layer of this shape without weights, for timing-only runs: DeepSeek-V3's 256 experts of
     * 7168×2048 would take 30 GB of host memory. Its routing is drawn instead of computed
     * ({@link #drawnRouting}).
     */
    public static MoeLayer shapeOnly(int width, int hidden, int experts, int topK, double skew, long seed) {
        return new MoeLayer(width, hidden, experts, topK, skew, seed, false);
    }

    private MoeLayer(int width, int hidden, int experts, int topK, double skew, long seed, boolean withWeights) {
        if (width < 1) {
            throw new IllegalArgumentException("width (" + width + ") must be >= 1");
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be >= 1");
        }
        if (experts < 2) {
            throw new IllegalArgumentException("experts (" + experts + ") must be >= 2");
        }
        if (topK < 1 || topK > experts) {
            throw new IllegalArgumentException("top-k (" + topK + ") must be in 1.." + experts);
        }
        if (!(skew >= 0) || Double.isInfinite(skew)) {
            throw new IllegalArgumentException("skew (" + skew + ") must be finite and >= 0");
        }
        this.width = width;
        this.hidden = hidden;
        this.experts = experts;
        this.topK = topK;
        this.skew = skew;
        this.seed = seed;
        if (!withWeights) {
            router = null;
            up = null;
            down = null;
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        router = uniform(random, experts * width, 1 / Math.sqrt(width));
        for (int e = 0; e < experts; e++) {
            float shift = (float) (skew * (experts - 1 - e) / ((experts - 1) * (double) width));
            for (int j = 0; j < width; j++) {
                router[e * width + j] += shift;
            }
        }
        up = new float[experts][];
        down = new float[experts][];
        for (int e = 0; e < experts; e++) {
            up[e] = uniform(random, hidden * width, 1 / Math.sqrt(width));
            down[e] = uniform(random, width * hidden, 1 / Math.sqrt(hidden));
        }
    }

    private static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }

    /**
     * Seeded input tokens, {@code tokens} rows of {@code width} features uniform in [0, 2) for
     * each of {@code gpus} ranks: {@code [gpu][token·width + feature]}.
     */
    public float[][] tokens(int gpus, int tokens, long seed) {
        if (gpus < 1) {
            throw new IllegalArgumentException("gpus (" + gpus + ") must be >= 1");
        }
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens (" + tokens + ") must be >= 1");
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[gpus][tokens * width];
        for (float[] rank : x) {
            for (int i = 0; i < rank.length; i++) {
                rank[i] = (float) (random.nextDouble() * 2);
            }
        }
        return x;
    }

    public int width() {
        return width;
    }

    public int hidden() {
        return hidden;
    }

    public int experts() {
        return experts;
    }

    public int topK() {
        return topK;
    }

    /** False for a {@link #shapeOnly} layer. */
    public boolean hasWeights() {
        return router != null;
    }

    /**
     * The routing a timing-only run uses in place of the gate: each token of GPU {@code gpu}
     * draws {@code topK} distinct experts without replacement with probabilities proportional to
     * {@code exp(skew·(E−1−e)/(E−1))}, the logit shift the router's skew gives expert {@code e}
     * (Gumbel top-k), from a generator seeded by the layer's seed and the GPU. Uniform routing when
     * the skew is 0, hot low-numbered experts when it is positive, as a computed gate would give.
     *
     * @return {@code experts[token·k + rank]}
     */
    public int[] drawnRouting(int gpu, int tokens) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + gpu + 1);
        int[] chosen = new int[tokens * topK];
        double[] keys = new double[experts];
        for (int t = 0; t < tokens; t++) {
            for (int e = 0; e < experts; e++) {
                double u = Math.max(random.nextDouble(), Double.MIN_VALUE);
                keys[e] = skew * (experts - 1 - e) / (experts - 1) - Math.log(-Math.log(u));
            }
            for (int r = 0; r < topK; r++) {
                int best = 0;
                for (int e = 1; e < experts; e++) {
                    if (keys[e] > keys[best]) {
                        best = e;
                    }
                }
                chosen[t * topK + r] = best;
                keys[best] = Double.NEGATIVE_INFINITY;
            }
        }
        return chosen;
    }

    /** Router weight, experts×width. */
    float[] router() {
        return router;
    }

    /** Expert {@code e}'s first linear, hidden×width. */
    float[] up(int e) {
        return up[e];
    }

    /** Expert {@code e}'s second linear, width×hidden. */
    float[] down(int e) {
        return down[e];
    }
}
