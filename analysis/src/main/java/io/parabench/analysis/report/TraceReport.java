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
import io.parabench.analysis.metrics.Distribution;
import io.parabench.analysis.metrics.KernelStat;
import io.parabench.analysis.metrics.LaunchSummary;
import io.parabench.analysis.metrics.StreamIdle;
import io.parabench.analysis.metrics.Temporal;
import io.parabench.analysis.metrics.TimeBase;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.CriticalPath;
import io.parabench.analysis.metrics.PipelineOp;
import io.parabench.analysis.metrics.PipelineTimeline;
import io.parabench.analysis.metrics.Stragglers;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.metrics.StreamActivity;
import io.parabench.analysis.metrics.TraceDevices;
import io.parabench.analysis.metrics.TraceDiff;
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
    private static final int MAX_KERNEL_ROWS = 30;
    /** Devices that get their own section (charts and tables); the others are in the summary table only. */
    static final int MAX_DEVICE_SECTIONS = 16;
    /** Rows of the summary table; a trace with more devices gets a note instead of a page nobody can open. */
    static final int MAX_SUMMARY_ROWS = 256;
    /** Devices the overlap chart draws (60 px a bar); the others are in the summary table. */
    static final int MAX_OVERLAP_BARS = 64;
    /** Ranks a pipeline Gantt chart draws (and bubbles listed in one cell); beyond, bars would be thinner than a pixel. */
    static final int MAX_GANTT_RANKS = 64;
    private static final int MAX_DIFF_ROWS = 20;

    private TraceReport() {
    }

    /** What each metric means; printed in the report, same words as the Javadoc of the metrics. */
    public static Map<String, String> definitions(AnalysisOptions options) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("GPU events", "kernels, memcpy and memset (per device = trace pid).");
        d.put("span", "last GPU event end − first GPU event start.");
        d.put("busy / idle", "busy = length of the union of all GPU event intervals; idle = span − busy; idle ratio = idle ÷ span.");
        if (options.classifier().isHta()) {
            d.put("computation / communication", "Holistic Trace Analysis's classes, by name only: communication matches "
                    + "(^nccl.*)|(^hip)|(^hccl)|(.*ncclKernel.*), memory (^(hip)?Memcpy)|(^(hip)?Memset)|(^dma), computation"
                    + " everything else except names HTA calls other (containing Sync, Memcpy, Memset, launch calls).");
        } else {
            d.put("computation / communication", "communication kernels match the name pattern " + options.classifier().commPattern()
                    + (options.classifier().commStreams().isEmpty() ? "" : " or run on streams " + options.classifier().commStreams())
                    + "; computation kernels are all other kernels; memcpy/memset are memory, neither.");
        }
        d.put("time base", options.timeBase() == TimeBase.HTA
                ? "whole microseconds as HTA rounds them (start up, end down), so figures equal HTA's."
                : "the trace's nanoseconds (HTA rounds to whole microseconds: its figures differ by up to 2 µs per event).");
        d.put("compute busy / comm busy", "length of the union of computation (communication) kernel intervals.");
        d.put("comm overlap ratio", "|union(computation) ∩ union(communication)| ÷ |union(communication)| (Holistic Trace Analysis's definition).");
        d.put("SM occupancy", "a kernel occupies the SM count the emulator recorded, else min(grid blocks, numSms); concurrent"
                + " kernels add up, capped at numSms (communication keeps its SMs); the average is time-weighted over the span ÷ numSms.");
        d.put("pipeline step window", "from the first to the last computation kernel, over all ranks, after the earliest start of the"
                + " step annotation (--step; default ProfilerStep#*, else sim:STEP, else the whole trace).");
        d.put("bubble", "per rank: window − union of its computation kernels; communication kernels are not work (NCCL send/recv"
                + " spin while waiting). bubble rate = mean bubble ÷ window.");
        d.put("temporal (HTA)", "kernel time = span of the merged GPU intervals; idle = kernel time − busy; compute = |union of"
                + " computation kernels|; non-compute = kernel time − compute − idle.");
        d.put("kernel statistics", "per kernel name: launches, total, mean, min, max and the sample standard deviation (n − 1, as"
                + " HTA); share = the name's total ÷ the total of its class on the device.");
        d.put("idle breakdown (HTA)", "per stream, each gap between consecutive GPU events is host wait when the launching runtime"
                + " call started after the previous event ended, else kernel wait when shorter than "
                + options.kernelWaitNs() / 1e3 + " µs, else other.");
        d.put("launch statistics (HTA)", "per cudaLaunchKernel/ExC/MemcpyAsync/MemsetAsync call and its GPU event: CPU duration of"
                + " the call, GPU duration, launch delay = GPU start − call end (≥ 0); outliers over "
                + options.runtimeCutoffNs() / 1e3 + " µs (call) and " + options.launchDelayCutoffNs() / 1e3 + " µs (delay).");
        d.put("queue length (HTA)", "per stream, operations launched and not yet started: +1 at each launch call, −1 when its"
                + " GPU event starts; statistics over the values at each change.");
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
        int devices = 0;
        for (Input in : inputs) {
            rows.addAll(summaryRows(in.summary(), MAX_SUMMARY_ROWS - rows.size()));
            devices += in.summary().devices().size();
        }
        r.table(List.of("trace", "device", "rank", "name", "span (ms)", "busy (ms)", "idle ratio", "compute busy (ms)",
                "comm busy (ms)", "comm overlap ratio", "SM occupancy avg"), rows);
        if (devices > MAX_SUMMARY_ROWS) {
            r.note((devices - MAX_SUMMARY_ROWS) + " more devices not listed; trace-stats --format json has them all.");
        }
        List<List<String>> pipelines = new ArrayList<>();
        for (Input in : inputs) {
            in.summary().pipeline().ifPresent(p -> pipelines.add(List.of(in.summary().source(), ms(p.stepNs()),
                    p.stepAnnotation() == null ? "whole trace" : p.stepAnnotation(), ratio(p.bubbleRate()), bubbleList(p))));
        }
        if (!pipelines.isEmpty()) {
            r.table(List.of("trace", "pipeline step (ms)", "step annotation", "bubble rate", "bubble per rank (ms)"),
                    pipelines);
        }
        if (inputs.size() == 2) {
            appendDiff(r, TraceDiff.of(inputs.get(0).summary(), inputs.get(1).summary()));
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
            List<DeviceMetrics> bars = summary.devices().subList(0, Math.min(MAX_OVERLAP_BARS, summary.devices().size()));
            r.chart(OverlapChart.create(bars), WIDTH, 120 + 60 * bars.size(),
                    "Each device's span split into computation only, overlapped, exposed communication, memory only and idle.");
            if (bars.size() < summary.devices().size()) {
                r.note((summary.devices().size() - bars.size()) + " more devices are not drawn (the first " + MAX_OVERLAP_BARS
                        + " are); their figures are in the summary table and in trace-stats.");
            }
        }
        // prepared once for the pipeline and the device sections: each preparation classifies every distinct name
        List<TraceDevices> prepared = new ArrayList<>();
        for (Trace t : traces) {
            prepared.add(TraceDevices.of(t, options));
        }
        summary.pipeline().ifPresent(p -> appendPipeline(r, prefix, prepared, p));
        List<DeviceMetrics> drawn = summary.devices().subList(0, Math.min(MAX_DEVICE_SECTIONS, summary.devices().size()));
        for (DeviceMetrics d : drawn) {
            appendDevice(r, prefix, prepared, d, options);
        }
        if (summary.devices().size() > drawn.size()) {
            r.note((summary.devices().size() - drawn.size()) + " more devices are not drawn (the first "
                    + MAX_DEVICE_SECTIONS + " are); their figures are in the summary table and in trace-stats.");
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

    /** The first {@code max} devices' rows (formatting all 100 000 of a huge trace cost seconds). */
    private static List<List<String>> summaryRows(TraceSummary summary, int max) {
        List<List<String>> rows = new ArrayList<>();
        for (DeviceMetrics d : summary.devices().subList(0, Math.min(max, summary.devices().size()))) {
            rows.add(List.of(summary.source(), d.key(), d.rank() < 0 ? "–" : Integer.toString(d.rank()), d.name(), ms(d.spanNs()),
                    ms(d.busyNs()), ratio(d.idleRatio()), ms(d.computeBusyNs()), ms(d.commBusyNs()),
                    ratio(d.commOverlapRatio()), ratio(d.smOccupancyAvg())));
        }
        return rows;
    }

    private static String bubbleList(PipelineMetrics p) {
        StringBuilder sb = new StringBuilder();
        List<RankBubble> ranks = p.ranks();
        for (RankBubble b : ranks.subList(0, Math.min(MAX_GANTT_RANKS, ranks.size()))) {
            sb.append(sb.length() == 0 ? "" : " / ").append(ms(b.bubbleNs()));
        }
        if (ranks.size() > MAX_GANTT_RANKS) {
            sb.append(" / … (").append(ranks.size() - MAX_GANTT_RANKS).append(" more ranks)");
        }
        return sb.toString();
    }

    /** What changed from the first trace to the second (see {@link TraceDiff}). */
    private static void appendDiff(HtmlReport r, TraceDiff d) {
        r.section("Trace diff: " + d.b().source() + " against " + d.a().source());
        List<List<String>> head = new ArrayList<>();
        head.add(List.of("step (ms)", ms(TraceDiff.stepNs(d.a())), ms(TraceDiff.stepNs(d.b())), signedMs(d.stepDeltaNs())));
        if (d.a().pipeline().isPresent() && d.b().pipeline().isPresent()) {
            double ra = d.a().pipeline().get().bubbleRate();
            double rb = d.b().pipeline().get().bubbleRate();
            head.add(List.of("bubble rate", ratio(ra), ratio(rb), String.format(Locale.ROOT, "%+.4f", rb - ra)));
        }
        for (TraceDiff.RankDelta x : d.ranks()) {
            head.add(List.of("rank " + x.rank() + " bubble (ms)", ms(x.bubbleNsA()), ms(x.bubbleNsB()),
                    signedMs(x.bubbleDeltaNs())));
        }
        r.table(List.of("", "A", "B", "B − A"), head);
        appendDeltas(r, "kernel", d.kernels());
        appendDeltas(r, "annotation", d.annotations());
    }

    private static void appendDeltas(HtmlReport r, String what, List<TraceDiff.Delta> deltas) {
        List<List<String>> rows = new ArrayList<>();
        for (TraceDiff.Delta x : deltas.subList(0, Math.min(MAX_DIFF_ROWS, deltas.size()))) {
            rows.add(List.of(KernelNames.shorten(x.name()), Long.toString(x.countA()), Long.toString(x.countB()),
                    ms(x.totalNsA()), ms(x.totalNsB()), signedMs(x.deltaNs()), x.onlyIn() == null ? "" : x.onlyIn()));
        }
        if (!rows.isEmpty()) {
            r.table(List.of(what + " (by impact)", "count A", "count B", "total A (ms)", "total B (ms)", "B − A (ms)",
                    "only in"), rows);
        }
        if (deltas.size() > MAX_DIFF_ROWS) {
            r.note((deltas.size() - MAX_DIFF_ROWS) + " more " + what + " names changed less (trace-diff --top N lists them).");
        }
    }

    /** The note's end when the rank table stops at {@link #MAX_SUMMARY_ROWS}. */
    private static String ranksListed(PipelineMetrics p) {
        return p.ranks().size() > MAX_SUMMARY_ROWS ? " The first " + MAX_SUMMARY_ROWS + " of " + p.ranks().size()
                + " ranks are listed; trace-stats has them all." : "";
    }

    static String signedMs(long ns) {
        return String.format(Locale.ROOT, "%+.3f", ns / 1e6);
    }

    private static void appendPipeline(HtmlReport r, String prefix, List<TraceDevices> traces, PipelineMetrics p) {
        r.section(prefix + "Pipeline step and bubbles");
        List<List<String>> rows = new ArrayList<>();
        for (RankBubble b : p.ranks().subList(0, Math.min(p.ranks().size(), MAX_SUMMARY_ROWS))) {
            rows.add(List.of(Integer.toString(b.rank()), ms(b.computeBusyNs()), ms(b.bubbleNs()),
                    ratio((double) b.bubbleNs() / p.stepNs())));
        }
        if (traces.isEmpty()) {
            r.table(List.of("rank", "compute busy (ms)", "bubble (ms)", "bubble ÷ window"), rows);
            r.note("Built from per-rank summaries (a Spark job): the ops of each rank stay with its trace, so the"
                    + " Gantt chart, the stragglers and the critical path are left out." + ranksListed(p));
            return;
        }
        if (p.ranks().size() > MAX_GANTT_RANKS) {
            r.table(List.of("rank", "compute busy (ms)", "bubble (ms)", "bubble ÷ window"), rows);
            r.note(p.ranks().size() + " ranks: more than the " + MAX_GANTT_RANKS + " a Gantt chart can show; the chart,"
                    + " the stragglers and the critical path are left out (trace-stats --critical-path has them)."
                    + ranksListed(p));
            return;
        }
        PipelineTimeline timeline = PipelineTimeline.of(traces, p);
        CriticalPath path = CriticalPath.of(timeline);
        r.chart(PipelineGanttChart.create(timeline, path), WIDTH, 160 + 70 * timeline.ranks().size(),
                "Ops per rank (from sim:* annotations, op-token kernels, or computation kernels), bubbles (time in the"
                        + " step window without computation kernels), and the critical path (dark line: ops and"
                        + " point-to-point transfers that bound the step).");
        r.table(List.of("rank", "compute busy (ms)", "bubble (ms)", "bubble ÷ window"), rows);
        Stragglers s = Stragglers.of(timeline);
        List<List<String>> loads = new ArrayList<>();
        for (Stragglers.RankLoad l : s.ranks()) {
            loads.add(List.of(Integer.toString(l.rank()), ms(l.startSkewNs()), ms(l.endSlackNs()), ms(l.computeNs()),
                    ms(l.commWaitNs())));
        }
        r.table(List.of("rank", "start skew (ms)", "end slack (ms)", "compute (ms)", "NCCL wait (ms)"), loads);
        r.note("Slowest rank: " + s.slowestRank() + ", " + ms(s.behindNs())
                + " ms more computation than the mean of the others.");
        List<List<String>> steps = new ArrayList<>();
        int e = 0;
        for (PipelineOp op : path.ops()) {
            while (e < path.edges().size() && path.edges().get(e).doneNs() <= op.startNs()) {
                CriticalPath.Edge edge = path.edges().get(e++);
                steps.add(List.of("p2p", edge.fromRank() + " → " + edge.toRank(), "", ms(edge.sendStartNs() - p.windowStartNs()),
                        ms(edge.doneNs() - p.windowStartNs())));
            }
            steps.add(List.of("op", Integer.toString(op.rank()), op.name(), ms(op.startNs() - p.windowStartNs()),
                    ms(op.endNs() - p.windowStartNs())));
        }
        r.table(List.of("critical path", "rank", "op", "start (ms)", "end (ms)"),
                steps.subList(0, Math.min(steps.size(), MAX_SUMMARY_ROWS)));
        r.note("Critical path: " + path.ops().size() + " ops (" + ms(path.opsNs()) + " ms of the " + ms(p.stepNs())
                + " ms step) and " + path.edges().size() + " point-to-point transfers"
                + (steps.size() > MAX_SUMMARY_ROWS ? "; the first " + MAX_SUMMARY_ROWS + " steps are listed." : "."));
    }

    private static void appendDevice(HtmlReport r, String prefix, List<TraceDevices> prepared, DeviceMetrics d,
                                     AnalysisOptions options) {
        r.section(prefix + "Device " + d.key() + " (" + d.name() + ")");
        if (!prepared.isEmpty()) {
            TraceDevices trace = prepared.stream().filter(t -> t.trace().rank() == d.rank()).findFirst()
                    .orElse(prepared.get(0));
            List<StreamActivity> activity = StreamActivity.of(trace.device(d.device()));
            long streams = activity.stream().map(StreamActivity::stream).distinct().count();
            r.chart(StreamTimelineChart.create(d, activity), WIDTH, 140 + 45 * (int) streams,
                    "Busy time per stream, coloured by class; gaps shorter than 1/1500 of the span are bridged.");
        }
        if (d.smOccupancy() != null) {
            r.chart(SmOccupancyChart.create(d), WIDTH, HEIGHT,
                    "Occupied SMs over time, communication at the bottom, computation stacked on top.");
        }
        r.chart(KernelBreakdownChart.create(d), WIDTH, 140 + 24 * KernelBreakdownChart.bars(d),
                "Top kernels by summed duration (the " + KernelBreakdownChart.MAX_BARS + " longest at most); ×N is the"
                        + " launch count.");
        List<List<String>> rows = new ArrayList<>();
        List<KernelStat> kernels = d.breakdown().rows();
        for (KernelStat k : kernels.subList(0, Math.min(MAX_KERNEL_ROWS, kernels.size()))) {
            rows.add(List.of(KernelNames.shorten(k.name()), k.kind().name().toLowerCase(Locale.ROOT),
                    Long.toString(k.count()), ms(k.totalNs()), us(k.meanNs()), us(k.minNs()), us(k.maxNs()),
                    us(k.stdNs()), ratio(d.breakdown().share(k))));
        }
        r.table(List.of("kernel", "class", "launches", "total (ms)", "mean (µs)", "min (µs)", "max (µs)",
                "std (µs, sample)", "share of class"), rows);
        int unlisted = kernels.size() - Math.min(MAX_KERNEL_ROWS, kernels.size()) + d.breakdown().namesCut();
        if (unlisted > 0) {
            r.note(unlisted + " more kernel names not shown (all kept rows are in trace-stats --format json).");
        }
        appendHtaTables(r, d);
        List<List<String>> streamRows = new ArrayList<>();
        d.streamBusyNs().forEach((s, ns) -> streamRows.add(List.of(Integer.toString(s), ms(ns))));
        r.table(List.of("stream", "busy (ms)"), streamRows);
    }

    /** HTA's temporal, idle-time, launch and queue-length breakdowns of one device, as tables. */
    private static void appendHtaTables(HtmlReport r, DeviceMetrics d) {
        Temporal t = d.temporal();
        r.table(List.of("kernel time (ms)", "idle (ms)", "compute (ms)", "non-compute (ms)", "idle share",
                        "compute share", "non-compute share"),
                List.of(List.of(ms(t.kernelTimeNs()), ms(t.idleNs()), ms(t.computeNs()), ms(t.nonComputeNs()),
                        ratio(t.share(t.idleNs())), ratio(t.share(t.computeNs())), ratio(t.share(t.nonComputeNs())))));
        List<List<String>> idle = new ArrayList<>();
        for (StreamIdle s : d.idleBreakdown()) {
            idle.add(List.of(Integer.toString(s.stream()), ms(s.hostWaitNs()), ms(s.kernelWaitNs()), ms(s.otherNs()),
                    ratio(s.ratio(s.hostWaitNs())), ratio(s.ratio(s.kernelWaitNs())), ratio(s.ratio(s.otherNs()))));
        }
        r.table(List.of("stream", "host wait (ms)", "kernel wait (ms)", "other idle (ms)", "host wait share",
                "kernel wait share", "other share"), idle);
        LaunchSummary l = d.launches();
        if (l.launches() > 0) {
            List<List<String>> launch = new ArrayList<>();
            launch.add(distributionRow("CPU launch call (µs)", l.cpuDurationNs()));
            launch.add(distributionRow("GPU duration (µs)", l.gpuDurationNs()));
            launch.add(distributionRow("launch delay (µs)", l.launchDelayNs()));
            r.table(List.of("launches", "count", "mean", "p50", "p90", "p99", "max"), launch);
            r.note(l.runtimeOutliers() + " launch calls over " + us(l.runtimeCutoffNs()) + " µs, " + l.delayOutliers()
                    + " launch delays over " + us(l.delayCutoffNs()) + " µs, " + l.shortKernels()
                    + " kernels shorter than their launch call.");
        }
        if (!d.queueLength().isEmpty()) {
            List<List<String>> queues = new ArrayList<>();
            d.queueLength().forEach((stream, q) -> queues.add(List.of(Integer.toString(stream), Long.toString(q.count()),
                    String.format(Locale.ROOT, "%.2f", q.mean()), String.format(Locale.ROOT, "%.0f", q.p50()),
                    String.format(Locale.ROOT, "%.0f", q.p90()), String.format(Locale.ROOT, "%.0f", q.max()))));
            r.table(List.of("stream", "queue samples", "mean outstanding ops", "p50", "p90", "max"), queues);
        }
    }

    private static List<String> distributionRow(String what, Distribution x) {
        return List.of(what, Long.toString(x.count()), us(x.mean()), us(x.p50()), us(x.p90()), us(x.p99()), us(x.max()));
    }

    static String us(double ns) {
        return Double.isNaN(ns) ? "n/a" : String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    static String ms(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e6);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
