package io.parabench.analysis.predict;

import io.parabench.pipeline.CostModel;
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
 * <p>Stages are those of one flow; DualPipe's two directions run the same stages and are pooled.
 * Immutable.
 */
final class MeasuredCosts {
    /** Kinds in the order of the cost table. */
    static final OpKind[] KINDS = {OpKind.FORWARD, OpKind.BACKWARD, OpKind.BACKWARD_INPUT, OpKind.WEIGHT,
            OpKind.FORWARD_BACKWARD};

    private final OpCost[][] costs;
    private final double p2pUs;
    private final boolean blockingComm;
    private final double earlyGradient;

    private MeasuredCosts(OpCost[][] costs, double p2pUs, boolean blockingComm, double earlyGradient) {
        this.costs = costs;
        this.p2pUs = p2pUs;
        this.blockingComm = blockingComm;
        this.earlyGradient = earlyGradient;
    }

    static MeasuredCosts of(RecordedStep step) {
        int stages = step.schedule().layout().stages(0);
        List<List<List<double[]>>> samples = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            List<List<double[]>> byKind = new ArrayList<>();
            for (int k = 0; k < KINDS.length; k++) {
                byKind.add(new ArrayList<>());
            }
            samples.add(byKind);
        }
        for (List<RecordedOp> rank : step.ops()) {
            for (RecordedOp op : rank) {
                samples.get(op.stage()).get(index(op.op().kind())).add(new double[]{op.busyUs(), op.overlapped() ? 1 : 0});
            }
        }
        OpCost[][] table = new OpCost[stages][KINDS.length];
        for (int s = 0; s < stages; s++) {
            for (int k = 0; k < KINDS.length; k++) {
                table[s][k] = summarise(samples.get(s).get(k));
            }
            derive(table[s]);
        }
        return new MeasuredCosts(table, step.p2pUs(), step.blockingComm(), step.earlyGradient());
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

    private static double median(double[] sorted) {
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
        double[][] table = new double[KINDS.length][targetStages];
        int source = costs.length;
        for (int k = 0; k < KINDS.length; k++) {
            for (int t = 0; t < targetStages; t++) {
                table[k][t] = stageCost == StageCost.MEASURED ? costs[(int) ((long) t * source / targetStages)][k].costUs()
                        : covered(k, t, targetStages);
                // an F&B the step did not run is F + B of the pair's own stages, left to the simulator
            }
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
        return blockingComm ? model.withBlockingSends() : model;
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
