package io.parabench.analysis.report;

import io.parabench.analysis.chart.KernelBreakdownChart;
import io.parabench.analysis.chart.KernelNames;
import io.parabench.analysis.chart.OverlapChart;
import io.parabench.analysis.chart.PipelineGanttChart;
import io.parabench.analysis.chart.SmOccupancyChart;
import io.parabench.analysis.chart.StreamTimelineChart;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.AnnotationStat;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.KernelStat;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.PipelineRank;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.metrics.StreamActivity;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of a trace file or directory: the summary table first, then the metric
 * definitions, the overlap chart, the pipeline Gantt chart and bubbles when there are several
 * ranks, and per device its stream timeline, SM occupancy and kernel breakdown; then the
 * annotation totals. Built on {@link HtmlReport}.
 */
public final class TraceReport {
    /** Chart size in the page, pixels. */
    static final int WIDTH = 1100;
    static final int HEIGHT = 420;
    private static final int MAX_ANNOTATION_ROWS = 40;

    private TraceReport() {
    }

    /** What each metric means; printed in the report, same words as the Javadoc of the metrics. */
    public static Map<String, String> definitions(AnalysisOptions options) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("GPU events", "kernels, memcpy and memset (per device = trace pid).");
        d.put("span", "last GPU event end − first GPU event start.");
        d.put("busy / idle", "busy = length of the union of all GPU event intervals; idle = span − busy; idle ratio = idle ÷ span.");
        d.put("computation / communication", "communication kernels match the name pattern " + options.classifier().commPattern()
                + (options.classifier().commStreams().isEmpty() ? "" : " or run on streams " + options.classifier().commStreams())
                + "; computation kernels are all other kernels; memcpy/memset are memory, neither.");
        d.put("compute busy / comm busy", "length of the union of computation (communication) kernel intervals.");
        d.put("comm overlap ratio", "|union(computation) ∩ union(communication)| ÷ |union(communication)| (Holistic Trace Analysis's definition).");
        d.put("SM occupancy", "a kernel occupies the SM count the emulator recorded, else min(grid blocks, numSms); concurrent"
                + " kernels add up, capped at numSms (communication keeps its SMs); the average is time-weighted over the span ÷ numSms.");
        d.put("pipeline step window", "from the first to the last computation kernel, over all ranks, after the earliest start of the"
                + " step annotation (--step; default ProfilerStep#*, else sim:STEP, else the whole trace).");
        d.put("bubble", "per rank: window − union of its computation kernels; communication kernels are not work (NCCL send/recv"
                + " spin while waiting). bubble rate = mean bubble ÷ window.");
        return d;
    }

    /**
     * One analysed input of a report.
     *
     * @param traces  the files read
     * @param summary what {@code TraceMetrics} measured in them
     */
    public record Input(List<Trace> traces, TraceSummary summary) {
    }

    /** Builds the report of one analysed trace file or directory. */
    public static HtmlReport build(String title, List<Trace> traces, TraceSummary summary, AnalysisOptions options) {
        return build(title, List.of(new Input(traces, summary)), options);
    }

    /**
     * Builds the report of several inputs (e.g. a real trace beside an emulated one): one
     * summary table over all of them first, then each input's charts and tables.
     */
    public static HtmlReport build(String title, List<Input> inputs, AnalysisOptions options) {
        return build(new HtmlReport(title), inputs, options);
    }

    /** Builds into {@code r}, e.g. one configured to {@link HtmlReport#alsoWritePngTo} as well. */
    public static HtmlReport build(HtmlReport r, List<Input> inputs, AnalysisOptions options) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a trace report needs at least one trace");
        }
        for (Input in : inputs) {
            r.note("Source: " + in.summary().source() + " (" + (in.traces().isEmpty() ? "per-rank summaries"
                    : in.traces().size() + " file" + (in.traces().size() == 1 ? "" : "s")) + ", "
                    + String.format(Locale.ROOT, "%.1f MB of JSON", in.summary().bytesRead() / 1e6) + ").");
        }
        r.section("Summary");
        List<List<String>> rows = new ArrayList<>();
        for (Input in : inputs) {
            rows.addAll(summaryRows(in.summary()));
        }
        r.table(List.of("trace", "device", "rank", "name", "span (ms)", "busy (ms)", "idle ratio", "compute busy (ms)",
                "comm busy (ms)", "comm overlap ratio", "SM occupancy avg"), rows);
        List<List<String>> pipelines = new ArrayList<>();
        for (Input in : inputs) {
            in.summary().pipeline().ifPresent(p -> pipelines.add(List.of(in.summary().source(), ms(p.stepNs()),
                    p.stepAnnotation() == null ? "whole trace" : p.stepAnnotation(), ratio(p.bubbleRate()), bubbleList(p))));
        }
        if (!pipelines.isEmpty()) {
            r.table(List.of("trace", "pipeline step (ms)", "step annotation", "bubble rate", "bubble per rank (ms)"),
                    pipelines);
        }
        r.section("Definitions");
        r.definitions(definitions(options));
        for (Input in : inputs) {
            appendInput(r, inputs.size() > 1 ? in.summary().source() + ": " : "", in.traces(), in.summary(), options);
        }
        return r;
    }

    private static void appendInput(HtmlReport r, String prefix, List<Trace> traces, TraceSummary summary,
                                    AnalysisOptions options) {
        if (!summary.devices().isEmpty()) {
            r.section(prefix + "Compute and communication overlap");
            r.chart(OverlapChart.create(summary.devices()), WIDTH, 120 + 60 * summary.devices().size(),
                    "Each device's span split into computation only, overlapped, exposed communication, memory only and idle.");
        }
        summary.pipeline().ifPresent(p -> appendPipeline(r, prefix, traces, p, options));
        for (DeviceMetrics d : summary.devices()) {
            appendDevice(r, prefix, traces, d, options);
        }
        if (!summary.annotations().isEmpty()) {
            r.section(prefix + "Annotations");
            List<List<String>> rows = new ArrayList<>();
            for (AnnotationStat a : summary.annotations().subList(0, Math.min(MAX_ANNOTATION_ROWS, summary.annotations().size()))) {
                rows.add(List.of(a.name(), Long.toString(a.count()), ms(a.totalNs())));
            }
            r.table(List.of("user annotation", "count", "total (ms)"), rows);
            if (summary.annotations().size() > MAX_ANNOTATION_ROWS) {
                r.note((summary.annotations().size() - MAX_ANNOTATION_ROWS) + " shorter annotations not shown.");
            }
        }
    }

    private static List<List<String>> summaryRows(TraceSummary summary) {
        List<List<String>> rows = new ArrayList<>();
        for (DeviceMetrics d : summary.devices()) {
            rows.add(List.of(summary.source(), d.key(), d.rank() < 0 ? "–" : Integer.toString(d.rank()), d.name(), ms(d.spanNs()),
                    ms(d.busyNs()), ratio(d.idleRatio()), ms(d.computeBusyNs()), ms(d.commBusyNs()),
                    ratio(d.commOverlapRatio()), ratio(d.smOccupancyAvg())));
        }
        return rows;
    }

    private static String bubbleList(PipelineMetrics p) {
        StringBuilder sb = new StringBuilder();
        for (RankBubble b : p.ranks()) {
            sb.append(sb.length() == 0 ? "" : " / ").append(ms(b.bubbleNs()));
        }
        return sb.toString();
    }

    private static void appendPipeline(HtmlReport r, String prefix, List<Trace> traces, PipelineMetrics p,
                                       AnalysisOptions options) {
        r.section(prefix + "Pipeline step and bubbles");
        List<PipelineRank> ranks = PipelineRank.of(traces);
        if (ranks.isEmpty()) {
            r.note("Built from per-rank summaries (a Spark job): the ops of each rank stay with its trace, so no"
                    + " pipeline chart; the table gives each rank's bubble.");
        } else {
            r.chart(PipelineGanttChart.create(ranks, p, options.classifier()), WIDTH, 160 + 70 * ranks.size(),
                    "Ops per rank (from sim:* GPU annotations, op-token kernels, or computation kernels) and bubbles"
                            + " (time in the step window without computation kernels).");
        }
        List<List<String>> rows = new ArrayList<>();
        for (RankBubble b : p.ranks()) {
            rows.add(List.of(Integer.toString(b.rank()), ms(b.computeBusyNs()), ms(b.bubbleNs()),
                    ratio((double) b.bubbleNs() / p.stepNs())));
        }
        r.table(List.of("rank", "compute busy (ms)", "bubble (ms)", "bubble ÷ window"), rows);
    }

    private static void appendDevice(HtmlReport r, String prefix, List<Trace> traces, DeviceMetrics d,
                                     AnalysisOptions options) {
        r.section(prefix + "Device " + d.key() + " (" + d.name() + ")");
        if (!traces.isEmpty()) {
            Trace trace = traces.stream().filter(t -> t.rank() == d.rank()).findFirst().orElse(traces.get(0));
            List<StreamActivity> activity = StreamActivity.of(trace, d.device(), options.classifier());
            long streams = activity.stream().map(StreamActivity::stream).distinct().count();
            r.chart(StreamTimelineChart.create(d, activity), WIDTH, 140 + 45 * (int) streams,
                    "Busy time per stream, coloured by class; gaps shorter than 1/1500 of the span are bridged.");
        }
        if (d.smOccupancy() != null) {
            r.chart(SmOccupancyChart.create(d), WIDTH, HEIGHT,
                    "Occupied SMs over time, communication at the bottom, computation stacked on top.");
        }
        r.chart(KernelBreakdownChart.create(d), WIDTH, 140 + 24 * d.topKernels().size(),
                "Top kernels by summed duration; ×N is the launch count.");
        List<List<String>> rows = new ArrayList<>();
        for (KernelStat k : d.topKernels()) {
            rows.add(List.of(KernelNames.shorten(k.name()), k.kind().name().toLowerCase(Locale.ROOT),
                    Long.toString(k.count()), ms(k.totalNs())));
        }
        r.table(List.of("kernel", "class", "launches", "total (ms)"), rows);
        List<List<String>> streamRows = new ArrayList<>();
        d.streamBusyNs().forEach((s, ns) -> streamRows.add(List.of(Integer.toString(s), ms(ns))));
        r.table(List.of("stream", "busy (ms)"), streamRows);
    }

    static String ms(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e6);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
