package io.parabench.pipeline;

import io.parabench.gpu.DeviceClock;

import java.util.Arrays;
import java.util.List;

/**
 * Durations of pipeline operations for the simulator, in abstract time units (the Chrome trace
 * writes one unit as one microsecond).
 *
 * <p>{@code forward}, {@code backward} (full: input and weight gradients), {@code backwardInput}
 * ({@code b}) and {@code weight} ({@code W}) are per-stage costs; an optional per-stage scale
 * makes stages heterogeneous (a first stage with the embedding, a last stage with the loss
 * head). An overlapped {@code F&B} pair takes {@code forwardBackward} when given — it may be
 * less than F + B when overlapping compute with communication helps — else the sum of its two
 * halves. {@code p2p} is added to every dependency that crosses ranks.
 *
 * <p>Costs may instead be given per stage ({@link #ofStages}): a model measured from a real
 * trace, where the first stage's input backward may cost nothing and the last stage carries the
 * loss. With {@link #withBlockingSends()} the rank that sends an activation or gradient to
 * another rank is also held for {@code p2p} after the op, as with blocking NCCL send/recv
 * (the sender's stream waits for the transfer); by default sends are buffered.
 *
 * <p>Immutable.
 */
public final class CostModel {
    private final double forward;
    private final double backward;
    private final double backwardInput;
    private final double weight;
    private final double forwardBackward;
    private final double p2p;
    private final double[] stageScale;
    /** Per-stage costs [F, B, b, W, F&B][stage], or null for the uniform costs above. */
    private final double[][] perStage;
    private final boolean blockingSends;
    /** Fraction of a full backward after which its input gradient leaves, or NaN: outputs leave at op end. */
    private final double earlyGradient;
    /** Kernels of each op when receives are posted early (torch's runtime), or null. */
    private final OpKernels postedReceives;
    /** Kernels of each op for host-launch timing ({@link #withHostLaunches}), or null. */
    private final OpKernels launches;
    private final double launchUs;
    private final double kernelGapUs;
    /** Per rank the clock its kernels ran at ({@link #withDeviceClocks}), or null: the peers' clock. */
    private final DeviceClock[] clocks;

    private CostModel(double forward, double backward, double backwardInput, double weight,
                      double forwardBackward, double p2p, double[] stageScale) {
        this(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, null, false, Double.NaN, null);
    }

    private CostModel(double forward, double backward, double backwardInput, double weight,
                      double forwardBackward, double p2p, double[] stageScale, double[][] perStage,
                      boolean blockingSends, double earlyGradient, OpKernels postedReceives) {
        this(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, perStage, blockingSends,
                earlyGradient, postedReceives, null, 0, 0, null);
    }

    private CostModel(double forward, double backward, double backwardInput, double weight,
                      double forwardBackward, double p2p, double[] stageScale, double[][] perStage,
                      boolean blockingSends, double earlyGradient, OpKernels postedReceives, OpKernels launches,
                      double launchUs, double kernelGapUs, DeviceClock[] clocks) {
        requireCost("f", forward);
        requireCost("b", backward);
        requireCost("bi", backwardInput);
        requireCost("w", weight);
        requireCost("p2p", p2p);
        if (!Double.isNaN(forwardBackward)) {
            requireCost("fb", forwardBackward);
        }
        for (int s = 0; s < stageScale.length; s++) {
            if (!(stageScale[s] > 0) || Double.isInfinite(stageScale[s])) {
                throw new IllegalArgumentException("stage-scale[" + s + "] (" + stageScale[s] + ") must be a finite number > 0");
            }
        }
        this.forward = forward;
        this.backward = backward;
        this.backwardInput = backwardInput;
        this.weight = weight;
        this.forwardBackward = forwardBackward;
        this.p2p = p2p;
        this.stageScale = stageScale;
        this.perStage = perStage;
        this.clocks = clocks;
        this.blockingSends = blockingSends;
        this.earlyGradient = earlyGradient;
        this.postedReceives = postedReceives;
        this.launches = launches;
        this.launchUs = launchUs;
        this.kernelGapUs = kernelGapUs;
    }

