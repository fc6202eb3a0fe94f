package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Annotations;
import io.parabench.analysis.read.GpuEventKind;
import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.NameTable;
import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
    private static final KernelClass[] CLASSES = KernelClass.values();

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
        Set<Integer> ids = new HashSet<>();
        boolean repeated = false;
        for (Trace t : traces) {
            for (int d : devicesWithEvents(t)) {
                repeated |= !ids.add(d);
            }
        }
        List<DeviceMetrics> devices = new ArrayList<>();
        long bytes = 0;
        for (Trace t : traces) {
            bytes += t.bytesRead();
            for (DeviceMetrics d : devices(t, options)) {
                devices.add(repeated ? d.withKey(t.rank() + "/" + d.device()) : d);
            }
        }
        return new TraceSummary(source, devices, pipeline(traces, options), annotations(traces), bytes);
    }

    /**
     * The metrics of each device of one trace, by device id, keyed by the id alone (a caller
     * holding several files whose ids repeat re-keys them {@code rank/id}).
     */
    public static List<DeviceMetrics> devices(Trace t, AnalysisOptions options) {
        byte[] nameClass = nameClasses(t.names(), options.classifier());
        List<DeviceMetrics> out = new ArrayList<>();
        for (int d : devicesWithEvents(t)) {
            out.add(device(t, d, Integer.toString(d), nameClass, options));
        }
        return out;
    }

    /** Device ids that have GPU events, ascending. */
    public static TreeSet<Integer> devicesWithEvents(Trace t) {
        TreeSet<Integer> out = new TreeSet<>();
        GpuEvents e = t.gpuEvents();
        for (int i = 0; i < e.size(); i++) {
            out.add(e.device(i));
        }
        return out;
    }

    /** Name-based class of every name, computed once per distinct name (the regex is the costly part). */
    static byte[] nameClasses(NameTable names, KernelClassifier classifier) {
        byte[] out = new byte[names.size()];
        for (int id = 0; id < names.size(); id++) {
            out[id] = (byte) classifier.classifyName(names.name(id)).ordinal();
        }
        return out;
    }

    /** Class of event {@code i}: memory for copies, else by name, then by communication stream. */
    static KernelClass classOf(GpuEvents e, int i, byte[] nameClass, KernelClassifier classifier) {
        if (e.kind(i) != GpuEventKind.KERNEL) {
            return KernelClass.MEMORY;
        }
        KernelClass byName = CLASSES[nameClass[e.nameId(i)]];
        if (byName == KernelClass.COMPUTATION && classifier.isCommStream(e.stream(i))) {
            return KernelClass.COMMUNICATION;
        }
        return byName;
    }

    private static DeviceMetrics device(Trace t, int device, String key, byte[] nameClass, AnalysisOptions options) {
        GpuEvents e = t.gpuEvents();
        int n = 0;
        for (int i = 0; i < e.size(); i++) {
            if (e.device(i) == device) {
                n++;
            }
        }
        int[] idx = new int[n];
        for (int i = 0, k = 0; i < e.size(); i++) {
            if (e.device(i) == device) {
                idx[k++] = i;
            }
        }
        KernelClass[] cls = new KernelClass[n];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            cls[k] = classOf(e, idx[k], nameClass, options.classifier());
            first = Math.min(first, e.startNs(idx[k]));
            last = Math.max(last, e.endNs(idx[k]));
        }
        IntervalSet all = union(e, idx, k -> true);
        IntervalSet compute = union(e, idx, k -> cls[k] == KernelClass.COMPUTATION);
        IntervalSet comm = union(e, idx, k -> cls[k] == KernelClass.COMMUNICATION);
        IntervalSet memory = union(e, idx, k -> cls[k] == KernelClass.MEMORY);

        TreeMap<Integer, Long> streams = new TreeMap<>();
        TreeSet<Integer> streamIds = new TreeSet<>();
        for (int i : idx) {
            streamIds.add(e.stream(i));
        }
        for (int s : streamIds) {
            streams.put(s, union(e, idx, k -> e.stream(idx[k]) == s).totalNs());
        }

        int numSms = t.numSms(device);
        long kernels = 0;
        long commKernels = 0;
        for (int k = 0; k < n; k++) {
            if (e.kind(idx[k]) == GpuEventKind.KERNEL) {
                kernels++;
                if (cls[k] == KernelClass.COMMUNICATION) {
                    commKernels++;
                }
            }
        }
        SmOccupancy occupancy = numSms > 0 ? occupancy(e, idx, cls, numSms, (int) kernels, first, last) : null;
        return new DeviceMetrics(key, t.rank(), device, t.devices().containsKey(device)
                ? t.devices().get(device).name() : "device " + device, numSms, first, last, all.totalNs(),
                compute.totalNs(), comm.totalNs(), memory.totalNs(), compute.overlapNs(comm), streams, kernels,
                commKernels, occupancy, breakdown(t, e, idx, cls, options.topKernels()));
    }

    private interface Selected {
        boolean test(int k);
    }

    private static IntervalSet union(GpuEvents e, int[] idx, Selected selected) {
        long[] s = new long[idx.length];
        long[] en = new long[idx.length];
        int m = 0;
        for (int k = 0; k < idx.length; k++) {
            if (selected.test(k)) {
                s[m] = e.startNs(idx[k]);
                en[m] = e.endNs(idx[k]);
                m++;
            }
        }
        return IntervalSet.unionOf(s, en, m);
    }

    private static SmOccupancy occupancy(GpuEvents e, int[] idx, KernelClass[] cls, int numSms, int kernels,
                                         long first, long last) {
        long[] starts = new long[kernels];
        long[] ends = new long[kernels];
        int m = 0;
        for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            if (e.kind(i) == GpuEventKind.KERNEL) {
                int sms = SmOccupancy.kernelSms(e.sms(i), e.gridBlocks(i), numSms);
                boolean comm = cls[k] == KernelClass.COMMUNICATION;
                starts[m] = SmOccupancy.key(e.startNs(i), first, sms, comm);
                ends[m] = SmOccupancy.key(e.endNs(i), first, sms, comm);
                m++;
            }
        }
        return SmOccupancy.of(numSms, first, starts, ends, m, first, last);
    }

    private static List<KernelStat> breakdown(Trace t, GpuEvents e, int[] idx, KernelClass[] cls, int top) {
        Map<Integer, long[]> byName = new HashMap<>();
        Map<Integer, KernelClass> classByName = new HashMap<>();
        for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            long[] acc = byName.computeIfAbsent(e.nameId(i), id -> new long[2]);
            acc[0]++;
            acc[1] += e.endNs(i) - e.startNs(i);
            // a name launched both on and off a --comm-stream is listed as communication
            classByName.merge(e.nameId(i), cls[k], (a, b) -> a == KernelClass.COMMUNICATION ? a : b);
        }
        List<KernelStat> stats = new ArrayList<>();
        byName.forEach((id, acc) -> stats.add(new KernelStat(t.names().name(id), classByName.get(id), acc[0], acc[1])));
        stats.sort(Comparator.comparingLong(KernelStat::totalNs).reversed().thenComparing(KernelStat::name));
        return stats.subList(0, Math.min(top, stats.size()));
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
            timelines.add(StepTimeline.of(r.trace(), r.devices(), options.classifier(), stepStart));
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
