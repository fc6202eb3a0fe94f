package io.parabench.eplb;

/** Which balancer plans a placement. */
public enum BalancePolicy {
    /** DeepSeek's {@code rebalance_experts}, exactly ({@link ReferenceBalancer}). */
    REFERENCE,
    /** The count-and-packing search that is never worse on max GPU load ({@link ImprovedBalancer}). */
    IMPROVED;

    /**
     * Plans a placement.
     *
     * @param noDuplicateOnGpu keep replicas of one expert on distinct GPUs; only the improved
     *                         policy supports it (the reference's output is what it is)
     * @throws IllegalArgumentException for bad input, or {@code noDuplicateOnGpu} with REFERENCE
     */
    public Placement rebalance(float[][] loads, ClusterShape shape, boolean noDuplicateOnGpu) {
        if (this == REFERENCE) {
            if (noDuplicateOnGpu) {
                throw new IllegalArgumentException("no-duplicate-on-gpu (true) needs the improved policy: "
                        + "the reference policy may place two replicas of one expert on one GPU");
            }
            return ReferenceBalancer.rebalance(loads, shape);
        }
        return ImprovedBalancer.rebalance(loads, shape, noDuplicateOnGpu);
    }
}
