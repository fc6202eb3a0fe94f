package io.parabench.eplb;

/**
 * How well a placement balances given loads, per layer and overall.
 *
 * <p>Definitions (a replica carries {@code load / replicaCount} of its expert's tokens, as
 * the reference assumes tokens split evenly over replicas; sums in double):
 * <ul>
 *   <li>{@code gpuLoad[l][g]}: tokens on GPU {@code g} in layer {@code l}; {@code nodeLoad}
 *       likewise per node;</li>
 *   <li>balancedness = mean GPU load / max GPU load (DeepSeek's measure; 1 is perfect,
 *       and a layer without load counts as 1);</li>
 *   <li>imbalance = (max − mean) / mean, and max/mean (both 0 and 1 for a layer without
 *       load);</li>
 *   <li>replicas-per-expert histogram: {@code [k]} = experts (over all layers) with {@code k}
 *       replicas;</li>
 *   <li>duplicate GPUs: GPUs holding two or more replicas of one expert — allowed by the
 *       reference, wasteful because such copies share one GPU's compute.</li>
 * </ul>
 * Overall figures are means over layers, plus the worst layer. Immutable.
 */
public final class PlacementMetrics {
    private final double[][] gpuLoad;
    private final double[][] nodeLoad;
    private final double[] meanGpuLoad;
    private final double[] maxGpuLoad;
    private final long[] replicaHistogram;
    private final int[] duplicateGpus;

    private PlacementMetrics(double[][] gpuLoad, double[][] nodeLoad, double[] meanGpuLoad, double[] maxGpuLoad,
                             long[] replicaHistogram, int[] duplicateGpus) {
        this.gpuLoad = gpuLoad;
        this.nodeLoad = nodeLoad;
        this.meanGpuLoad = meanGpuLoad;
        this.maxGpuLoad = maxGpuLoad;
        this.replicaHistogram = replicaHistogram;
        this.duplicateGpus = duplicateGpus;
    }

    /**
     * Measures a placement under loads with the same layers and experts.
     *
     * @throws IllegalArgumentException when the loads do not match the placement
     */
    public static PlacementMetrics of(float[][] loads, Placement placement) {
        int experts = ExpertLoads.check(loads);
        if (loads.length != placement.layers() || experts != placement.experts()) {
            throw new IllegalArgumentException("loads (" + loads.length + "x" + experts + ") must match the placement ("
                    + placement.layers() + "x" + placement.experts() + ")");
        }
        ClusterShape shape = placement.shape();
        int layers = loads.length;
        int gpus = shape.gpus();
        int perGpu = shape.replicasPerGpu();
        double[][] gpuLoad = new double[layers][gpus];
        double[][] nodeLoad = new double[layers][shape.nodes()];
        double[] mean = new double[layers];
        double[] max = new double[layers];
        long[] histogram = new long[placement.maxReplicas() + 1];
        int[] duplicates = new int[layers];
        int[] seenOnGpu = new int[experts];
        java.util.Arrays.fill(seenOnGpu, -1);
        for (int l = 0; l < layers; l++) {
            double total = 0;
            for (int g = 0; g < gpus; g++) {
                double sum = 0;
                boolean duplicate = false;
                int stamp = l * gpus + g; // unique per (layer, GPU): no clearing between GPUs
                for (int slot = g * perGpu; slot < (g + 1) * perGpu; slot++) {
                    int e = placement.expertAt(l, slot);
                    sum += (double) loads[l][e] / placement.replicaCount(l, e);
                    duplicate |= seenOnGpu[e] == stamp;
                    seenOnGpu[e] = stamp;
                }
                gpuLoad[l][g] = sum;
                nodeLoad[l][shape.nodeOfGpu(g)] += sum;
                total += sum;
                max[l] = Math.max(max[l], sum);
                if (duplicate) {
                    duplicates[l]++;
                }
            }
            mean[l] = total / gpus;
            for (int e = 0; e < experts; e++) {
                histogram[placement.replicaCount(l, e)]++;
            }
        }
        return new PlacementMetrics(gpuLoad, nodeLoad, mean, max, histogram, duplicates);
    }

    public int layers() {
        return gpuLoad.length;
    }

    /** {@code [layers][gpus]} tokens per GPU (a copy). */
    public double[][] gpuLoad() {
        return copy(gpuLoad);
    }

    /** {@code [layers][nodes]} tokens per node (a copy). */
    public double[][] nodeLoad() {
        return copy(nodeLoad);
    }

    public double maxGpuLoad(int layer) {
        return maxGpuLoad[layer];
    }

    public double meanGpuLoad(int layer) {
        return meanGpuLoad[layer];
    }

    /** Mean GPU load / max GPU load of a layer; 1 when the layer has no load. */
    public double balancedness(int layer) {
        return maxGpuLoad[layer] == 0 ? 1 : meanGpuLoad[layer] / maxGpuLoad[layer];
    }

    /** Max GPU load / mean GPU load of a layer; 1 when the layer has no load. */
    public double maxOverMean(int layer) {
        return meanGpuLoad[layer] == 0 ? 1 : maxGpuLoad[layer] / meanGpuLoad[layer];
    }

    /** (max − mean) / mean GPU load of a layer; 0 when the layer has no load. */
    public double imbalance(int layer) {
        return maxOverMean(layer) - 1;
    }

    /** Balancedness averaged over layers. */
    public double balancedness() {
        double sum = 0;
        for (int l = 0; l < layers(); l++) {
            sum += balancedness(l);
        }
        return sum / layers();
    }

    /** Max/mean GPU load averaged over layers. */
    public double meanMaxOverMean() {
        double sum = 0;
        for (int l = 0; l < layers(); l++) {
            sum += maxOverMean(l);
        }
        return sum / layers();
    }

    /** Max/mean GPU load of the worst layer. */
    public double worstMaxOverMean() {
        double worst = 0;
        for (int l = 0; l < layers(); l++) {
            worst = Math.max(worst, maxOverMean(l));
        }
        return worst;
    }

    /** {@code [k]}: experts, over all layers, with {@code k} replicas (a copy). */
    public long[] replicaHistogram() {
        return replicaHistogram.clone();
    }

    /** GPUs of a layer holding two or more replicas of one expert. */
    public int duplicateGpus(int layer) {
        return duplicateGpus[layer];
    }

    /** GPUs holding two or more replicas of one expert, summed over layers. */
    public int duplicateGpus() {
        int sum = 0;
        for (int d : duplicateGpus) {
            sum += d;
        }
        return sum;
    }

    /** The heaviest GPU of one layer given as slot contents, summed exactly as {@link #of} does. */
    static double maxGpuLoad(float[] load, int[] phy2log, ClusterShape shape, int experts) {
        int[] count = new int[experts];
        for (int e : phy2log) {
            count[e]++;
        }
        int perGpu = shape.replicasPerGpu();
        double max = 0;
        for (int g = 0; g < shape.gpus(); g++) {
            double sum = 0;
            for (int s = g * perGpu; s < (g + 1) * perGpu; s++) {
                sum += (double) load[phy2log[s]] / count[phy2log[s]];
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
