package io.parabench.moe;

/**
 * What one expert-parallel MoE layer run produced and how long it took on the virtual clock.
 *
 * @param output         each GPU's output rows, {@code [gpu][token·width + feature]} (empty rows after a timing-only run)
 * @param layerNs        virtual time until every GPU is idle
 * @param expertBusyNs   per GPU, virtual time its compute stream spent in expert MLPs
 * @param gpuRows        per GPU, (token, expert) rows its experts computed
 * @param expertLoads    per logical expert, (token, expert) rows routed to it
 * @param slotRows       per physical slot, (token, expert) rows it computed
 * @param commOverlapNs  summed over GPUs, virtual time its dispatch/combine kernels ran while
 *                       the same GPU's compute stream ran an expert
 */
public record MoeRun(float[][] output, long layerNs, long[] expertBusyNs, int[] gpuRows, int[] expertLoads,
                     int[] slotRows, long commOverlapNs) {

    /** The largest per-GPU expert busy time. */
    public long maxExpertBusyNs() {
        long max = 0;
        for (long ns : expertBusyNs) {
            max = Math.max(max, ns);
        }
        return max;
    }

    /** Expert loads as EPLB's balancers take them: one layer, {@code [1][experts]}. */
    public float[][] eplbLoads() {
        float[][] loads = new float[1][expertLoads.length];
        for (int e = 0; e < expertLoads.length; e++) {
            loads[0][e] = expertLoads[e];
        }
        return loads;
    }
}
