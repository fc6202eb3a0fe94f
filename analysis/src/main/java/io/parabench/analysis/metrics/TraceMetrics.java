package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Annotations;
import io.parabench.analysis.read.DroppedEvents;
import io.parabench.analysis.read.GpuEventKind;
import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.NameTable;
import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The trace analyses, one stateless entry point: per-device busy, idle, compute/communication
 * overlap, per-stream busy, SM occupancy and kernel breakdown ({@link DeviceMetrics}), pipeline
 * bubbles across ranks ({@link PipelineMetrics}) and annotation totals ({@link AnnotationStat}).
 * The definitions are on those types.
 *
 * <p>Cost: O(n log n) in the GPU events of a device, primitive arrays only.
 */
public final class TraceMetrics {
    private static final String DEFAULT_STEP = "ProfilerStep#*";
    private static final String SIM_STEP = "sim:STEP";

    private TraceMetrics() {
    }

    /**
     * Analyses the traces of one file or directory.
     *
     * @param source label of the input (its path)
     * @param traces one trace per file (a directory: one per rank)
     * @throws IllegalArgumentException when {@code --step} names an annotation no rank has
     */
    public static TraceSummary analyze(String source, List<Trace> traces, AnalysisOptions options) {
        List<TraceDevices> prepared = new ArrayList<>();
        Map<Trace, TraceDevices> byTrace = new IdentityHashMap<>();
        Set<Integer> ids = new HashSet<>();
        boolean repeated = false;
        for (Trace t : traces) {
            TraceDevices td = TraceDevices.of(t, options);
            prepared.add(td);
            byTrace.put(t, td);
            for (int d : td.devices()) {
                repeated |= !ids.add(d);
            }
        }
        List<DeviceMetrics> devices = new ArrayList<>();
        long bytes = 0;
        for (TraceDevices td : prepared) {
            bytes += td.trace().bytesRead();
            for (DeviceMetrics d : devices(td, options)) {
                devices.add(repeated ? d.withKey(td.trace().rank() + "/" + d.device()) : d);
            }
        }
        DroppedEvents dropped = traces.stream().map(Trace::dropped).reduce(DroppedEvents.NONE, DroppedEvents::plus);
        return new TraceSummary(source, devices, pipeline(traces, options, byTrace), annotations(traces), bytes,
                dropped);
    }

    /**
     * The metrics of each device of one trace, by device id, keyed by the id alone (a caller
     * holding several files whose ids repeat re-keys them {@code rank/id}).
     */
    public static List<DeviceMetrics> devices(Trace t, AnalysisOptions options) {
        return devices(TraceDevices.of(t, options), options);
    }

    /** {@link #devices(Trace, AnalysisOptions)} of a trace already prepared. */
    public static List<DeviceMetrics> devices(TraceDevices td, AnalysisOptions options) {
        List<DeviceMetrics> out = new ArrayList<>();
        for (int d : td.devices()) {
            out.add(device(td.device(d), Integer.toString(d), options));
        }
        return out;
    }

    /** Device ids that have GPU events, ascending. */
    public static TreeSet<Integer> devicesWithEvents(Trace t) {
        TreeSet<Integer> out = new TreeSet<>();
        Buckets devices = Buckets.of(t.gpuEvents().size(), t.gpuEvents()::device);
        for (int b = 0; b < devices.size(); b++) {
            out.add(devices.key(b));
        }
        return out;
    }

