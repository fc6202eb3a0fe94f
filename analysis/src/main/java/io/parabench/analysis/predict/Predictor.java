package io.parabench.analysis.predict;

import io.parabench.analysis.read.Trace;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;

import java.util.List;

/**
 * Predicts other pipeline schedules on the hardware of a profiled step: reads the step
 * ({@link RecordedStep}), builds its hardware model ({@link MeasuredCosts}), re-simulates the
 * recorded op order with it (the <em>replay</em>, whose error against the measured step says how
 * far to trust the rest), and simulates target schedules with the same model.
 *
 * <p>Immutable; one instance serves any number of predictions.
 */
public final class Predictor {
    private final RecordedStep step;
    private final MeasuredCosts costs;
    private final StageCost stageCost;

    private Predictor(RecordedStep step, StageCost stageCost) {
        this.step = step;
        this.costs = MeasuredCosts.of(step);
        this.stageCost = stageCost;
    }

    /**
     * @param sourceKind    the schedule that ran, or null to infer it from the op order
     * @param virtualStages stages per rank of an interleaved source named by chunk tokens
     */
    public static Predictor of(String source, List<Trace> traces, ScheduleKind sourceKind, int virtualStages,
                               StageCost stageCost) {
        return new Predictor(RecordedStep.read(source, traces, sourceKind, virtualStages), stageCost);
    }

    /** The generator that produced the recorded op order, or {@code custom}. */
    public String sourceKind() {
        return step.kind();
    }

    public Schedule sourceSchedule() {
        return step.schedule();
    }

    /** The measured step window (µs), as {@code trace-stats} reports it. */
    public double measuredStepUs() {
        return step.measuredStepUs();
    }

    /** Point-to-point cost between ranks measured from the step (µs). */
    public double p2pUs() {
        return costs.p2pUs();
    }

    /** Host time per launch when the step was host-bound (the suite's own traces), else 0. */
    public double hostLaunchUs() {
        return step.launches() == null ? 0 : step.launches().launchUs();
    }

    /**
     * Per rank, how many times as long its kernels took than the GPUs' typical time, averaged over
     * the step ({@link RecordedClocks}): above 1 on a GPU whose clock dropped. The replay runs each
     * rank at its recorded clock; costs and predictions are at the common clock.
     */
    public double[] clockFactors() {
        return costs.clocks().meanFactors();
    }

    public boolean blockingComm() {
        return costs.blockingComm();
    }

    /** Stages of the profiled pipeline (per flow). */
    public int sourceStages() {
        return costs.stages();
    }

    /** What a stage's op of a kind cost in the step. */
    public OpCost cost(int stage, io.parabench.pipeline.OpKind kind) {
        return costs.cost(stage, kind);
    }

    /** The recorded schedule re-simulated with the measured costs, each GPU at the clock it ran at. */
    public Prediction replay() {
        return new Prediction(step.kind(), Simulator.simulate(step.schedule(),
                costs.costModel(costs.stages(), StageCost.MEASURED, sourcePostsReceives(), null)
                        .withDeviceClocks(costs.clocks().clocks())), 1.0);
    }

    /**
     * The recorded schedule re-simulated with every GPU at the common clock, as predictions run:
     * what the step would have taken had no GPU slowed down ({@link #clockFactors()}).
     */
    public Prediction replayAtCommonClock() {
        return new Prediction(step.kind(), Simulator.simulate(step.schedule(),
                costs.costModel(costs.stages(), StageCost.MEASURED, sourcePostsReceives(), null)), 1.0);
    }

    /**
     * Whether the profiled runtime posted receives early: a {@code zbv} step (PyTorch's
     * pipelining runtime) whose NCCL kernels ran beside computation. A step moved by copy
     * engines (the suite's emulator) or with blocking communication did not.
     */
    public boolean sourcePostsReceives() {
        return step.kind().equals(ScheduleKind.ZBV.cliName()) && step.commKernels() && !costs.blockingComm();
    }

    /**
     * Whether a target of this kind runs with receives posted early on SM-holding comm kernels:
     * the kind's runtime does ({@link ScheduleKind#postsReceivesEarly()}) and the profiled
     * hardware moved data with communication kernels.
     */
    public boolean postsReceives(Schedule target) {
        for (ScheduleKind k : ScheduleKind.values()) {
            if (k.cliName().equals(target.kind())) {
                return step.commKernels() && k.postsReceivesEarly();
            }
        }
        return false;
    }

    /** (replay − measured) ÷ measured. */
    public double replayError() {
        return replay().stepUs() / measuredStepUs() - 1;
    }

    /** A target schedule on the measured hardware. */
    public Prediction predict(Schedule target) {
        return new Prediction(target.kind(), Simulator.simulate(target, costModel(target)), stageSize(target));
    }

    /** The measured costs re-cut for a target schedule's stages ({@link StageCost}). */
    public CostModel costModel(Schedule target) {
        return costs.costModel(target.layout().stages(0), stageCost, postsReceives(target),
                computesFirstInputGradient(target));
    }

    /**
     * Whether the runtime of the target's kind computes the first stage's input gradient
     * ({@link ScheduleKind#computesFirstStageInputGradient()}); null for a schedule of no known
     * kind (then as the profiled step did).
     */
    private static Boolean computesFirstInputGradient(Schedule target) {
        for (ScheduleKind k : ScheduleKind.values()) {
            if (k.cliName().equals(target.kind())) {
                return k.computesFirstStageInputGradient();
            }
        }
        return null;
    }

    /** One stage of the target, in stages of the profiled pipeline. */
    public double stageSize(Schedule target) {
        return stageCost == StageCost.MEASURED ? 1.0 : (double) costs.stages() / target.layout().stages(0);
    }

    public StageCost stageCost() {
        return stageCost;
    }
}
