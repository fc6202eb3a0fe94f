package io.parabench.analysis.predict;

/**
 * What one stage's op of one kind cost in a profiled step (µs of computation-kernel time).
 *
 * @param costUs   the cost the model charges: where the trace ties kernels to ops, the sum over
 *                 the op's kernels of the median of what each took alone (see
 *                 {@link MeasuredCosts}); else the median over instances that ran with no
 *                 communication kernel beside them, else the fastest instance (communication
 *                 beside an op only slows it down, so the fastest is the closest to alone);
 *                 NaN when the step had no such op
 * @param medianUs median over all instances
 * @param minUs    fastest instance
 * @param maxUs    slowest instance
 * @param count    instances
 * @param alone    instances with no communication beside them
 * @param derived  true when not measured but derived from other kinds (see {@link MeasuredCosts})
 */
public record OpCost(double costUs, double medianUs, double minUs, double maxUs, int count, int alone, boolean derived) {
    static final OpCost NONE = new OpCost(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, false);

    public boolean measured() {
        return count > 0;
    }

    static OpCost derived(double costUs) {
        return new OpCost(costUs, costUs, costUs, costUs, 0, 0, true);
    }
}