    private static void requireCost(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a finite duration >= 0");
        }
    }

    /**
     * Uniform costs.
     *
     * @param forwardBackward the overlapped pair's duration, or {@code NaN} for F + B
     */
    public static CostModel of(double forward, double backward, double backwardInput, double weight,
                               double forwardBackward, double p2p) {
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, new double[0]);
    }

    /**
     * Costs given per stage of a flow (index = stage), e.g. measured from a trace. Arrays must
     * have one entry per stage; an F&B entry may be NaN for F + B of its halves.
     *
     * @throws IllegalArgumentException naming the array and stage of a bad entry
     */
    public static CostModel ofStages(double[] forward, double[] backward, double[] backwardInput, double[] weight,
                                     double[] forwardBackward, double p2p) {
        int n = forward.length;
        double[][] table = {forward.clone(), backward.clone(), backwardInput.clone(), weight.clone(),
                forwardBackward.clone()};
        String[] names = {"f", "b", "bi", "w", "fb"};
        for (int k = 0; k < table.length; k++) {
            if (table[k].length != n) {
                throw new IllegalArgumentException(names[k] + " has " + table[k].length + " stages; f has " + n
                        + " (give one cost per stage)");
            }
            for (int s = 0; s < n; s++) {
                if (k == 4 && Double.isNaN(table[k][s])) {
                    continue;
                }
                requireCost(names[k] + "[" + s + "]", table[k][s]);
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("per-stage costs need at least one stage");
        }
        return new CostModel(0, 0, 0, 0, Double.NaN, p2p, new double[0], table, false, Double.NaN, null);
    }

    /** The same costs, with a sender held for {@code p2p} after every op whose output goes to another rank. */
    public CostModel withBlockingSends() {
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, perStage, true,
                earlyGradient, postedReceives, launches, launchUs, kernelGapUs, clocks);
    }

    /**
     * The same costs, with outputs sent as soon as they are computed rather than at the op's end:
     * a full backward's input gradient after {@code fraction} of it (a runtime that computes the
     * input-gradient GEMMs first and sends before the weight GEMMs), an overlapped pair's
     * activation after its forward half and its gradient after the forward plus that fraction
     * of the backward.
     */
    public CostModel withEarlyGradient(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("early gradient fraction (" + fraction + ") must be in (0, 1]");
        }
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, perStage,
                blockingSends, fraction, postedReceives, launches, launchUs, kernelGapUs, clocks);
    }

    /**
     * The same costs run as PyTorch's pipelining runtime runs them: every send and receive is a
     * communication kernel on one stream per rank, posted where {@link SendRecvLowering} puts it
     * (receives long before their data is sent), starting once the compute issued before it has
     * finished; a transfer takes {@code p2p} from when both ends run. While a comm kernel is
     * resident it holds SMs, and a computation kernel that starts beside it runs its
     * {@link KernelPhase#slowdown()} times as long. The simulator then times ops kernel by kernel
     * ({@link Simulator}). Blocking sends and early gradients do not apply (the runtime's own
     * order says when outputs leave).
     */
    public CostModel withPostedReceives(OpKernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("posted receives need the ops' kernels (OpKernels)");
        }
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, perStage,
                false, Double.NaN, kernels, launches, launchUs, kernelGapUs, clocks);
    }

    /**
     * The same costs with each rank's host issuing the ops' kernels and copies one per
     * {@code launchUs}, in schedule order, never waiting for the GPU (an eager runtime): a kernel
     * starts no earlier than it was issued, and no earlier than {@code kernelGapUs} after the
     * previous work of its stream; a send is a copy issued after the kernels that produce it
     * ({@link OpKernels#sendAfter}). Ops are then timed kernel by kernel
     * ({@link ScheduleExecutor}); when kernels are shorter than a launch the step is bound by the
     * host, as eager PyTorch is at small sizes.
     *
     * @throws IllegalArgumentException for a negative or non-finite launch time or gap
     */
    public CostModel withHostLaunches(OpKernels kernels, double launchUs, double kernelGapUs) {
        if (kernels == null) {
            throw new IllegalArgumentException("host launches need the ops' kernels (OpKernels)");
        }
        requireCost("launch", launchUs);
        requireCost("kernel gap", kernelGapUs);
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, perStage,
                blockingSends, earlyGradient, postedReceives, kernels, launchUs, kernelGapUs, clocks);
    }

    /**
     * The same costs, with the computation of rank {@code r} running at {@code clocks.get(r)}
     * ({@link DeviceClock}): an op or kernel that costs {@code d} at the peers' clock and starts at
     * {@code s} ends at {@code clock.end(s, d)}. Transfers keep their cost. For the replay of a
     * recorded step on the clocks the recording shows.
     *
     * @throws IllegalArgumentException for a null clock
     */
    public CostModel withDeviceClocks(List<DeviceClock> clocks) {
        DeviceClock[] copy = clocks.toArray(new DeviceClock[0]);
        for (int r = 0; r < copy.length; r++) {
            if (copy[r] == null) {
                throw new IllegalArgumentException("device clock of rank " + r + " is missing");
            }
        }
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, stageScale, perStage,
                blockingSends, earlyGradient, postedReceives, launches, launchUs, kernelGapUs, copy);
    }

    /** The clock rank {@code rank}'s computation runs at ({@link DeviceClock#NOMINAL} unless given). */
    public DeviceClock clock(int rank) {
        return clocks == null || rank >= clocks.length ? DeviceClock.NOMINAL : clocks[rank];
    }

    /** The ops' kernels for host-launch timing ({@link #withHostLaunches}), or null. */
    public OpKernels launches() {
        return launches;
    }

    /** Host time to issue one kernel or copy (µs); 0 without host launches. */
    public double launchUs() {
        return launchUs;
    }

    /** Device-side gap between back-to-back work of one stream (µs); 0 without host launches. */
    public double kernelGapUs() {
        return kernelGapUs;
    }

    /** The ops' kernels when receives are posted early ({@link #withPostedReceives}), or null. */
    public OpKernels postedReceives() {
        return postedReceives;
    }

    /** The fraction of a full backward after which its input gradient leaves, or NaN when outputs leave at op end. */
    public double earlyGradient() {
        return earlyGradient;
    }

    /** Whether a sending rank waits for its transfer ({@link #withBlockingSends()}). */
    public boolean blockingSends() {
        return blockingSends;
    }

    /** Stages the per-stage costs cover, or 0 for uniform costs. */
    public int costedStages() {
        return perStage == null ? 0 : perStage[0].length;
    }

    /** The same costs with stage {@code s} of every flow scaled by {@code scale[s]}. */
    public CostModel withStageScale(double... scale) {
        if (perStage != null) {
            throw new IllegalArgumentException("stage-scale applies to uniform costs; per-stage costs are already per stage");
        }
        return new CostModel(forward, backward, backwardInput, weight, forwardBackward, p2p, scale.clone(), null,
                blockingSends, earlyGradient, postedReceives, launches, launchUs, kernelGapUs, clocks);
    }

    /**
     * The same model with every compute duration (F, B, b, W, F&B) multiplied by
     * {@code factor}; p2p latency and stage scales are kept. Used to compare schedules that cut
     * a rank's share of the model into more stages (DualPipeV: 2, interleaved: v) with ones
     * that do not.
     */
    public CostModel scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("cost scale factor (" + factor + ") must be a finite number > 0");
        }
        double[][] table = null;
        if (perStage != null) {
            table = new double[perStage.length][];
            for (int k = 0; k < perStage.length; k++) {
                table[k] = perStage[k].clone();
                for (int s = 0; s < table[k].length; s++) {
                    table[k][s] *= factor;
                }
            }
        }
        return new CostModel(forward * factor, backward * factor, backwardInput * factor, weight * factor,
                forwardBackward * factor, p2p, stageScale, table, blockingSends, earlyGradient, postedReceives, launches,
                launchUs, kernelGapUs, clocks);
    }

    double scale(int stage) {
        if (stageScale.length == 0) {
            return 1.0;
        }
        if (stage >= stageScale.length) {
            throw new IllegalArgumentException("stage-scale has " + stageScale.length
                    + " entries; the schedule has stage " + stage + " (give one per stage)");
        }
        return stageScale[stage];
    }

    private double staged(int kind, int stage) {
        if (stage >= perStage[kind].length) {
            throw new IllegalArgumentException("costs are given for " + perStage[kind].length
                    + " stages; the schedule has stage " + stage + " (give one per stage)");
        }
        return perStage[kind][stage];
    }

    /** What one op of {@code kind} (not an F&B pair) costs on {@code stage}. */
    public double cost(OpKind kind, int stage) {
        return switch (kind) {
            case FORWARD -> forward(stage);
            case BACKWARD -> backward(stage);
            case BACKWARD_INPUT -> backwardInput(stage);
            case WEIGHT -> weight(stage);
            case FORWARD_BACKWARD -> throw new IllegalArgumentException("an F&B pair's cost depends on both its stages");
        };
    }

    double forward(int stage) {
        return perStage != null ? staged(0, stage) : forward * scale(stage);
    }

    double backward(int stage) {
        return perStage != null ? staged(1, stage) : backward * scale(stage);
    }

    double backwardInput(int stage) {
        return perStage != null ? staged(2, stage) : backwardInput * scale(stage);
    }

    double weight(int stage) {
        return perStage != null ? staged(3, stage) : weight * scale(stage);
    }

    /**
     * The overlapped pair of a forward on {@code forwardStage} and a backward on
     * {@code backwardStage}: F + B of those stages, or the given F&B duration scaled like its
     * halves, {@code F&B × (F·s_f + B·s_b) ÷ (F + B)}, so that a stage scale applies to pairs as
     * it does to every other op (with equal scales s it is {@code F&B × s}).
     */
    double pair(int forwardStage, int backwardStage) {
        if (perStage != null) {
            // a given F&B is charged by the stage of its forward half; NaN means F + B of the halves
            double measured = staged(4, forwardStage);
            return Double.isNaN(measured) ? forward(forwardStage) + backward(backwardStage) : measured;
        }
        if (Double.isNaN(forwardBackward)) {
            return forward(forwardStage) + backward(backwardStage);
        }
        double halves = forward + backward;
        if (halves == 0) {
            return forwardBackward * (scale(forwardStage) + scale(backwardStage)) / 2;
        }
        return forwardBackward * (forward(forwardStage) + backward(backwardStage)) / halves;
    }

    /** The duration of {@code op} run by {@code rank} under {@code layout}. */
    double duration(PipelineLayout layout, int rank, Op op) {
        int stage = layout.stage(rank, op.chunk());
        return switch (op.kind()) {
            case FORWARD -> forward(stage);
            case BACKWARD -> backward(stage);
            case BACKWARD_INPUT -> backwardInput(stage);
            case WEIGHT -> weight(stage);
            case FORWARD_BACKWARD -> pair(stage, layout.stage(rank, op.backwardChunk()));
        };
    }

    public double p2p() {
        return p2p;
    }

    @Override
    public String toString() {
        if (perStage != null) {
            return "CostModel[per stage: f=" + Arrays.toString(perStage[0]) + ", B=" + Arrays.toString(perStage[1])
                    + ", b=" + Arrays.toString(perStage[2]) + ", W=" + Arrays.toString(perStage[3]) + ", p2p=" + p2p
                    + (blockingSends ? ", blocking sends" : "")
                    + (Double.isNaN(earlyGradient) ? "" : ", gradient sent after " + earlyGradient + " of B")
                    + (postedReceives == null ? "" : ", posted receives") + "]";
        }
        return "CostModel[f=" + forward + ", B=" + backward + ", b=" + backwardInput + ", W=" + weight
                + ", F&B=" + (Double.isNaN(forwardBackward) ? "F+B" : forwardBackward) + ", p2p=" + p2p
                + (stageScale.length == 0 ? "" : ", stageScale=" + Arrays.toString(stageScale))
                + (blockingSends ? ", blocking sends" : "") + "]";
    }
}
