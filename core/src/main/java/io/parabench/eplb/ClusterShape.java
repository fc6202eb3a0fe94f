package io.parabench.eplb;

/**
 * Where the replicas of an expert-parallel MoE layer live: how many physical expert slots
 * ({@code replicas}) there are, how the logical experts are grouped (DeepSeek-V3's
 * group-limited routing), and how many server nodes and GPUs hold the slots.
 *
 * <p>Every GPU holds {@code replicas / gpus} slots; GPU {@code g} holds slots
 * {@code [g * replicasPerGpu, (g + 1) * replicasPerGpu)} and belongs to node
 * {@code g / gpusPerNode}. The rules checked here are the reference's own assertions
 * ({@code eplb.py}): {@code replicas} a multiple of {@code gpus}, {@code gpus} a multiple of
 * {@code nodes}. Rules that depend on the expert count are checked by {@link #checkExperts}.
 *
 * @param replicas physical expert slots per layer, a multiple of {@code gpus}
 * @param groups   expert groups; the hierarchical policy needs {@code groups % nodes == 0}
 * @param nodes    server nodes (fast NVLink inside, slower network between)
 * @param gpus     GPUs, a multiple of {@code nodes}
 */
public record ClusterShape(int replicas, int groups, int nodes, int gpus) {
    public ClusterShape {
        positive("replicas", replicas);
        positive("groups", groups);
        positive("nodes", nodes);
        positive("gpus", gpus);
        if (gpus % nodes != 0) {
            throw new IllegalArgumentException("gpus (" + gpus + ") must be a multiple of nodes (" + nodes + ")");
        }
        if (replicas % gpus != 0) {
            throw new IllegalArgumentException("replicas (" + replicas + ") must be a multiple of gpus (" + gpus + ")");
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
    }

    /**
     * Whether the reference uses its hierarchical policy (groups packed to nodes first); when
     * {@code groups % nodes != 0} it falls back to the global policy: one group, one node.
     */
    public boolean hierarchical() {
        return groups % nodes == 0;
    }

    /** Slots on each GPU. */
    public int replicasPerGpu() {
        return replicas / gpus;
    }

    /** GPUs in each node. */
    public int gpusPerNode() {
        return gpus / nodes;
    }

    /** The GPU that holds a physical slot. */
    public int gpuOf(int slot) {
        return slot / replicasPerGpu();
    }

    /** The node that holds a GPU. */
    public int nodeOfGpu(int gpu) {
        return gpu / gpusPerNode();
    }

    /**
     * Checks the rules that involve the number of logical experts: at least one slot per
     * expert, and (for the hierarchical policy only, as in the reference) whole groups.
     */
    public void checkExperts(int experts) {
        if (experts <= 0) {
            throw new IllegalArgumentException("experts (" + experts + ") must be > 0");
        }
        if (replicas < experts) {
            throw new IllegalArgumentException("replicas (" + replicas + ") must be >= experts (" + experts
                    + "): every expert needs at least one slot");
        }
        if (hierarchical() && experts % groups != 0) {
            throw new IllegalArgumentException("experts (" + experts + ") must be a multiple of groups (" + groups
                    + ") for the hierarchical policy (groups % nodes == 0)");
        }
    }
}
