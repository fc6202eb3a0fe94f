package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.kernels.HostPool;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.runtime.PipelineRuntime;
import io.parabench.pipeline.runtime.ReferenceRun;
import io.parabench.pipeline.runtime.StageModel;
import io.parabench.pipeline.runtime.TrainingStep;
import io.parabench.output.FileSet;
import io.parabench.trace.ChromeTraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code parabench train}: runs one training step of a schedule for real on emulated GPUs and
 * checks it against the same model trained without a pipeline.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Run one training step of a pipeline schedule on emulated GPUs (one per rank; real FP32"
                + " numerics, virtual clock) and check the loss and every weight gradient against a"
                + " non-pipelined run of the same model: they must be equal bit for bit.",
                "Model: per stage Linear(width->hidden), GELU(tanh), Linear(hidden->width), no bias, MSE loss;"
                + " weights, inputs and targets from --seed."})
final class TrainCommand implements Callable<Integer> {
    /** Largest width, hidden size or tokens accepted: keeps a step to seconds on a laptop. */
    private static final int MAX_DIMENSION = 1024;

    /**
     * Most host memory the per-micro-batch weight gradients may take: the runtime keeps every
     * micro-batch's gradients so it can sum them in a fixed order (8·width·hidden bytes each).
     */
    private static final long MAX_KEPT_GRADIENT_BYTES = 1L << 30;

    @Mixin
    ScheduleOptions schedule;

    @Option(names = "--width", defaultValue = "64", paramLabel = "D", description = "model width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--hidden", defaultValue = "256", paramLabel = "H",
            description = "hidden width of each stage's GELU layer (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--tokens", defaultValue = "32", paramLabel = "T",
            description = "rows of one micro-batch (default: ${DEFAULT-VALUE})")
    int tokens;

    @Mixin
    EmulatorOptions emulator;

    @Option(names = "--trace", paramLabel = "DIR", description = "also write one Chrome trace per rank: DIR/rank-<r>.json"
            + " (all or none; rank files of an earlier run are replaced)")
    Path traceDir;

    @Option(names = "--force", description = "with --trace: write into DIR even when it holds other files (they stay)")
    boolean force;

    /** The files {@code --trace} writes; an earlier run's ones are replaced, never mixed in. */
    private static final Pattern RANK_TRACE = Pattern.compile("rank-\\d+\\.json");

    @Mixin
    FormatOption format;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static void requireDimension(String name, int value) {
        if (value < 1 || value > MAX_DIMENSION) {
            throw new IllegalArgumentException(name + " (" + value + ") must be in 1.." + MAX_DIMENSION);
        }
    }

    /** Largest width, hidden size or tokens of a timing-only run: a tensor must stay under 2³¹ elements. */
    private static final int MAX_TIMING_ONLY_DIMENSION = 65536;

    @Override
    public Integer call() throws Exception {
        Emulation emulation = emulator.emulation();
        if (emulation.timingOnly()) {
            return timingOnly(emulation);
        }
        requireDimension("--width", width);
        requireDimension("--hidden", hidden);
        requireDimension("--tokens", tokens);
        DeviceSpec gpu = emulator.deviceSpec();
        Schedule plan = schedule.generate();
        int stages = plan.layout().stages(0);
        long kept = 8L * width * hidden * stages * plan.chunks();
        if (kept > MAX_KEPT_GRADIENT_BYTES) {
            throw new IllegalArgumentException("--chunks (" + plan.chunks() + ") x model stages (" + stages
                    + ") x 8 x width x hidden (" + kept + " bytes of per-micro-batch gradients) must be at most "
                    + MAX_KEPT_GRADIENT_BYTES + "; lower --chunks, --ranks, --width or --hidden");
        }
        requireFitsInHeap(plan, stages);
        StageModel model = new StageModel(stages, width, hidden, tokens, emulator.seed);
        TrainingStep step;
        try (HostPool pool = HostPool.of(emulator.threads)) {
            step = traceDir == null ? PipelineRuntime.run(plan, model, gpu, pool, null, emulation)
                    : traced(plan, model, gpu, pool, emulation);
            ReferenceRun reference = ReferenceRun.run(model, step.losses().length, gpu, pool);
            Check check = Check.of(step, reference);
            PrintWriter out = spec.commandLine().getOut();
            out.println(format.json() ? json(plan, gpu, model, step, check) : text(plan, gpu, model, step, check));
            out.flush();
            check.require();
        }
        return 0;
    }

