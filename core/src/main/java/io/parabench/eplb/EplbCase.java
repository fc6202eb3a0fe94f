package io.parabench.eplb;

import java.util.Optional;

/**
 * One balancing problem in the format of {@code reference-cases.json}: the loads, the cluster
 * shape and, when the file carries them, the reference's outputs for it.
 *
 * @param index    position of the case in its file (0-based), for messages
 * @param loads    {@code [layers][experts]} float32 loads ({@code weight})
 * @param shape    {@code num_replicas}, {@code num_groups}, {@code num_nodes}, {@code num_gpus}
 * @param expected the reference's {@code phy2log}, {@code logcnt}, {@code log2phy} and
 *                 {@code gpu_load}, when present
 */
public record EplbCase(int index, float[][] loads, ClusterShape shape, Optional<Expected> expected) {

    /**
     * Outputs recorded from DeepSeek's {@code rebalance_experts}. {@code gpuLoad} is empty
     * ({@code length 0}) when the file has none.
     */
    public record Expected(int[][] phy2log, int[][] logcnt, int[][][] log2phy, double[][] gpuLoad) {
    }
}
