package io.parabench.analysis.predict;

import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.KernelPhase;
import io.parabench.pipeline.OpKernels;
import io.parabench.pipeline.OpKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hardware model read from one profiled step: per stage, what each op kind costs on these
 * GPUs (forward F, full backward B, input backward b, weight gradient W, overlapped F&B), what
 * a point-to-point transfer between ranks costs, and whether the framework blocked on
 * communication. Everything is measured from the traces; nothing is a constant of the suite.
 *
 * <p>Per stage and kind, the cost is the median of the op's computation-kernel time over the
 * instances that ran with no communication kernel beside them (a spinning NCCL kernel takes SMs
 * and slows the GEMMs next to it: 12–47% in {@code gpu-traces/torch_zbv}); when every instance
 * ran beside communication, the fastest one. Kinds the step did not run are derived, and say
 * so: B = b + W from a split backward; b = W = B/2 from a full one (a linear layer's
 * input-gradient and weight-gradient GEMMs have the same FLOPs); F&B = F + B.
 *
 * <p>When the trace ties kernels to ops (runtime calls), the cost is counted kernel by kernel
 * instead: per kernel position the median over all instances of what the kernel took alone (its
 * time beside a transfer counted at the SM-sharing slowdown, {@link RecordedKernel#aloneUs()}),
 * divided by its GPU's clock factor then ({@link RecordedClocks}), summed. Every instance then
 * counts, at the clock the step's GPUs share: a GPU whose clock dropped during the step (GPU 0 of
 * {@code gpu-traces/torch_zbv}, 2× slow at times between 120 and 200 ms, 1.18× after) does not
 * make its stages look bigger; the replay puts its clock back ({@link #clocks()}).
 * Per stage and kind also the op's kernels as {@link KernelPhase}s (share of those medians,
 * slowdown beside an SM-holding comm kernel from the kernel's grid and block resources,
 * last-wave point); they time runtimes that post receives early
 * ({@link CostModel#withPostedReceives}). A b and W derived from a full backward take the
 * forward's kernels (input-gradient GEMMs write activation-shaped outputs, as the forward's do)
 * and the full backward's.
 *
 * <p>Stages are those of one flow; DualPipe's two directions run the same stages and are pooled.
 * Immutable.
 */
final class MeasuredCosts {
    /** Kinds in the order of the cost table. */
    static final OpKind[] KINDS = {OpKind.FORWARD, OpKind.BACKWARD, OpKind.BACKWARD_INPUT, OpKind.WEIGHT,
            OpKind.FORWARD_BACKWARD};

    private final OpCost[][] costs;
    /** [kind F, B, b, W][stage] → kernels of the op nearest the charged cost (empty: unknown). */
    private final List<List<List<KernelPhase>>> kernels;
    private final double p2pUs;
    private final boolean blockingComm;
    private final double earlyGradient;
    /** [kind F, B, b, W][stage] → kernels issued before the op's send, -1: all. */
    private final int[][] sendAfter;
    private final LaunchTiming launches;
    private final RecordedClocks clocks;
    /** What the first stage's input gradient costs (its first forward kernel), or NaN when unknown. */
    private final double firstInputGradientUs;

    private MeasuredCosts(OpCost[][] costs, List<List<List<KernelPhase>>> kernels, int[][] sendAfter, double p2pUs,
                          boolean blockingComm, double earlyGradient, LaunchTiming launches, RecordedClocks clocks,
                          double firstInputGradientUs) {
        this.costs = costs;
        this.clocks = clocks;
        this.firstInputGradientUs = firstInputGradientUs;
        this.sendAfter = sendAfter;
        this.launches = launches;
        this.kernels = kernels;
        this.p2pUs = p2pUs;
        this.blockingComm = blockingComm;
        this.earlyGradient = earlyGradient;
    }

    static MeasuredCosts of(RecordedStep step) {
        RecordedClocks clocks = RecordedClocks.of(step);
        int stages = step.schedule().layout().stages(0);
        List<List<List<double[]>>> samples = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            List<List<double[]>> byKind = new ArrayList<>();
            for (int k = 0; k < KINDS.length; k++) {
                byKind.add(new ArrayList<>());
            }
            samples.add(byKind);
        }
        List<List<List<RecordedOp>>> instances = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            List<List<RecordedOp>> byKind = new ArrayList<>();
            for (int k = 0; k < KINDS.length; k++) {
                byKind.add(new ArrayList<>());
            }
            instances.add(byKind);
        }
        for (List<RecordedOp> rank : step.ops()) {
            for (RecordedOp op : rank) {
                samples.get(op.stage()).get(index(op.op().kind())).add(new double[]{op.busyUs(), op.overlapped() ? 1 : 0});
                instances.get(op.stage()).get(index(op.op().kind())).add(op);
            }
        }
        OpCost[][] table = new OpCost[stages][KINDS.length];
        List<List<List<KernelPhase>>> kernels = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            kernels.add(new ArrayList<>());
        }
        double firstInputGradient = Double.NaN;
        for (int s = 0; s < stages; s++) {
            for (int k = 0; k < KINDS.length; k++) {
                table[s][k] = summarise(samples.get(s).get(k));
            }
            for (int k = 0; k < 4; k++) {
                List<KernelPhase> phases = List.of();
                double[] alone = kernelMedians(instances.get(s).get(k), clocks);
                if (alone != null) {
                    if (s == 0 && k == 0) {
                        firstInputGradient = alone[0];
                    }
                    double sum = Arrays.stream(alone).sum();
                    OpCost c = table[s][k];
                    table[s][k] = new OpCost(sum, c.medianUs(), c.minUs(), c.maxUs(), c.count(), c.alone(), false);
                    phases = phases(instances.get(s).get(k).get(0), alone, sum);
                }
                kernels.get(k).add(phases);
            }
            derive(table[s]);
            // A full backward the step did not split: its input half writes activation-shaped outputs
            // (tokens × features) as the forward's GEMMs do, so it is charged the forward's tiles and
            // waves; the weight half, whose outputs are weight-shaped, the full backward's mix.
            if (!table[s][2].measured() && table[s][1].measured()) {
                kernels.get(2).set(s, kernels.get(0).get(s));
                kernels.get(3).set(s, kernels.get(1).get(s));
            }
        }
        int[][] sendAfter = new int[4][stages];
        for (int k = 0; k < 4; k++) {
            for (int s = 0; s < stages; s++) {
                sendAfter[k][s] = -1;
                for (RecordedOp op : instances.get(s).get(k)) {
                    if (op.sendAfter() >= 0) {
                        sendAfter[k][s] = op.sendAfter();
                        break;
                    }
                }
            }
        }
        return new MeasuredCosts(table, kernels, sendAfter, step.p2pUs(), step.blockingComm(), step.earlyGradient(),
                step.launches(), clocks, firstInputGradient);
    }

    private static int index(OpKind kind) {
        for (int k = 0; k < KINDS.length; k++) {
            if (KINDS[k] == kind) {
                return k;
            }
        }
        throw new IllegalStateException(kind.toString());
    }

    private static OpCost summarise(List<double[]> samples) {
        if (samples.isEmpty()) {
            return OpCost.NONE;
        }
        double[] all = samples.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double[] alone = samples.stream().filter(x -> x[1] == 0).mapToDouble(x -> x[0]).sorted().toArray();
        double cost = alone.length > 0 ? median(alone) : all[0];
        return new OpCost(cost, median(all), all[0], all[all.length - 1], all.length, alone.length, false);
    }

    /**
     * Per kernel position, the median over the instances of what the kernel took alone
     * ({@link RecordedKernel#aloneUs()}: its time beside a transfer counted at the slowdown the
     * model charges there); null when the instances do not launch the same number of kernels or
     * launch none. Kernel by kernel, every instance tells what its kernels cost alone.
     */
    private static double[] kernelMedians(List<RecordedOp> instances, RecordedClocks clocks) {
        if (instances.isEmpty()) {
            return null;
        }
        int n = instances.get(0).kernels().size();
        if (n == 0) {
            return null;
        }
        double[] medians = new double[n];
        for (int k = 0; k < n; k++) {
            List<Double> alone = new ArrayList<>();
            for (RecordedOp op : instances) {
                if (op.kernels().size() != n) {
                    return null;
                }
                RecordedKernel kernel = op.kernels().get(k);
                alone.add(kernel.aloneUs() / clocks.factorAt(op.rank(), kernel.startNs()));
            }
            medians[k] = median(alone.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        }
        return medians;
    }

    /** The op's kernels as phases: share of the summed medians, slowdown and last wave from the kernel's shape. */
    private static List<KernelPhase> phases(RecordedOp shapes, double[] medians, double sum) {
        if (sum <= 0) {
            return List.of();
        }
        List<KernelPhase> out = new ArrayList<>();
        double given = 0;
        for (int k = 0; k < medians.length; k++) {
            double share = k == medians.length - 1 ? Math.max(0, 1 - given) : medians[k] / sum;
            given += share;
            RecordedKernel kernel = shapes.kernels().get(k);
            out.add(new KernelPhase(Math.min(1, share), kernel.slowdown(), kernel.lastWave()));
        }
        return List.copyOf(out);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void derive(OpCost[] stage) {
        OpCost f = stage[0];
        OpCost b = stage[1];
        OpCost bi = stage[2];
        OpCost w = stage[3];
        if (!b.measured() && bi.measured() && w.measured()) {
            stage[1] = OpCost.derived(bi.costUs() + w.costUs());
        } else if (b.measured() && !bi.measured() && !w.measured()) {
            stage[2] = OpCost.derived(b.costUs() / 2);
            stage[3] = OpCost.derived(b.costUs() / 2);
        }
    }

    int stages() {
        return costs.length;
    }

    /** Each GPU's clock in the step ({@link RecordedClocks}); the costs above are at the GPUs' common clock. */
    RecordedClocks clocks() {
        return clocks;
    }

    OpCost cost(int stage, OpKind kind) {
        return costs[stage][index(kind)];
    }

    double p2pUs() {
        return p2pUs;
    }

    boolean blockingComm() {
        return blockingComm;
    }

    /** See {@link RecordedStep#earlyGradient()}. */
    double earlyGradient() {
        return earlyGradient;
    }

    /**
     * The cost model of a target pipeline of {@code targetStages} stages per flow.
     *
     * @param stageCost {@link StageCost#SPLIT}: the measured model re-cut evenly into the target's
     *                  stages (a target stage costs the share of the source stages it covers);
     *                  {@link StageCost#MEASURED}: each target stage costs what the source stage
     *                  at the same position cost (a target with more stages is a bigger model)
     */
    CostModel costModel(int targetStages, StageCost stageCost) {
        return costModel(targetStages, stageCost, false, null);
    }

    /**
     * As {@link #costModel(int, StageCost)}; with {@code postedReceives} the model runs as
     * PyTorch's runtime does, receives posted early on SM-holding comm kernels, each target stage
     * taking the kernels of the source stage at its position (for {@link StageCost#SPLIT} an
     * approximation: a re-cut stage's GEMMs are smaller than the measured ones).
     *
     * @param firstInputGradient whether the target's runtime computes the first stage's input
     *                           gradient ({@link io.parabench.pipeline.ScheduleKind#computesFirstStageInputGradient()}),
     *                           or null: as the profiled step did
     */
    CostModel costModel(int targetStages, StageCost stageCost, boolean postedReceives, Boolean firstInputGradient) {
        double[][] table = new double[KINDS.length][targetStages];
        int source = costs.length;
        for (int k = 0; k < KINDS.length; k++) {
            for (int t = 0; t < targetStages; t++) {
                table[k][t] = stageCost == StageCost.MEASURED ? costs[(int) ((long) t * source / targetStages)][k].costUs()
                        : covered(k, t, targetStages);
                // an F&B the step did not run is F + B of the pair's own stages, left to the simulator
            }
        }
        if (firstInputGradient != null && firstInputGradient != computesFirstInputGradient()
                && !Double.isNaN(firstInputGradientUs)) {
            moveFirstInputGradient(table, firstInputGradient ? firstInputGradientUs : -firstInputGradientUs);
        }
        for (int k = 0; k < 4; k++) {
            for (int t = 0; t < targetStages; t++) {
                if (Double.isNaN(table[k][t])) {
                    throw new IllegalArgumentException("the traces measured no " + KINDS[k].name().toLowerCase()
                            + " cost for stage " + t + " and none can be derived");
                }
            }
        }
        CostModel model = CostModel.ofStages(table[0], table[1], table[2], table[3], table[4], p2pUs);
        if (!Double.isNaN(earlyGradient)) {
            model = model.withEarlyGradient(earlyGradient);
        }
        if (postedReceives) {
            OpKernels posted = OpKernels.of(kernels).restaged(targetStages);
            // the suite's own trace: its host also issued every kernel, the NCCL ones too
            return launches == null ? model.withPostedReceives(posted)
                    : model.withPostedReceives(posted).withHostLaunches(posted, launches.launchUs(), launches.kernelGapUs());
        }
        model = blockingComm ? model.withBlockingSends() : model;
        if (launches != null) {
            // the suite's own trace: its host issued every kernel and copy (an eager runtime)
            model = model.withHostLaunches(OpKernels.of(kernels).withSendAfter(sendAfter).restaged(targetStages),
                    launches.launchUs(), launches.kernelGapUs());
        }
        return model;
    }

    /**
     * Whether the profiled runtime computed the first stage's input gradient: not when the first
     * stage's input backward was measured and launched nothing (PyTorch's pipelining runtime,
     * {@code gpu-traces/torch_zbv}); a full backward is taken to include it (the harness of
     * {@code gpu-traces/1f1b} computes it: rank 0 launches as many backward kernels as rank 1).
     */
    boolean computesFirstInputGradient() {
        OpCost b = costs[0][2];
        return !(b.measured() && b.costUs() == 0);
    }

    /**
     * Adds {@code us} to (or, negative, takes it from) the first stage's backward: the input
     * gradient of the stage's first layer, a GEMM with the FLOPs of its first forward GEMM (a
     * linear layer's dX = dY·W has the dimensions of its X·Wᵀ; in {@code gpu-traces/torch_zbv}
     * stage 0's W, which runs the whole backward but that GEMM, is 8.107 ms, and a 1F1B stage's
     * B 10.853 ms less the 2.729 ms first forward GEMM is 8.124). Where it is taken away, the
     * first stage's input backward computes nothing and its W the rest, as torch's runtime runs
     * it; where it is added, the input backward computes just it (its result leaves for nobody).
     */
    private static void moveFirstInputGradient(double[][] table, double us) {
        table[1][0] += us;
        if (us < 0) {
            table[2][0] = 0;
            table[3][0] = table[1][0];
        } else {
            table[2][0] += us;
        }
        if (!Double.isNaN(table[4][0])) {
            table[4][0] += us;
        }
    }

    /** The cost of target stage t's share [t/T, (t+1)/T) of the model, summed over the source stages it covers. */
    private double covered(int kind, int t, int targetStages) {
        int source = costs.length;
        double from = (double) t / targetStages;
        double to = (double) (t + 1) / targetStages;
        double sum = 0;
        for (int s = 0; s < source; s++) {
            double overlap = Math.min(to, (double) (s + 1) / source) - Math.max(from, (double) s / source);
            if (overlap > 0) {
                sum += costs[s][kind].costUs() * overlap * source;
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return "MeasuredCosts" + Arrays.deepToString(costs) + " p2p=" + p2pUs;
    }
}
