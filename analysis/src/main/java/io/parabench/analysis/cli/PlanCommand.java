package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.chart.ChartFiles;
import io.parabench.analysis.chart.ParetoChart;
import io.parabench.analysis.predict.MemoryLimit;
import io.parabench.analysis.predict.Plan;
import io.parabench.analysis.predict.Predictor;
import io.parabench.analysis.read.TraceReader;
import io.parabench.pipeline.ScheduleKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parabench plan}: which schedule, micro-batch count and virtual stages to run on the
 * hardware of a profiled step, within a memory limit. Searches kind × micro-batches × virtual
 * stages with the costs {@code predict} measures, drops what does not fit, and prints the
 * fastest per micro-batch and the Pareto front of time per micro-batch against memory.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Search schedule kind x micro-batches x virtual stages on the hardware of a profiled step:"
                + " drop configurations whose per-rank memory does not fit, rank the rest by predicted step time per"
                + " micro-batch, print the best and the Pareto front (time per micro-batch vs memory).",
                "Memory: --max-activations N (activations a rank holds, in profiled-stage units, as predict prints"
                        + " them), or --memory-cap GiB with --activation-bytes B (one micro-batch through one profiled"
                        + " stage) and --param-bytes B (one profiled stage's parameters, gradients and optimizer state)."})
final class PlanCommand implements Callable<Integer> {
    private static final Pattern RANGE = Pattern.compile("(\\d+)\\.\\.(\\d+)");

    @Parameters(index = "0", paramLabel = "TRACES", description = "trace directory (one file per rank) or file")
    Path traces;

    @Option(names = "--max-activations", paramLabel = "N", description = "activations a rank may hold")
    Double maxActivations;

    @Option(names = "--memory-cap", paramLabel = "GiB", description = "memory a rank may use")
    Double memoryCapGiB;

    @Option(names = "--activation-bytes", paramLabel = "B", description = "bytes of one profiled-stage activation")
    Double activationBytes;

    @Option(names = "--param-bytes", paramLabel = "B", description = "bytes of one profiled stage's parameters")
    Double paramBytes;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND", description = "kinds to search (default: all)")
    List<String> kinds;

    @Option(names = "--chunks-range", paramLabel = "a..b",
            description = "micro-batch counts to search (default: 1..the profiled count)")
    String chunksRange;

    @Option(names = "--ranks", paramLabel = "P", description = "pipeline ranks (default: the profiled ranks)")
    Integer ranks;

    @Option(names = "--stage-cost", paramLabel = "MODE", defaultValue = "split",
            description = "split (default) or measured, as for predict")
    String stageCost;

    @Mixin
    FormatOption format;

