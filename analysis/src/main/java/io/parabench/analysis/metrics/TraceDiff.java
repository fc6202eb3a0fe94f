package io.parabench.analysis.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What changed from trace A to trace B (two schedules on the same model, yesterday's run and
 * today's): the step time, the pipeline bubbles per rank, and per kernel name and per user
 * annotation the launch count and summed time, over all devices; names present in one trace
 * only are marked. Rows are ranked by impact, the absolute change of summed time, largest first.
 *
 * <p>Step time: the pipeline step window when the trace has several ranks (see
 * {@link PipelineMetrics}), else the longest device span.
 *
 * @param a           the first trace's summary
 * @param b           the second trace's summary
 * @param ranks       bubbles of ranks present in both pipelines, by rank
 * @param kernels     per kernel name, by impact
 * @param annotations per annotation name (ops such as {@code sim:F s1 mb3}), by impact
 */
public record TraceDiff(TraceSummary a, TraceSummary b, List<RankDelta> ranks, List<Delta> kernels,
                        List<Delta> annotations) {
    public TraceDiff {
        ranks = List.copyOf(ranks);
        kernels = List.copyOf(kernels);
        annotations = List.copyOf(annotations);
    }

    /**
     * One name's totals in both traces.
     *
     * @param name    kernel or annotation name
     * @param kind    kernel class (null for annotations)
     * @param countA  occurrences in A (0 when absent)
     * @param countB  occurrences in B
     * @param totalNsA summed duration in A
     * @param totalNsB summed duration in B
     */
    public record Delta(String name, KernelClass kind, long countA, long countB, long totalNsA, long totalNsB) {
        public long deltaNs() {
            return totalNsB - totalNsA;
        }

        /** "A" or "B" when the name occurs in one trace only, else null. */
        public String onlyIn() {
            return countA == 0 ? "B" : countB == 0 ? "A" : null;
        }
    }

    /** One rank's bubble in both pipelines. */
    public record RankDelta(int rank, long bubbleNsA, long bubbleNsB, long computeNsA, long computeNsB) {
        public long bubbleDeltaNs() {
            return bubbleNsB - bubbleNsA;
        }
    }

    /** The step time of a summary: the pipeline window, else the longest device span. */
    public static long stepNs(TraceSummary s) {
        Optional<PipelineMetrics> p = s.pipeline();
        if (p.isPresent()) {
            return p.get().stepNs();
        }
        long longest = 0;
        for (DeviceMetrics d : s.devices()) {
            longest = Math.max(longest, d.spanNs());
        }
        return longest;
    }

    public long stepDeltaNs() {
        return stepNs(b) - stepNs(a);
    }

    /** The difference of two analysed traces. */
    public static TraceDiff of(TraceSummary a, TraceSummary b) {
        List<RankDelta> ranks = new ArrayList<>();
        if (a.pipeline().isPresent() && b.pipeline().isPresent()) {
            Map<Integer, RankBubble> inB = new HashMap<>();
            for (RankBubble r : b.pipeline().get().ranks()) {
                inB.put(r.rank(), r);
            }
            for (RankBubble r : a.pipeline().get().ranks()) {
                RankBubble other = inB.get(r.rank());
                if (other != null) {
                    ranks.add(new RankDelta(r.rank(), r.bubbleNs(), other.bubbleNs(), r.computeBusyNs(),
                            other.computeBusyNs()));
                }
            }
        }
        Map<String, KernelStat> kernelsA = kernelsByName(a);
        Map<String, KernelStat> kernelsB = kernelsByName(b);
        List<Delta> kernels = new ArrayList<>();
        for (String name : union(kernelsA.keySet(), kernelsB.keySet())) {
            KernelStat x = kernelsA.get(name);
            KernelStat y = kernelsB.get(name);
            kernels.add(new Delta(name, x != null ? x.kind() : y.kind(), x == null ? 0 : x.count(),
                    y == null ? 0 : y.count(), x == null ? 0 : x.totalNs(), y == null ? 0 : y.totalNs()));
        }
        Map<String, AnnotationStat> annA = annotationsByName(a);
        Map<String, AnnotationStat> annB = annotationsByName(b);
        List<Delta> annotations = new ArrayList<>();
        for (String name : union(annA.keySet(), annB.keySet())) {
            AnnotationStat x = annA.get(name);
            AnnotationStat y = annB.get(name);
            annotations.add(new Delta(name, null, x == null ? 0 : x.count(), y == null ? 0 : y.count(),
                    x == null ? 0 : x.totalNs(), y == null ? 0 : y.totalNs()));
        }
        Comparator<Delta> byImpact = Comparator.comparingLong((Delta d) -> Math.abs(d.deltaNs())).reversed()
                .thenComparing(Delta::name);
        kernels.sort(byImpact);
        annotations.sort(byImpact);
        return new TraceDiff(a, b, ranks, kernels, annotations);
    }

    private static java.util.SortedSet<String> union(java.util.Set<String> x, java.util.Set<String> y) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(x);
        out.addAll(y);
        return out;
    }

    /** Kernel rows merged over every device (exact: the rows keep sums, not means). */
    static Map<String, KernelStat> kernelsByName(TraceSummary s) {
        Map<String, KernelStat> out = new TreeMap<>();
        for (DeviceMetrics d : s.devices()) {
            for (KernelStat k : d.breakdown().rows()) {
                out.merge(k.name(), k, KernelStat::merge);
            }
        }
        return out;
    }

    private static Map<String, AnnotationStat> annotationsByName(TraceSummary s) {
        Map<String, AnnotationStat> out = new HashMap<>();
        for (AnnotationStat x : s.annotations()) {
            out.put(x.name(), x);
        }
        return out;
    }
}
