package io.parabench.analysis.cli;

import io.parabench.pipeline.CostModel;
import picocli.CommandLine.Option;

/** The simulator's cost options, shared by {@code simulate} and {@code compare}. */
final class CostOptions {
    @Option(names = "--f", defaultValue = "1", description = "forward duration (default: ${DEFAULT-VALUE})")
    double forward;

    @Option(names = "--b", defaultValue = "2", description = "full backward duration, input + weight (default: ${DEFAULT-VALUE})")
    double backward;

    @Option(names = "--w", defaultValue = "1", description = "weight-gradient duration W (default: ${DEFAULT-VALUE})")
    double weight;

    @Option(names = "--bi", description = "input-only backward duration b (default: b - w)")
    Double backwardInput;

    @Option(names = "--fb", description = "overlapped F&B duration (default: f + b)")
    Double forwardBackward;

    @Option(names = "--p2p", defaultValue = "0", description = "point-to-point latency between ranks (default: ${DEFAULT-VALUE})")
    double p2p;

    @Option(names = "--stage-scale", split = ",", paramLabel = "S",
            description = "per-stage cost multipliers, one per stage of a flow, e.g. 1.3,1,1,1.2")
    double[] stageScale;

    /**
     * Largest duration and stage scale accepted. A makespan sums up to ~1e9 ops (the heap
     * bounds the count), so with 1e12 units per op and scales up to 1e6 every sum stays far
     * below double's 1.8e308: no Infinity, no NaN bubble rates (issue 11: --f 1e308 --b 1e308
     * printed "makespan":"Infinity").
     */
    static final double MAX_COST = 1e12;
    static final double MAX_STAGE_SCALE = 1e6;

    private static void requireAtMost(String option, Double value, double max) {
        if (value != null && value > max) {
            throw new IllegalArgumentException(option + " (" + value + ") must be at most " + max
                    + " (sums over a step must stay finite)");
        }
    }

    /** The cost model, checked: names the option and value that break a rule. */
    CostModel costModel() {
        requireAtMost("--f", forward, MAX_COST);
        requireAtMost("--b", backward, MAX_COST);
        requireAtMost("--w", weight, MAX_COST);
        requireAtMost("--bi", backwardInput, MAX_COST);
        requireAtMost("--fb", forwardBackward, MAX_COST);
        requireAtMost("--p2p", p2p, MAX_COST);
        if (stageScale != null) {
            for (double scale : stageScale) {
                requireAtMost("--stage-scale", scale, MAX_STAGE_SCALE);
            }
        }
        double bi = backwardInput != null ? backwardInput : backward - weight;
        if (backwardInput == null && bi < 0) {
            throw new IllegalArgumentException("--w (" + weight + ") must be <= --b (" + backward
                    + ") when --bi is not given (b = B - W)");
        }
        CostModel costs = CostModel.of(forward, backward, bi, weight,
                forwardBackward != null ? forwardBackward : Double.NaN, p2p);
        return stageScale != null ? costs.withStageScale(stageScale) : costs;
    }
}