    /** The metrics of one device's events. */
    static DeviceMetrics device(DeviceEvents v, String key, AnalysisOptions options) {
        // HTA's analyses that join kernels to their launch calls run on a second core meanwhile
        ForkedResult<LaunchSide> launchSide = ForkedResult.fork(() -> LaunchSide.of(v, options));
        Trace t = v.trace();
        GpuEvents e = t.gpuEvents();
        int n = v.size();
        long first = v.firstStartNs();
        long last = v.lastEndNs();
        IntervalSet all = v.union();
        IntervalSet compute = v.union(KernelClass.COMPUTATION);
        IntervalSet comm = v.union(KernelClass.COMMUNICATION);
        IntervalSet memory = v.union(KernelClass.MEMORY);

        TreeMap<Integer, Long> streams = new TreeMap<>();
        Buckets byStream = v.byStream();
        for (int b = 0; b < byStream.size(); b++) {
            int[] positions = byStream.positions(b);
            long[] s = new long[positions.length];
            long[] en = new long[positions.length];
            int m = 0;
            for (int k : positions) {
                if (v.endNs(k) > v.startNs(k)) {
                    s[m] = v.startNs(k);
                    en[m] = v.endNs(k);
                    m++;
                }
            }
            streams.put(byStream.key(b), IntervalSet.unionOf(s, en, m).totalNs());
        }

        int device = v.device();
        int numSms = t.numSms(device);
        long kernels = 0;
        long commKernels = 0;
        for (int k = 0; k < n; k++) {
            if (e.kind(v.index(k)) == GpuEventKind.KERNEL) {
                kernels++;
                if (v.kind(k) == KernelClass.COMMUNICATION) {
                    commKernels++;
                }
            }
        }
        SmOccupancy occupancy = numSms > 0 ? occupancy(v, numSms, (int) kernels, first, last) : null;
        KernelBreakdown breakdown = KernelBreakdown.of(v, options.topKernels());
        Temporal temporal = Temporal.of(v);
        LaunchSide launches = launchSide.join();
        return new DeviceMetrics(key, t.rank(), device, t.devices().containsKey(device)
                ? t.devices().get(device).name() : "device " + device, numSms, first, last, all.totalNs(),
                compute.totalNs(), comm.totalNs(), memory.totalNs(), compute.overlapNs(comm), streams, kernels,
                commKernels, occupancy, breakdown, temporal, launches.idle(), launches.launches(), launches.queues());
    }

    /** The per-device analyses that look up each event's launch call: idle breakdown, launch statistics, queue lengths. */
    private record LaunchSide(List<StreamIdle> idle, LaunchSummary launches, TreeMap<Integer, Distribution> queues) {
        static LaunchSide of(DeviceEvents v, AnalysisOptions options) {
            TreeMap<Integer, Distribution> queues = new TreeMap<>();
            for (QueueLength q : QueueLength.of(v)) {
                queues.put(q.stream(), q.summary());
            }
            return new LaunchSide(StreamIdle.of(v, options.kernelWaitNs()),
                    LaunchSummary.of(LaunchStats.of(v, options.runtimeCutoffNs(), options.launchDelayCutoffNs())), queues);
        }
    }

    private static SmOccupancy occupancy(DeviceEvents v, int numSms, int kernels, long first, long last) {
        GpuEvents e = v.trace().gpuEvents();
        long[] starts = new long[kernels];
        long[] ends = new long[kernels];
        int m = 0;
        for (int k = 0; k < v.size(); k++) {
            int i = v.index(k);
            if (e.kind(i) == GpuEventKind.KERNEL) {
                int sms = SmOccupancy.kernelSms(e.sms(i), e.gridBlocks(i), numSms);
                boolean comm = v.kind(k) == KernelClass.COMMUNICATION;
                starts[m] = SmOccupancy.key(v.startNs(k), first, sms, comm);
                ends[m] = SmOccupancy.key(Math.max(v.startNs(k), v.endNs(k)), first, sms, comm);
                m++;
            }
        }
        return SmOccupancy.of(numSms, first, starts, ends, m, first, last);
    }