    /**
     * The heap a step and its reference need, estimated in floats before anything is allocated:
     * per model stage the weights (2·d·h) three times (model, device copy, summed gradient) and
     * each micro-batch's kept gradients (2·d·h); every micro-batch's activations at every stage
     * (input, pre-activation, activation, output: 2·d + 2·h per token) for the pipelined run and
     * again for the reference; inputs and targets (2·d per token).
     */
    private void requireFitsInHeap(Schedule plan, int modelStages) {
        double stages = modelStages;
        double microBatches = plan.chunks();
        double weights = 2.0 * width * hidden;
        double activations = (double) tokens * (2.0 * width + 2.0 * hidden);
        double floats = stages * weights * (3 + 2 * microBatches) + 2 * stages * microBatches * activations
                + 2 * microBatches * tokens * (double) width;
        HeapBudget.require(String.format(Locale.ROOT, "a %s step of %d model stages x %d micro-batches (d=%d, h=%d, %d"
                        + " tokens)", plan.kind(), modelStages, plan.chunks(), width, hidden, tokens),
                4 * floats, "--chunks, --ranks, --tokens, --width or --hidden");
    }

    /** The same program at any size, charged but not computed; the reference check is not run. */
    private int timingOnly(Emulation emulation) throws Exception {
        for (String[] d : new String[][] {{"--width", "" + width}, {"--hidden", "" + hidden}, {"--tokens", "" + tokens}}) {
            int v = Integer.parseInt(d[1]);
            if (v < 1 || v > MAX_TIMING_ONLY_DIMENSION) {
                throw new IllegalArgumentException(d[0] + " (" + v + ") must be in 1.." + MAX_TIMING_ONLY_DIMENSION
                        + " with --timing-only");
            }
        }
        if ((long) tokens * Math.max(width, hidden) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--tokens x max(--width, --hidden) (" + (long) tokens * Math.max(width, hidden)
                    + ") must be at most " + Integer.MAX_VALUE + " elements per tensor");
        }
        DeviceSpec gpu = emulator.deviceSpec();
        Schedule plan = schedule.generate();
        StageModel model = StageModel.shapeOnly(plan.layout().stages(0), width, hidden, tokens);
        TrainingStep step;
        try (HostPool pool = HostPool.of(1)) {
            step = traceDir == null ? PipelineRuntime.run(plan, model, gpu, pool, null, emulation)
                    : traced(plan, model, gpu, pool, emulation);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.json() ? json(plan, gpu, model, step, null) : text(plan, gpu, model, step, null));
        out.flush();
        return 0;
    }

    private TrainingStep traced(Schedule plan, StageModel model, DeviceSpec gpu, HostPool pool, Emulation emulation) {
        try (FileSet files = FileSet.open(traceDir, RANK_TRACE, force)) {
            List<ChromeTraceWriter> writers = new ArrayList<>();
            for (int r = 0; r < plan.ranks(); r++) {
                writers.add(ChromeTraceWriter.open(files.create("rank-" + r + ".json"), List.of(gpu.properties(r)),
                        r, plan.ranks()));
            }
            TrainingStep step = PipelineRuntime.run(plan, model, gpu, pool, writers, emulation);
            for (ChromeTraceWriter w : writers) {
                w.close();
            }
            files.commit();
            return step;
        }
    }

