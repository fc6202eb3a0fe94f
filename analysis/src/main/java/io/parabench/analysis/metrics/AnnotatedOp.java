package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Annotations;
import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.RuntimeCalls;
import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A CPU annotation (such as the pipeline op {@code sim:B s1 mb3}) placed on the GPU timeline:
 * from the first start to the last end of the computation kernels launched while it was open.
 *
 * <p>Attribution: a kernel belongs to the innermost matching annotation that was open on the
 * CPU thread of the runtime call that launched it (same {@code pid} and {@code tid}, linked to
 * the kernel by the profiler's correlation id); when no such annotation is open on that thread,
 * to the innermost one open in the same process on any thread. The second rule covers
 * backward passes: the annotation ({@code sim:B …}) is opened on the main thread, which then
 * blocks in {@code backward()} while autograd's own thread launches the kernels. The profiler
 * writes no GPU copy of such annotations, so this is the only way to place them.
 *
 * @param name    annotation name
 * @param startNs first start of its computation kernels
 * @param endNs   last end of its computation kernels
 * @param kernels how many computation kernels it launched
 */
public record AnnotatedOp(String name, long startNs, long endNs, int kernels) {
    /**
     * The ops of one pipeline rank whose annotation names pass {@code isOp}, by start time;
     * empty when the trace has no runtime calls (e.g. a simulator trace).
     */
    public static List<AnnotatedOp> of(PipelineRank rank, Predicate<String> isOp, KernelClassifier classifier) {
        Trace t = rank.trace();
        GpuEvents e = t.gpuEvents();
        List<AnnotatedOp> out = new ArrayList<>();
        kernelEvents(rank, isOp, classifier).forEach((op, events) -> {
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            for (int i : events) {
                start = Math.min(start, e.startNs(i));
                end = Math.max(end, e.endNs(i));
            }
            out.add(new AnnotatedOp(t.names().name(t.annotations().nameId(op)), start, end, events.length));
        });
        out.sort(Comparator.comparingLong(AnnotatedOp::startNs).thenComparing(AnnotatedOp::name));
        return out;
    }

    /**
     * Per op annotation (its index in the trace's {@link Annotations}; names passing
     * {@code isOp}), the indices into the trace's {@link GpuEvents} of the computation kernels it
     * launched, by start time (attribution as above); annotations that launched none are absent,
     * and the map is empty when the trace has no runtime calls.
     */
    public static Map<Integer, int[]> kernelEvents(PipelineRank rank, Predicate<String> isOp,
                                                  KernelClassifier classifier) {
        Trace t = rank.trace();
        Annotations a = t.annotations();
        Map<Long, List<Integer>> byThread = new HashMap<>();
        Map<Integer, List<Integer>> byProcess = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.onGpu(i) && isOp.test(t.names().name(a.nameId(i)))) {
                byThread.computeIfAbsent(thread(a.pid(i), a.tid(i)), k -> new ArrayList<>()).add(i);
                byProcess.computeIfAbsent(a.pid(i), k -> new ArrayList<>()).add(i);
            }
        }
        if (byThread.isEmpty()) {
            return Map.of();
        }
        RuntimeCalls calls = t.runtimeCalls();
        Map<Long, Integer> opOfCorrelation = new HashMap<>();
        for (int c = 0; c < calls.size(); c++) {
            int innermost = innermostOpen(a, byThread.get(thread(calls.pid(c), calls.tid(c))), calls.startNs(c));
            if (innermost < 0) {
                innermost = innermostOpen(a, byProcess.get(calls.pid(c)), calls.startNs(c));
            }
            if (innermost >= 0) {
                opOfCorrelation.put(calls.correlation(c), innermost);
            }
        }
        GpuEvents e = t.gpuEvents();
        TraceDevices classes = TraceDevices.of(t, new AnalysisOptions(classifier, null, 1));
        Map<Integer, List<Integer>> kernels = new HashMap<>();
        for (int i : classes.eventsOf(rank.devices())) {
            if (e.correlation(i) < 0 || classes.classOf(i) != KernelClass.COMPUTATION) {
                continue;
            }
            Integer op = opOfCorrelation.get(e.correlation(i));
            if (op != null) {
                kernels.computeIfAbsent(op, k -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, int[]> out = new HashMap<>();
        kernels.forEach((op, list) -> out.put(op, list.stream()
                .sorted(Comparator.comparingLong(e::startNs).thenComparingInt(Integer::intValue))
                .mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** The latest-starting annotation among {@code candidates} open at {@code ns}, or -1. */
    private static int innermostOpen(Annotations a, List<Integer> candidates, long ns) {
        int innermost = -1;
        if (candidates != null) {
            for (int i : candidates) {
                if (a.startNs(i) <= ns && ns < a.endNs(i) && (innermost < 0 || a.startNs(i) > a.startNs(innermost))) {
                    innermost = i;
                }
            }
        }
        return innermost;
    }

    private static long thread(int pid, int tid) {
        return ((long) pid << 32) ^ (tid & 0xffffffffL);
    }
}
