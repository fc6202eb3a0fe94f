package io.parabench.analysis.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.chart.KernelNames;
import io.parabench.analysis.metrics.KernelStat;
import io.parabench.analysis.metrics.LaunchSummary;
import io.parabench.analysis.metrics.StreamIdle;
import io.parabench.analysis.metrics.Temporal;
import io.parabench.analysis.metrics.CriticalPath;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.PipelineTimeline;
import io.parabench.analysis.metrics.Stragglers;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.rank.LocalRanks;
import io.parabench.analysis.read.DroppedEvents;
import io.parabench.analysis.rank.RankEngine;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.analysis.report.PerfettoTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
                + " traces or a file holding several ranks; Holistic Trace Analysis's temporal, kernel, idle-time,"
                + " launch and queue-length breakdowns per device (--classifier hta --time-base hta to compare with HTA).",
                "Times in microseconds. Definitions: see the HTML report or TraceMetrics' Javadoc."})
public final class TraceStatsCommand implements Callable<Integer> {
    /**
     * The text output's number format: the same digits as {@code Locale.ROOT}, but JDK 17's
     * {@code Formatter} builds {@code DecimalFormatSymbols} at every call for any locale but US
     * (the text of 100 000 devices spent 80% of its samples in {@code String.format}; a
     * {@code %.3f} took 2-5 µs with ROOT and 1 µs with US under C1). The per-device loops use
     * {@link DecimalText} and no formatter at all.
     */
    private static final Locale TEXT_LOCALE = Locale.US;
    /** Kernel rows in the text output; JSON has all that --kernels keeps. */
    private static final int TEXT_KERNELS = 5;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|DIR", description = "trace file (.json or .json.gz) or directory of per-rank traces")
    Path input;

    @Mixin
    FormatOption format;