    /** The pipelined step against the reference: largest loss and gradient differences. */
    record Check(double maxLossDifference, double maxGradientDifference) {
        static Check of(TrainingStep step, ReferenceRun reference) {
            double loss = 0;
            for (int m = 0; m < step.losses().length; m++) {
                loss = Math.max(loss, Math.abs((double) step.losses()[m] - reference.losses()[m]));
            }
            double grad = 0;
            for (int s = 0; s < step.gradients().size(); s++) {
                grad = Math.max(grad, step.gradients().get(s).maxAbsDifference(reference.gradients().get(s)));
            }
            return new Check(loss, grad);
        }

        /** The step must equal the reference bit for bit: exit 1 naming the figure that differs. */
        void require() {
            if (maxLossDifference != 0 || maxGradientDifference != 0) {
                throw new CheckFailedException("the pipelined step differs from the non-pipelined reference: "
                        + (maxLossDifference != 0 ? "max |loss - reference| = " + num(maxLossDifference) : "")
                        + (maxLossDifference != 0 && maxGradientDifference != 0 ? ", " : "")
                        + (maxGradientDifference != 0 ? "max |grad - reference| = " + num(maxGradientDifference) : "")
                        + " (must be 0)");
            }
        }
    }

    static String json(Schedule plan, DeviceSpec gpu, StageModel model, TrainingStep step, Check check) throws Exception {
        ObjectNode root = JsonOutput.object();
        root.put("kind", plan.kind());
        root.put("ranks", plan.ranks());
        root.put("micro_batches", step.losses().length);
        root.put("model_stages", model.stages());
        root.put("device", gpu.name());
        if (check == null) {
            // timing-only: nothing was computed, so there is no loss and nothing to check
            root.putNull("mean_loss");
            root.putNull("max_loss_diff");
            root.putNull("max_grad_diff");
            root.put("checks", "not run (timing-only)");
        } else {
            root.put("mean_loss", step.meanLoss());
            root.put("max_loss_diff", check.maxLossDifference());
            root.put("max_grad_diff", check.maxGradientDifference());
        }
        root.put("step_time(us)", step.stepNs() / 1000.0);
        ArrayNode ranks = root.putArray("per_rank");
        for (int r = 0; r < step.ranks(); r++) {
            ObjectNode rank = ranks.addObject();
            rank.put("rank", r);
            rank.put("busy(us)", step.computeBusyNs(r) / 1000.0);
            rank.put("bubble", step.bubble(r));
            rank.put("copies", step.copyLaunches().get(r).size());
            rank.put("peak_memory(bytes)", step.peakBytes()[r]);
        }
        return JsonOutput.write(root);
    }

    static String text(Schedule plan, DeviceSpec gpu, StageModel model, TrainingStep step, Check check) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, %d ranks, %d micro-batches, %d model stages (d=%d, h=%d, %d tokens), %s%n",
                plan.kind(), plan.ranks(), step.losses().length, model.stages(), model.width(), model.hidden(),
                model.tokens(), gpu.name()));
        if (check == null) {
            sb.append("timing-only: loss and gradient checks not run").append(System.lineSeparator());
        } else {
            sb.append(String.format(Locale.ROOT, "mean loss %.6f   max |loss - reference| %s   max |grad - reference| %s%n",
                    step.meanLoss(), num(check.maxLossDifference()), num(check.maxGradientDifference())));
        }
        sb.append(String.format(Locale.ROOT, "virtual step time %.3f us%n", step.stepNs() / 1000.0));
        sb.append(String.format(Locale.ROOT, "%6s %12s %8s %8s %14s%n", "rank", "busy(us)", "bubble", "copies", "peak memory"));
        for (int r = 0; r < step.ranks(); r++) {
            sb.append(String.format(Locale.ROOT, "%6d %12.3f %8.4f %8d %14d%n", r, step.computeBusyNs(r) / 1000.0,
                    step.bubble(r), step.copyLaunches().get(r).size(), step.peakBytes()[r]));
        }
        return sb.toString().stripTrailing();
    }

    private static String num(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3e", v);
    }
}