    /** CPU user-annotation totals over the traces, longest first. */
    public static List<AnnotationStat> annotations(List<Trace> traces) {
        Map<String, long[]> totals = new TreeMap<>();
        for (Trace t : traces) {
            Annotations a = t.annotations();
            for (int i = 0; i < a.size(); i++) {
                if (!a.onGpu(i)) {
                    long[] acc = totals.computeIfAbsent(t.names().name(a.nameId(i)), k -> new long[2]);
                    acc[0]++;
                    acc[1] += a.endNs(i) - a.startNs(i);
                }
            }
        }
        List<AnnotationStat> out = new ArrayList<>();
        totals.forEach((name, acc) -> out.add(new AnnotationStat(name, acc[0], acc[1])));
        out.sort(Comparator.comparingLong(AnnotationStat::totalNs).reversed().thenComparing(AnnotationStat::name));
        return out;
    }

    static Optional<PipelineMetrics> pipeline(List<Trace> traces, AnalysisOptions options) {
        return pipeline(traces, options, new IdentityHashMap<>());
    }

    /** Pipeline metrics, reusing the traces already prepared in {@code prepared} (adds the others). */
    private static Optional<PipelineMetrics> pipeline(List<Trace> traces, AnalysisOptions options,
                                                      Map<Trace, TraceDevices> prepared) {
        List<PipelineRank> ranks = PipelineRank.of(traces);
        if (ranks.isEmpty()) {
            return Optional.empty();
        }
        String step = stepAnnotation(options.stepName(), pattern -> hasAnnotation(traces, pattern));
        long stepStart = Long.MIN_VALUE;
        if (step != null) {
            stepStart = earliestStart(traces, step);
            if (stepStart == Long.MAX_VALUE) {
                throw new IllegalArgumentException("--step (" + step + ") must name a user_annotation of the trace,"
                        + " but no rank has one");
            }
        }
        List<Integer> numbers = new ArrayList<>();
        List<StepTimeline> timelines = new ArrayList<>();
        for (PipelineRank r : ranks) {
            numbers.add(r.rank());
            TraceDevices classes = prepared.computeIfAbsent(r.trace(), x -> TraceDevices.of(x, options));
            timelines.add(StepTimeline.of(classes, r.devices(), stepStart));
        }
        return Optional.of(PipelineMetrics.of(step, stepStart, numbers, timelines));
    }

    /**
     * The step pattern of a pipeline: the one given, else {@code ProfilerStep#*} when any rank has
     * it, else {@code sim:STEP} when any rank has it, else null (the whole trace).
     *
     * @param given   {@code --step}, or null
     * @param present whether any rank has a CPU user annotation matching a pattern
     */
    public static String stepAnnotation(String given, java.util.function.Predicate<String> present) {
        return given != null ? given : present.test(DEFAULT_STEP) ? DEFAULT_STEP
                : present.test(SIM_STEP) ? SIM_STEP : null;
    }

    /** The patterns {@link #stepAnnotation} may choose by default, in order of preference. */
    public static List<String> defaultStepAnnotations() {
        return List.of(DEFAULT_STEP, SIM_STEP);
    }

    /** Earliest start of a CPU user annotation matching {@code pattern} in one trace, or MAX_VALUE. */
    public static long earliestStart(Trace trace, String pattern) {
        return earliestStart(List.of(trace), pattern);
    }

    /** Whether an annotation name matches a step pattern: exact, or a prefix when it ends in {@code *}. */
    static boolean matchesStep(String name, String pattern) {
        return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1)) : name.equals(pattern);
    }

    private static boolean hasAnnotation(List<Trace> traces, String pattern) {
        return earliestStart(traces, pattern) != Long.MAX_VALUE;
    }

    /** Earliest start of a CPU user annotation matching {@code pattern} over all traces, or MAX_VALUE. */
    private static long earliestStart(List<Trace> traces, String pattern) {
        long earliest = Long.MAX_VALUE;
        for (Trace t : traces) {
            Annotations a = t.annotations();
            for (int i = 0; i < a.size(); i++) {
                if (!a.onGpu(i) && a.startNs(i) < earliest && matchesStep(t.names().name(a.nameId(i)), pattern)) {
                    earliest = a.startNs(i);
                }
            }
        }
        return earliest;
    }
}
