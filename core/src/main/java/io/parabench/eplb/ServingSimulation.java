package io.parabench.eplb;

/**
 * Load over time: a small simulation of serving with periodic rebalancing. Each step draws
 * true expert loads ({@link SyntheticExpertLoads}); the server runs the step on its current
 * placement and observes the loads; an exponentially decayed estimate
 * ({@code est += (1 − decay) · (observed − est)}) tracks them; every {@code rebalanceEvery}
 * steps the placement is re-planned from the estimate with {@link SlotPreservingPlanner}.
 * The first placement is planned for uniform loads (nothing observed yet).
 *
 * <p>Reported per step: realised balancedness (mean/max GPU load of the true loads on the
 * current placement, averaged over layers) and the oracle's (the same policy planned on the
 * step's true loads); per rebalance: replicas moved. Steps are virtual; results depend only
 * on the configuration and seed. Thread-safe (state lives in each run).
 */
public final class ServingSimulation {
    /**
     * @param shape          cluster
     * @param layers         MoE layers
     * @param experts        logical experts per layer
     * @param steps          steps to simulate
     * @param rebalanceEvery re-plan every this many steps
     * @param decay          weight of the old estimate per step, in [0, 1)
     * @param policy         balancer used for re-plans and for the oracle
     */
    public record Config(ClusterShape shape, int layers, int experts, int steps, int rebalanceEvery, double decay,
                         BalancePolicy policy) {
        public Config {
            shape.checkExperts(experts);
            if (layers <= 0 || steps <= 0 || rebalanceEvery <= 0) {
                throw new IllegalArgumentException("layers (" + layers + "), steps (" + steps + ") and rebalanceEvery ("
                        + rebalanceEvery + ") must be > 0");
            }
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("decay (" + decay + ") must be in [0, 1)");
            }
        }
    }

    /**
     * @param realisedBalancedness per step, on the placement in use
     * @param oracleBalancedness   per step, on a plan made from that step's true loads
     * @param rebalanceSteps       the steps at which a re-plan took effect
     * @param movedPerRebalance    replicas moved by each re-plan
     */
    public record Result(double[] realisedBalancedness, double[] oracleBalancedness, int[] rebalanceSteps,
                         int[] movedPerRebalance) {
        public double meanRealised() {
            return mean(realisedBalancedness);
        }

        public double meanOracle() {
            return mean(oracleBalancedness);
        }

        private static double mean(double[] a) {
            double s = 0;
            for (double x : a) {
                s += x;
            }
            return a.length == 0 ? 0 : s / a.length;
        }
    }

    private ServingSimulation() {
    }

    public static Result run(Config config, SyntheticExpertLoads generator) {
        int layers = config.layers();
        int experts = config.experts();
        float[][] uniform = new float[layers][experts];
        for (float[] row : uniform) {
            java.util.Arrays.fill(row, 1f);
        }
        Placement current = config.policy().rebalance(uniform, config.shape(), false);
        float[][] estimate = null;
        double[] realised = new double[config.steps()];
        double[] oracle = new double[config.steps()];
        int rebalances = (config.steps() - 1) / config.rebalanceEvery();
        int[] rebalanceSteps = new int[rebalances];
        int[] moved = new int[rebalances];
        int done = 0;
        for (int step = 0; step < config.steps(); step++) {
            if (step > 0 && step % config.rebalanceEvery() == 0) {
                Replan replan = SlotPreservingPlanner.replan(current, estimate, config.policy(), false);
                current = replan.placement();
                rebalanceSteps[done] = step;
                moved[done++] = replan.totalMoved();
            }
            float[][] truth = generator.next();
            if (truth.length != layers || truth[0].length != experts) {
                throw new IllegalArgumentException("generator loads (" + truth.length + "x" + truth[0].length
                        + ") must be " + layers + "x" + experts);
            }
            realised[step] = PlacementMetrics.of(truth, current).balancedness();
            oracle[step] = PlacementMetrics.of(truth, config.policy().rebalance(truth, config.shape(), false)).balancedness();
            estimate = observe(estimate, truth, config.decay());
        }
        return new Result(realised, oracle, rebalanceSteps, moved);
    }

    private static float[][] observe(float[][] estimate, float[][] observed, double decay) {
        if (estimate == null) {
            float[][] first = new float[observed.length][];
            for (int l = 0; l < observed.length; l++) {
                first[l] = observed[l].clone();
            }
            return first;
        }
        float gain = (float) (1 - decay);
        for (int l = 0; l < observed.length; l++) {
            for (int e = 0; e < observed[l].length; e++) {
                // written as a correction so that a constant load leaves the estimate exactly unchanged
                estimate[l][e] += gain * (observed[l][e] - estimate[l][e]);
            }
        }
        return estimate;
    }
}
