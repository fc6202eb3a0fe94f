package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.chart.ChartFiles;
import io.parabench.analysis.chart.PredictionChart;
import io.parabench.analysis.predict.OpCostView;
import io.parabench.analysis.predict.Prediction;
import io.parabench.analysis.predict.Predictor;
import io.parabench.analysis.predict.StageCost;
import io.parabench.analysis.read.TraceReader;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code parabench predict}: what other pipeline schedules would take on the hardware of a
 * profiled step. Reads one trace per rank, measures the per-stage op costs and the
 * point-to-point cost, replays the recorded schedule with them (its error against the measured
 * step is printed first, so the user knows how far to trust the rest), and simulates each
 * target schedule with the same costs.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict other pipeline schedules from a profiled step (one trace per rank): measured step,"
                + " replay of the recorded schedule with the costs measured from the trace and its error, then per"
                + " target the predicted step, bubble rate, peak activations and parameters per rank.",
                "Activations and parameters are in units of one profiled stage (one micro-batch's activations, one"
                        + " stage's weights)."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACES", description = "trace directory (one file per rank) or file")
    Path traces;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "target schedule, repeatable: dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved, zbv")
    List<String> kinds;

    @Option(names = "--all", description = "predict every schedule kind")
    boolean all;

    @Option(names = "--schedule", paramLabel = "FILE",
            description = "also predict a schedule from a file (token text, reference JSON or torch CSV)")
    Path scheduleFile;

    @Option(names = "--ranks", paramLabel = "P", description = "target ranks (default: the profiled ranks)")
    Integer ranks;

    @Option(names = "--chunks", paramLabel = "C", description = "target micro-batches (default: the profiled ones)")
    Integer chunks;

    @Option(names = "--virtual-stages", paramLabel = "V", defaultValue = "2",
            description = "stages per rank for interleaved targets and sources (default: ${DEFAULT-VALUE})")
    int virtualStages;

    @Option(names = "--stage-cost", paramLabel = "MODE", defaultValue = "split",
            description = "split: the profiled model re-cut evenly over the target's stages (default);"
                    + " measured: every target stage costs what a profiled stage cost (a bigger model)")
    String stageCost;

    @Option(names = "--source-kind", paramLabel = "KIND",
            description = "the schedule that ran, when its op names give chunks, not stages (default: inferred)")
    String sourceKind;

    @picocli.CommandLine.Mixin
    FormatOption format;

    @Option(names = "--chart", paramLabel = "FILE", description = "also write measured vs predicted (.svg or .png)")
    Path chart;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChartFiles.requireChartExtension("--chart", chart);
        StageCost mode = stageCost(stageCost);
        ScheduleKind source = sourceKind == null ? null : ScheduleKind.of(sourceKind);
        List<ScheduleKind> targets = targets(kinds, all);
        if (ranks != null && ranks < 1) {
            throw new IllegalArgumentException("--ranks (" + ranks + ") must be >= 1");
        }
        if (chunks != null && chunks < 1) {
            throw new IllegalArgumentException("--chunks (" + chunks + ") must be >= 1");
        }
        Schedule fromFile = scheduleFile == null ? null : io.parabench.pipeline.ScheduleFile.read(scheduleFile);
        Predictor predictor = Predictor.of(traces.toString(), TraceReader.read(traces), source, virtualStages, mode);
        Prediction replay = predictor.replay();
        int p = ranks != null ? ranks : predictor.sourceSchedule().ranks();
        int c = chunks != null ? chunks : predictor.sourceSchedule().chunks();
        PipelineSizeOptions size = new PipelineSizeOptions();
        size.ranks = p;
        size.chunks = c;
        size.virtualStages = virtualStages;
        size.requireFits(targets);
        List<Prediction> predictions = new ArrayList<>();
        for (ScheduleKind kind : targets) {
            predictions.add(predictor.predict(kind.generate(p, c, virtualStages)));
        }
        if (fromFile != null) {
            predictions.add(predictor.predict(fromFile));
        }
        if (chart != null) {
            Map<String, Double> measured = new LinkedHashMap<>();
            measured.put("measured " + predictor.sourceKind(), predictor.measuredStepUs() / 1000);
            Map<String, Double> model = new LinkedHashMap<>();
            model.put("replay " + predictor.sourceKind(), replay.stepUs() / 1000);
            for (Prediction pr : predictions) {
                model.put(pr.kind() + " " + pr.ranks() + "x" + pr.chunks(), pr.stepUs() / 1000);
            }
            ChartFiles.write(PredictionChart.create("Measured vs predicted step, " + traces.getFileName(), measured, model),
                    chart, 900, 160 + 50 * (model.size() + 1));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.json() ? json(predictor, replay, predictions) : text(predictor, replay, predictions));
        out.flush();
        return 0;
    }

    static StageCost stageCost(String value) {
        for (StageCost s : StageCost.values()) {
            if (s.cliName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--stage-cost (" + value + ") must be split or measured");
    }

    static List<ScheduleKind> targets(List<String> kinds, boolean all) {
        List<ScheduleKind> out = new ArrayList<>();
        if (all) {
            out.addAll(List.of(ScheduleKind.values()));
        } else if (kinds != null) {
            for (String k : kinds) {
                out.add(ScheduleKind.of(k));
            }
        }
        return out;
    }

    private String json(Predictor predictor, Prediction replay, List<Prediction> predictions) throws Exception {
        ObjectNode root = JsonOutput.object();
        ObjectNode source = root.putObject("source");
        source.put("trace", traces.toString());
        source.put("kind", predictor.sourceKind());
        source.put("ranks", predictor.sourceSchedule().ranks());
        source.put("chunks", predictor.sourceSchedule().chunks());
        source.put("stages", predictor.sourceStages());
        source.put("measured_step_us", predictor.measuredStepUs());
        source.put("replay_step_us", replay.stepUs());
        source.put("replay_error", predictor.replayError());
        source.put("replay_bubble_rate", replay.bubbleRate());
        source.put("replay_common_clock_step_us", predictor.replayAtCommonClock().stepUs());
        ObjectNode costs = source.putObject("costs");
        costs.put("p2p_us", predictor.p2pUs());
        costs.put("communication", predictor.blockingComm() ? "blocking" : "asynchronous");
        costs.put("posted_receives", predictor.sourcePostsReceives());
        costs.put("host_launch_us", predictor.hostLaunchUs());
        ArrayNode clocks = costs.putArray("clock_factors");
        for (double f : predictor.clockFactors()) {
            clocks.add(f);
        }
        ArrayNode stages = costs.putArray("stages");
        for (int s = 0; s < predictor.sourceStages(); s++) {
            ObjectNode stage = stages.addObject();
            stage.put("stage", s);
            for (OpCostView v : OpCostView.of(predictor, s)) {
                ObjectNode k = stage.putObject(v.key());
                k.put("cost_us", v.cost().costUs());
                if (v.cost().derived()) {
                    k.put("derived", true);
                } else {
                    k.put("median_us", v.cost().medianUs());
                    k.put("min_us", v.cost().minUs());
                    k.put("max_us", v.cost().maxUs());
                    k.put("count", v.cost().count());
                    k.put("alone", v.cost().alone());
                }
            }
        }
        root.put("stage_cost", predictor.stageCost().cliName());
        ArrayNode out = root.putArray("predictions");
        for (Prediction p : predictions) {
            ObjectNode n = out.addObject();
            n.put("kind", p.kind());
            n.put("ranks", p.ranks());
            n.put("chunks", p.chunks());
            n.put("step_us", p.stepUs());
            n.put("bubble_rate", p.bubbleRate());
            n.put("peak_activations", p.peakActivations());
            n.put("parameters", p.parameters());
        }
        return JsonOutput.write(root);
    }

    private String text(Predictor predictor, Prediction replay, List<Prediction> predictions) {
        StringBuilder sb = new StringBuilder();
        Schedule s = predictor.sourceSchedule();
        sb.append(String.format(Locale.ROOT, "source %s: %s, %d ranks, %d micro-batches, %d stages%n", traces,
                predictor.sourceKind(), s.ranks(), s.chunks(), predictor.sourceStages()));
        sb.append(String.format(Locale.ROOT, "measured step %.3f ms   replay %.3f ms (%+.2f%%)   p2p %.3f ms, %s communication%n",
                predictor.measuredStepUs() / 1000, replay.stepUs() / 1000, 100 * predictor.replayError(),
                predictor.p2pUs() / 1000, predictor.blockingComm() ? "blocking" : "asynchronous"));
        if (predictor.sourcePostsReceives()) {
            sb.append("receives posted early: NCCL kernels hold SMs beside the GEMMs (timed kernel by kernel)")
                    .append(System.lineSeparator());
        }
        if (predictor.hostLaunchUs() > 0) {
            sb.append(String.format(Locale.ROOT, "host-bound: one launch per %.3f us (timed kernel by kernel)%n",
                    predictor.hostLaunchUs()));
        }
        sb.append("device clock per rank (kernel time / the GPUs' typical, step mean):");
        for (double f : predictor.clockFactors()) {
            sb.append(String.format(Locale.ROOT, " %.3f", f));
        }
        sb.append(String.format(Locale.ROOT, "; replayed as recorded, predicted at 1 (replay at 1: %.3f ms)%n",
                predictor.replayAtCommonClock().stepUs() / 1000));
        sb.append("per-stage cost (ms, what each ran alone at the common clock, medians; * derived):").append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%6s %9s %9s %9s %9s%n", "stage", "F", "B", "b", "W"));
        for (int st = 0; st < predictor.sourceStages(); st++) {
            sb.append(String.format(Locale.ROOT, "%6d", st));
            for (OpCostView v : OpCostView.of(predictor, st)) {
                if (!v.key().equals("F&B")) {
                    sb.append(String.format(Locale.ROOT, " %8.3f%s", v.cost().costUs() / 1000, v.cost().derived() ? "*" : " "));
                }
            }
            sb.append(System.lineSeparator());
        }
        if (!predictions.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "predictions (--stage-cost %s; activations and parameters per rank in"
                    + " profiled-stage units):%n", predictor.stageCost().cliName()));
            sb.append(String.format(Locale.ROOT, "%-12s %5s %6s %11s %9s %11s %16s %10s%n", "schedule", "ranks", "chunks",
                    "step (ms)", "vs meas.", "bubble rate", "peak activations", "parameters"));
            for (Prediction p : predictions) {
                sb.append(String.format(Locale.ROOT, "%-12s %5d %6d %11.3f %+8.2f%% %11.4f %16.2f %10.2f%n", p.kind(),
                        p.ranks(), p.chunks(), p.stepUs() / 1000, 100 * (p.stepUs() / predictor.measuredStepUs() - 1),
                        p.bubbleRate(), p.peakActivations(), p.parameters()));
            }
        }
        return sb.toString().stripTrailing();
    }
}