    @Option(names = "--chart", paramLabel = "FILE", description = "also write the Pareto front (.svg or .png)")
    Path chart;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChartFiles.requireChartExtension("--chart", chart);
        MemoryLimit limit = limit();
        List<ScheduleKind> chosen = PredictCommand.targets(kinds, kinds == null);
        int[] range = chunksRange == null ? null : range(chunksRange);
        if (ranks != null && ranks < 1) {
            throw new IllegalArgumentException("--ranks (" + ranks + ") must be >= 1");
        }
        Predictor predictor = Predictor.of(traces.toString(), TraceReader.read(traces), null, 2,
                PredictCommand.stageCost(stageCost));
        int p = ranks != null ? ranks : predictor.sourceSchedule().ranks();
        int from = range != null ? range[0] : 1;
        int to = range != null ? range[1] : predictor.sourceSchedule().chunks();
        Plan plan = io.parabench.analysis.predict.Planner.search(predictor, p, chosen, from, to, limit);
        if (chart != null && !plan.pareto().isEmpty()) {
            List<ParetoChart.Point> points = new ArrayList<>();
            for (Plan.Candidate c : plan.pareto()) {
                points.add(new ParetoChart.Point(label(c), memoryShown(c, limit), c.usPerMicroBatch() / 1000));
            }
            ChartFiles.write(ParetoChart.create("Plan for " + traces.getFileName() + ", " + p + " ranks",
                    limit.inBytes() ? "memory per rank (GiB)" : "peak activations per rank", "step time per micro-batch (ms)",
                    points), chart, 900, 600);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.json() ? json(predictor, plan, limit, p, from, to) : text(predictor, plan, limit, p, from, to));
        out.flush();
        return 0;
    }

    private MemoryLimit limit() {
        if (maxActivations != null) {
            if (memoryCapGiB != null || activationBytes != null || paramBytes != null) {
                throw new IllegalArgumentException("--max-activations (" + maxActivations
                        + ") excludes --memory-cap, --activation-bytes and --param-bytes");
            }
            return MemoryLimit.activations(maxActivations);
        }
        if (memoryCapGiB == null || activationBytes == null || paramBytes == null) {
            throw new IllegalArgumentException("a memory limit is required: --max-activations N, or --memory-cap GiB"
                    + " with --activation-bytes B and --param-bytes B");
        }
        return MemoryLimit.bytes(memoryCapGiB * (1L << 30), activationBytes, paramBytes);
    }

    static int[] range(String text) {
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--chunks-range (" + text + ") must be a..b, e.g. 8..32");
        }
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static String label(Plan.Candidate c) {
        return c.kind() + (c.virtualStages() > 0 ? " v" + c.virtualStages() : "") + " x" + c.chunks();
    }

    private static double memoryShown(Plan.Candidate c, MemoryLimit limit) {
        return limit.inBytes() ? c.memory() / (1L << 30) : c.memory();
    }

    private String json(Predictor predictor, Plan plan, MemoryLimit limit, int p, int from, int to) {
        ObjectNode root = JsonOutput.object();
        root.put("source_kind", predictor.sourceKind());
        root.put("ranks", p);
        root.put("chunks_from", from);
        root.put("chunks_to", to);
        root.put("memory_unit", limit.inBytes() ? "bytes" : "activations");
        root.put("memory_limit", limit.limit());
        root.put("configurations", plan.configurations());
        root.put("fitting", plan.fitting());
        root.put("simulated", plan.simulated());
        if (plan.best() != null) {
            candidate(root.putObject("best"), plan.best());
        } else {
            root.putNull("best");
        }
        ArrayNode front = root.putArray("pareto");
        for (Plan.Candidate c : plan.pareto()) {
            candidate(front.addObject(), c);
        }
        return JsonOutput.write(root);
    }

    private static void candidate(ObjectNode n, Plan.Candidate c) {
        n.put("kind", c.kind());
        n.put("chunks", c.chunks());
        if (c.virtualStages() > 0) {
            n.put("virtual_stages", c.virtualStages());
        }
        n.put("step_us", c.prediction().stepUs());
        n.put("us_per_micro_batch", c.usPerMicroBatch());
        n.put("memory", c.memory());
        n.put("peak_activations", c.prediction().peakActivations());
        n.put("parameters", c.prediction().parameters());
        n.put("bubble_rate", c.prediction().bubbleRate());
    }

    private String text(Predictor predictor, Plan plan, MemoryLimit limit, int p, int from, int to) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "hardware of %s (%s); %d ranks, %d..%d micro-batches; memory limit %s%n",
                traces, predictor.sourceKind(), p, from, to, limit.inBytes()
                        ? String.format(Locale.ROOT, "%.2f GiB", limit.limit() / (1L << 30))
                        : String.format(Locale.ROOT, "%.2f activations", limit.limit())));
        sb.append(String.format(Locale.ROOT, "%d configurations, %d fit, %d simulated (the rest ruled out by a bound)%n",
                plan.configurations(), plan.fitting(), plan.simulated()));
        if (plan.best() == null) {
            return sb.append("nothing fits: raise the limit or search fewer micro-batches").toString();
        }
        sb.append(String.format(Locale.ROOT, "best: %s, %.3f ms per micro-batch (step %.3f ms)%n", label(plan.best()),
                plan.best().usPerMicroBatch() / 1000, plan.best().prediction().stepUs() / 1000));
        sb.append("Pareto front (time per micro-batch vs memory):").append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-20s %12s %11s %12s %16s %10s%n", "configuration", "ms per mb", "step (ms)",
                limit.inBytes() ? "memory GiB" : "activations", "peak activations", "parameters"));
        for (Plan.Candidate c : plan.pareto()) {
            sb.append(String.format(Locale.ROOT, "%-20s %12.3f %11.3f %12.2f %16.2f %10.2f%n", label(c),
                    c.usPerMicroBatch() / 1000, c.prediction().stepUs() / 1000, memoryShown(c, limit),
                    c.prediction().peakActivations(), c.prediction().parameters()));
        }
        return sb.toString().stripTrailing();
    }
}