    @Mixin
    TraceAnalysisOptions analysis;

    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
            description = "where ranks are analysed: local (this machine's cores, default) or spark"
                    + " (an embedded Spark job; see README, Thousands of ranks)")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master for --engine spark (default: local[*])")
    String master;

    @Option(names = "--critical-path",
            description = "also the stragglers and the critical path of a multi-rank step (holds every rank's trace"
                    + " in memory)")
    boolean criticalPath;

    @Option(names = "--annotate", paramLabel = "OUT.json.gz",
            description = "also write one merged trace of every rank for Perfetto, with SM-occupancy and queue-length"
                    + " counter tracks and point-to-point flow arrows (holds every rank's trace in memory)")
    Path annotate;

    @Option(names = DeviceDetail.OPTION, paramLabel = "N|all", defaultValue = "" + DeviceDetail.DEFAULT_LIMIT,
            description = "devices printed with Holistic Trace Analysis's breakdowns (temporal, kernels, idle, launches,"
                    + " queue length), in device order; the others get their summary figures only, and stderr and the"
                    + " JSON key device_detail say so (default: ${DEFAULT-VALUE}; all for every device)")
    String deviceDetail;

    private DeviceDetail detail;

    /** What the multi-rank analyses found; null without a pipeline or without --critical-path. */
    record RankAnalyses(Stragglers stragglers, CriticalPath path) {
    }

    @Override
    public Integer call() throws IOException {
        AnalysisOptions options = analysis.analysisOptions();
        detail = DeviceDetail.parse(deviceDetail);
        boolean inMemory = criticalPath || annotate != null;
        if (inMemory && !engine.equals("local")) {
            throw new IllegalArgumentException("--critical-path and --annotate (engine " + engine
                    + ") need --engine local: they hold every rank's trace in memory");
        }
        if (annotate != null && (Files.isDirectory(annotate)
                || !annotate.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.json(\\.gz)?"))) {
            throw new IllegalArgumentException("--annotate (" + annotate + ") must be a file named *.json or *.json.gz");
        }
        if (inMemory) {
            List<Trace> traces = TraceReader.read(input);
            TraceSummary summary = LocalRanks.analyze(input.toString(), traces, options, LocalRanks.DEFAULT_THREADS);
            PipelineTimeline timeline = summary.pipeline().map(p -> PipelineTimeline.of(traces, p, options)).orElse(null);
            RankAnalyses ranks = criticalPath && timeline != null
                    ? new RankAnalyses(Stragglers.of(timeline), CriticalPath.of(timeline)) : null;
            if (annotate != null) {
                PerfettoTrace.write(annotate, traces, summary,
                        timeline == null ? List.of() : CriticalPath.edges(timeline), options);
                spec.commandLine().getErr().println("trace-stats: wrote " + annotate);
                spec.commandLine().getErr().flush();
            }
            print(summary, ranks);
            return 0;
        }
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new IllegalArgumentException("--engine (" + engine + ") must be local or spark");
        }
        if (master != null && engine.equals("local")) {
            throw new IllegalArgumentException("--master (" + master + ") needs --engine spark");
        }
        TraceSummary summary = engine.equals("local")
                ? LocalRanks.analyze(input, options, LocalRanks.DEFAULT_THREADS)
                : RankEngine.named(engine).analyze(input.toString(), options, master);
        print(summary, null);
        return 0;
    }

    private void print(TraceSummary summary, RankAnalyses ranks) {
        PrintWriter err = spec.commandLine().getErr();
        if (summary.dropped().total() > 0) {
            err.println("trace-stats: " + describe(summary.dropped()));
        }
        int devices = summary.devices().size();
        if (detail.capped(devices)) {
            err.println("trace-stats: " + detail.describe(devices));
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            // streamed device by device: a trace of 100 k devices makes a document of tens of MB
            try (JsonGenerator g = JsonOutput.generator(out)) {
                g.useDefaultPrettyPrinter();
                writeJson(g, summary, ranks, detail);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            out.println();
        } else {
            out.print(text(summary, ranks, detail));
        }
        out.flush();
    }

    /** One line for stderr: how many events the reader dropped, and why. */
    static String describe(DroppedEvents d) {
        return String.format(Locale.ROOT, "dropped %d events of kept kinds (kernel, memcpy, memset, annotations,"
                + " runtime calls): %d without ts, %d with a negative dur, %d without pid or name",
                d.total(), d.withoutTs(), d.negativeDur(), d.withoutPidOrName());
    }

    /**
     * The JSON document of {@code trace-stats}: devices keyed by id, then {@code pipeline} when
     * there is one, then {@code dropped_events} when the reader dropped any.
     */
    public static String json(TraceSummary summary) {
        return json(summary, null);
    }

    static String json(TraceSummary summary, RankAnalyses multiRank) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (JsonGenerator g = JsonOutput.generator(text)) {
            g.useDefaultPrettyPrinter();
            writeJson(g, summary, multiRank, DeviceDetail.ALL);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Writes the document: every device's figures, HTA's breakdowns for the devices {@code detail}
     * covers, then {@code pipeline}, {@code dropped_events} and, when devices were left without
     * breakdowns, {@code device_detail} saying how many and how to get them all.
     */
    private static void writeJson(JsonGenerator g, TraceSummary summary, RankAnalyses multiRank, DeviceDetail detail)
            throws IOException {
        g.writeStartObject();
        List<DeviceMetrics> devices = summary.devices();
        for (int i = 0; i < devices.size(); i++) {
            DeviceMetrics d = devices.get(i);
            g.writeFieldName(d.key());
            writeDevice(g, d, detail.covers(i));
        }
        if (summary.pipeline().isPresent()) {
            g.writeFieldName("pipeline");
            writePipeline(g, summary.pipeline().get(), multiRank);
        }
        DroppedEvents dropped = summary.dropped();
        if (dropped.total() > 0) {
            g.writeObjectFieldStart("dropped_events");
            g.writeNumberField("without_ts", dropped.withoutTs());
            g.writeNumberField("negative_dur", dropped.negativeDur());
            g.writeNumberField("without_pid_or_name", dropped.withoutPidOrName());
            g.writeEndObject();
        }
        if (detail.capped(devices.size())) {
            g.writeObjectFieldStart("device_detail");
            g.writeNumberField("devices", devices.size());
            g.writeNumberField("detailed", detail.limit());
            g.writeArrayFieldStart("keys_left_out");
            for (String key : TraceStatsJson.HTA_KEYS) {
                g.writeString(key);
            }
            g.writeEndArray();
            g.writeStringField("all_with", DeviceDetail.OPTION + " all");
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeDevice(JsonGenerator g, DeviceMetrics d, boolean withHta) throws IOException {
        g.writeStartObject();
        g.writeNumberField("span_us", d.spanUs());
        g.writeNumberField("busy_us", d.busyUs());
        TraceStatsJson.writeNumber(g, "idle_ratio", d.idleRatio());
        g.writeNumberField("compute_busy_us", d.computeBusyUs());
        g.writeNumberField("comm_busy_us", d.commBusyUs());
        TraceStatsJson.writeNumber(g, "comm_overlap_ratio", d.commOverlapRatio());
        TraceStatsJson.writeNumber(g, "sm_occupancy_avg", d.smOccupancyAvg());
        g.writeObjectFieldStart("streams");
        for (Map.Entry<Integer, Long> s : d.streamBusyNs().entrySet()) {
            g.writeNumberField(Integer.toString(s.getKey()), s.getValue() / 1000.0);
        }
        g.writeEndObject();
        if (withHta) {
            TraceStatsJson.writeHtaAnalyses(g, d);
        }
        g.writeEndObject();
    }

    private static void writePipeline(JsonGenerator g, PipelineMetrics p, RankAnalyses multiRank) throws IOException {
        g.writeStartObject();
        g.writeNumberField("step_us", p.stepUs());
        g.writeArrayFieldStart("ranks");
        for (RankBubble r : p.ranks()) {
            g.writeStartObject();
            g.writeNumberField("rank", r.rank());
            g.writeNumberField("compute_busy_us", r.computeBusyUs());
            g.writeNumberField("bubble_us", r.bubbleUs());
            g.writeEndObject();
        }
        g.writeEndArray();
        TraceStatsJson.writeNumber(g, "bubble_rate", p.bubbleRate());
        if (multiRank != null) {
            // a few hundred ops at most (--critical-path needs every trace in memory): built as a tree
            ObjectNode paths = JsonOutput.object();
            PipelineJson.putStragglers(paths, multiRank.stragglers());
            PipelineJson.putCriticalPath(paths, multiRank.path(), p.windowStartNs());
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field : paths.properties()) {
                g.writeFieldName(field.getKey());
                g.writeTree(field.getValue());
            }
        }
        g.writeEndObject();
    }

    static String text(TraceSummary summary) {
        return text(summary, null, DeviceDetail.ALL);
    }

    static String text(TraceSummary summary, RankAnalyses ranks, DeviceDetail detail) {
        StringBuilder sb = new StringBuilder();
        if (summary.devices().isEmpty()) {
            sb.append("no GPU events (kernel, gpu_memcpy, gpu_memset) in ").append(summary.source())
                    .append(System.lineSeparator());
        }
        List<DeviceMetrics> devices = summary.devices();
        int blocks = Math.min(devices.size(), detail.limit());
        for (DeviceMetrics d : devices.subList(0, blocks)) {
            sb.append(String.format(TEXT_LOCALE, "device %s (%s%s, %d SMs)%n", d.key(), d.name(),
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
            appendHta(sb, d);
        }
        if (blocks < devices.size()) {
            appendDeviceRows(sb, devices.subList(blocks, devices.size()), blocks);
        }
        summary.pipeline().ifPresent(p -> {
            appendPipeline(sb, p);
            if (ranks != null) {
                PipelineJson.appendText(sb, ranks.stragglers(), ranks.path(), p.windowStartNs());
            }
        });
        return sb.toString();
    }

    private static final String[] DEVICE_ROW_HEADER = {"device", "span_us", "busy_us", "idle_ratio", "compute_busy_us",
            "comm_busy_us", "comm_overlap_ratio", "sm_occupancy_avg"};

    /** The devices past the detail limit, one line each: the same figures as a block's first lines. */
    private static void appendDeviceRows(StringBuilder sb, List<DeviceMetrics> rest, int detailed) {
        sb.append(String.format(TEXT_LOCALE, "devices %d.. of %d, one line each (%s all prints each in full)%n",
                detailed + 1, detailed + rest.size(), DeviceDetail.OPTION));
        row(sb, DEVICE_ROW_HEADER);
        for (DeviceMetrics d : rest) {
            row(sb, new String[] {d.key(), fmt(d.spanUs()), fmt(d.busyUs()), ratio(d.idleRatio()), fmt(d.computeBusyUs()),
                    fmt(d.commBusyUs()), ratio(d.commOverlapRatio()), ratio(d.smOccupancyAvg())});
        }
    }

    /** One row of the device table: the key left-aligned, each figure right-aligned under its header. */
    private static void row(StringBuilder sb, String[] cells) {
        sb.append("  ").append(cells[0]).append(" ".repeat(Math.max(1, 13 - cells[0].length())));
        for (int c = 1; c < cells.length; c++) {
            int width = Math.max(10, DEVICE_ROW_HEADER[c].length());
            sb.append(" ".repeat(Math.max(1, width + 1 - cells[c].length()))).append(cells[c]);
        }
        sb.append(System.lineSeparator());
    }

    /** HTA's analyses of one device, a few lines each (all rows are in --format json). */
    private static void appendHta(StringBuilder sb, DeviceMetrics d) {
        Temporal t = d.temporal();
        line(sb, "temporal", String.format(TEXT_LOCALE, "kernel_time_us %s, idle %s, compute %s, non-compute %s",
                fmt(t.kernelTimeNs() / 1e3), share(t, t.idleNs()), share(t, t.computeNs()), share(t, t.nonComputeNs())));
        List<KernelStat> kernels = d.breakdown().rows();
        for (int k = 0; k < Math.min(TEXT_KERNELS, kernels.size()); k++) {
            KernelStat s = kernels.get(k);
            line(sb, k == 0 ? "top kernels" : "", String.format(TEXT_LOCALE,
                    "%s ×%d, sum %s us, mean %s ± %s (sample std), %s, %.1f%% of its class",
                    KernelNames.shorten(s.name()), s.count(), fmt(s.totalUs()), fmt(s.meanNs() / 1e3),
                    fmt(s.stdNs() / 1e3), s.kind().name().toLowerCase(Locale.ROOT), 100 * d.breakdown().share(s)));
        }
        for (StreamIdle s : d.idleBreakdown()) {
            line(sb, "idle stream " + s.stream(), "host_wait_us " + fmt(s.hostWaitNs() / 1e3) + ", kernel_wait_us "
                    + fmt(s.kernelWaitNs() / 1e3) + ", other_us " + fmt(s.otherNs() / 1e3));
        }
        LaunchSummary l = d.launches();
        if (l.launches() > 0) {
            line(sb, "launches", String.format(TEXT_LOCALE,
                    "%d; cpu p50 %s us, launch delay p50 %s us, %d over %s us runtime, %d over %s us delay,"
                            + " %d kernels shorter than their launch", l.launches(), fmt(l.cpuDurationNs().p50() / 1e3),
                    fmt(l.launchDelayNs().p50() / 1e3), l.runtimeOutliers(), fmt(l.runtimeCutoffNs() / 1e3),
                    l.delayOutliers(), fmt(l.delayCutoffNs() / 1e3), l.shortKernels()));
        }
        d.queueLength().forEach((stream, q) -> line(sb, "queue stream " + stream, String.format(TEXT_LOCALE,
                "mean %.2f, p50 %.0f, max %.0f outstanding ops", q.mean(), q.p50(), q.max())));
    }

    private static String share(Temporal t, long ns) {
        return fmt(ns / 1e3) + " (" + ratio(t.share(ns)) + ")";
    }

    private static void appendPipeline(StringBuilder sb, PipelineMetrics p) {
        sb.append(String.format(TEXT_LOCALE, "pipeline (step annotation: %s)%n",
                p.stepAnnotation() == null ? "none, whole trace" : p.stepAnnotation()));
        line(sb, "step_us", fmt(p.stepUs()));
        for (RankBubble r : p.ranks()) {
            line(sb, "rank " + r.rank(), "compute_busy_us " + fmt(r.computeBusyUs()) + ", bubble_us " + fmt(r.bubbleUs()));
        }
        line(sb, "bubble_rate", ratio(p.bubbleRate()));
    }

    private static void line(StringBuilder sb, String key, String value) {
        // "  %-20s %s%n" without a Formatter (one line per rank of a 100 000-rank pipeline)
        sb.append("  ").append(key).append(" ".repeat(Math.max(0, 20 - key.length()))).append(' ').append(value)
                .append(System.lineSeparator());
    }

    private static String fmt(double us) {
        return DecimalText.of(us, 3);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : DecimalText.of(r, 4);
    }
}
