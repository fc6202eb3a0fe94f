package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.rank.LocalRanks;
import io.parabench.analysis.rank.RankEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code parabench trace-stats FILE|DIR}: per-device span, busy, idle, compute/communication
 * overlap, SM occupancy and stream busy of a PyTorch-profiler trace, and for several ranks the
 * pipeline bubbles of the step.
 */
@Command(name = "trace-stats", mixinStandardHelpOptions = true,
        description = {"Summarise a PyTorch-profiler (Chrome) trace: busy, idle, compute/communication overlap,"
                + " SM occupancy and per-stream busy per device; pipeline bubbles for a directory of per-rank"
                + " traces or a file holding several ranks.",
                "Times in microseconds. Definitions: see the HTML report or TraceMetrics' Javadoc."})
public final class TraceStatsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|DIR", description = "trace file (.json or .json.gz) or directory of per-rank traces")
    Path input;

    @Mixin
    FormatOption format;

    @Option(names = "--comm-pattern", paramLabel = "REGEX",
            description = "Java regex that marks communication kernels by name (default: NCCL and DeepEP)")
    String commPattern;

    @Option(names = "--comm-stream", paramLabel = "N",
            description = "stream whose kernels are all communication; repeatable")
    List<Integer> commStreams;

    @Option(names = "--step", paramLabel = "NAME",
            description = "step annotation for pipeline bubbles: exact name, or NAME* for a prefix"
                    + " (default: ProfilerStep#*, else sim:STEP, else the whole trace)")
    String step;

    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
            description = "where ranks are analysed: local (this machine's cores, default) or spark"
                    + " (an embedded Spark job; see README, Thousands of ranks)")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master for --engine spark (default: local[*])")
    String master;

    @Override
    public Integer call() throws IOException {
        AnalysisOptions options = options(commPattern, commStreams, step);
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new IllegalArgumentException("--engine (" + engine + ") must be local or spark");
        }
        if (master != null && engine.equals("local")) {
            throw new IllegalArgumentException("--master (" + master + ") needs --engine spark");
        }
        TraceSummary summary = engine.equals("local")
                ? LocalRanks.analyze(input, options, LocalRanks.DEFAULT_THREADS)
                : RankEngine.named(engine).analyze(input.toString(), options, master);
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            out.println(json(summary));
        } else {
            out.print(text(summary));
        }
        out.flush();
        return 0;
    }

    /** Options shared with the report command; validated before any file is read. */
    static AnalysisOptions options(String commPattern, List<Integer> commStreams, String step) {
        KernelClassifier classifier = KernelClassifier.of(commPattern,
                commStreams == null ? java.util.Set.of() : new HashSet<>(commStreams));
        return new AnalysisOptions(classifier, step, AnalysisOptions.DEFAULT_TOP_KERNELS);
    }

    /** The JSON document of {@code trace-stats}: devices keyed by id, then {@code pipeline} when there is one. */
    public static String json(TraceSummary summary) {
        ObjectNode root = JsonOutput.object();
        for (DeviceMetrics d : summary.devices()) {
            ObjectNode node = root.putObject(d.key());
            node.put("span_us", d.spanUs());
            node.put("busy_us", d.busyUs());
            putRatio(node, "idle_ratio", d.idleRatio());
            node.put("compute_busy_us", d.computeBusyUs());
            node.put("comm_busy_us", d.commBusyUs());
            putRatio(node, "comm_overlap_ratio", d.commOverlapRatio());
            putRatio(node, "sm_occupancy_avg", d.smOccupancyAvg());
            ObjectNode streams = node.putObject("streams");
            for (Map.Entry<Integer, Long> s : d.streamBusyNs().entrySet()) {
                streams.put(Integer.toString(s.getKey()), s.getValue() / 1000.0);
            }
        }
        summary.pipeline().ifPresent(p -> {
            ObjectNode node = root.putObject("pipeline");
            node.put("step_us", p.stepUs());
            ArrayNode ranks = node.putArray("ranks");
            for (RankBubble r : p.ranks()) {
                ObjectNode rank = ranks.addObject();
                rank.put("rank", r.rank());
                rank.put("compute_busy_us", r.computeBusyUs());
                rank.put("bubble_us", r.bubbleUs());
            }
            putRatio(node, "bubble_rate", p.bubbleRate());
        });
        return JsonOutput.write(root);
    }

    private static void putRatio(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    static String text(TraceSummary summary) {
        StringBuilder sb = new StringBuilder();
        if (summary.devices().isEmpty()) {
            sb.append("no GPU events (kernel, gpu_memcpy, gpu_memset) in ").append(summary.source())
                    .append(System.lineSeparator());
        }
        for (DeviceMetrics d : summary.devices()) {
            sb.append(String.format(Locale.ROOT, "device %s (%s%s, %d SMs)%n", d.key(), d.name(),
                    d.rank() >= 0 ? ", rank " + d.rank() : "", d.numSms()));
            line(sb, "span_us", fmt(d.spanUs()));
            line(sb, "busy_us", fmt(d.busyUs()));
            line(sb, "idle_ratio", ratio(d.idleRatio()));
            line(sb, "compute_busy_us", fmt(d.computeBusyUs()));
            line(sb, "comm_busy_us", fmt(d.commBusyUs()));
            line(sb, "comm_overlap_ratio", ratio(d.commOverlapRatio()));
            line(sb, "sm_occupancy_avg", ratio(d.smOccupancyAvg()));
            StringBuilder streams = new StringBuilder();
            d.streamBusyNs().forEach((s, ns) -> streams.append(streams.length() == 0 ? "" : ", ")
                    .append(s).append(": ").append(fmt(ns / 1000.0)));
            line(sb, "streams (busy_us)", streams.toString());
        }
        summary.pipeline().ifPresent(p -> appendPipeline(sb, p));
        return sb.toString();
    }

    private static void appendPipeline(StringBuilder sb, PipelineMetrics p) {
        sb.append(String.format(Locale.ROOT, "pipeline (step annotation: %s)%n",
                p.stepAnnotation() == null ? "none, whole trace" : p.stepAnnotation()));
        line(sb, "step_us", fmt(p.stepUs()));
        for (RankBubble r : p.ranks()) {
            line(sb, "rank " + r.rank(), "compute_busy_us " + fmt(r.computeBusyUs()) + ", bubble_us " + fmt(r.bubbleUs()));
        }
        line(sb, "bubble_rate", ratio(p.bubbleRate()));
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "  %-20s %s%n", key, value));
    }

    private static String fmt(double us) {
        return String.format(Locale.ROOT, "%.3f", us);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.4f", r);
    }
}
