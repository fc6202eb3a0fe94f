package io.parabench.eplb;

import java.util.Random;

/**
 * Synthetic per-step expert loads for the serving simulator: Zipf-like popularity whose hot
 * experts drift slowly, plus per-step noise. Deterministic for a seed.
 *
 * <p>Per layer, experts hold popularity ranks (a seeded random permutation); expert of rank
 * {@code r} expects {@code tokens · (r+1)^-s / H} tokens per step ({@code H} normalises).
 * Each step, every layer swaps the ranks of one random adjacent pair with probability
 * {@code drift}, so hot experts cool down and others heat up slowly. The observed load is the
 * expected load times {@code max(0, 1 + noise · N(0, 1))}. Not thread-safe.
 */
public final class SyntheticExpertLoads {
    private final int experts;
    private final double tokens;
    private final double drift;
    private final double noise;
    private final double[] share;
    private final int[][] rankOf;
    private final Random random;

    /**
     * @param layers   MoE layers
     * @param experts  logical experts per layer
     * @param tokens   tokens routed per layer and step (sum of expected loads)
     * @param exponent Zipf exponent {@code s} (0 = uniform)
     * @param drift    probability per layer and step of one adjacent rank swap, in [0, 1]
     * @param noise    relative standard deviation of the per-step noise, {@code >= 0}
     * @param seed     seed of the generator
     */
    public SyntheticExpertLoads(int layers, int experts, double tokens, double exponent, double drift, double noise,
                                long seed) {
        if (layers <= 0 || experts <= 0) {
            throw new IllegalArgumentException("layers (" + layers + ") and experts (" + experts + ") must be > 0");
        }
        if (!(tokens > 0) || !(exponent >= 0) || !(drift >= 0 && drift <= 1) || !(noise >= 0)) {
            throw new IllegalArgumentException("tokens (" + tokens + ") must be > 0, exponent (" + exponent
                    + ") >= 0, drift (" + drift + ") in [0, 1], noise (" + noise + ") >= 0");
        }
        this.experts = experts;
        this.tokens = tokens;
        this.drift = drift;
        this.noise = noise;
        this.random = new Random(seed);
        share = new double[experts];
        double h = 0;
        for (int r = 0; r < experts; r++) {
            share[r] = Math.pow(r + 1, -exponent);
            h += share[r];
        }
        for (int r = 0; r < experts; r++) {
            share[r] /= h;
        }
        rankOf = new int[layers][experts];
        for (int[] ranks : rankOf) {
            for (int e = 0; e < experts; e++) {
                ranks[e] = e;
            }
            for (int e = experts - 1; e > 0; e--) {
                int j = random.nextInt(e + 1);
                int t = ranks[e];
                ranks[e] = ranks[j];
                ranks[j] = t;
            }
        }
    }

    /** Advances one step (drift) and returns that step's observed loads {@code [layers][experts]}. */
    public float[][] next() {
        float[][] loads = new float[rankOf.length][experts];
        for (int l = 0; l < rankOf.length; l++) {
            int[] ranks = rankOf[l];
            if (experts > 1 && random.nextDouble() < drift) {
                int r = random.nextInt(experts - 1); // swap the experts holding ranks r and r+1
                int a = -1;
                int b = -1;
                for (int e = 0; e < experts; e++) {
                    if (ranks[e] == r) {
                        a = e;
                    } else if (ranks[e] == r + 1) {
                        b = e;
                    }
                }
                ranks[a] = r + 1;
                ranks[b] = r;
            }
            for (int e = 0; e < experts; e++) {
                double factor = noise == 0 ? 1 : Math.max(0, 1 + noise * random.nextGaussian());
                loads[l][e] = (float) (tokens * share[ranks[e]] * factor);
            }
        }
        return loads;
    }
}
