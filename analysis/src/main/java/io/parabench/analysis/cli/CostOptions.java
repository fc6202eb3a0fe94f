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

    /** The cost model, checked: names the option and value that break a rule. */
    CostModel costModel() {
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
