package io.parabench.analysis.rank;

import io.parabench.analysis.read.DroppedEvents;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.AnnotationStat;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.StepTimeline;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.metrics.TraceSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reduce: per-rank summaries to the {@link TraceSummary} of the whole set, exactly what
 * {@link TraceMetrics#analyze} gives for the same files read together. Works on summaries in any
 * order (it sorts them by rank) and never needs an event.
 *
 * <p>Rules, as for a directory: with several files every file must name its rank and no rank may
 * appear twice; device ids repeated across files are keyed {@code rank/id}; the pipeline has one
 * rank per file, or one per device for a single file of several devices.
 */
public final class RankReduce {
    private RankReduce() {
    }

    /**
     * Checks the ranks and puts the summaries in rank order.
     *
     * @param input the directory or glob, for messages
     * @throws IllegalArgumentException for a file without a rank among several, or a rank twice
     */
    public static List<RankSummary> byRank(String input, List<RankSummary> summaries) {
        if (summaries.isEmpty()) {
            throw new IllegalArgumentException("trace input (" + input + ") must hold at least one *.json or"
                    + " *.json.gz trace file");
        }
        List<RankSummary> sorted = new ArrayList<>(summaries);
        sorted.sort(Comparator.comparingInt(RankSummary::rank).thenComparing(RankSummary::source));
        if (sorted.size() > 1) {
            for (int k = 0; k < sorted.size(); k++) {
                RankSummary s = sorted.get(k);
                if (s.rank() < 0) {
                    throw new IllegalArgumentException("trace file (" + s.source() + ") in a directory must name its"
                            + " rank in distributedInfo.rank or in its file name (e.g. rank3.json)");
                }
                if (k > 0 && sorted.get(k - 1).rank() == s.rank()) {
                    throw new IllegalArgumentException("rank (" + s.rank() + ") must appear once in " + input
                            + " but is in " + sorted.get(k - 1).source() + " and " + s.source());
                }
            }
        }
        return sorted;
    }

    /**
     * The step annotation over all ranks (see {@link TraceMetrics#stepAnnotation}) and its earliest
     * start, or {@link StepChoice#WHOLE_TRACE} without one; empty when there is no pipeline.
     *
     * @throws IllegalArgumentException when {@code --step} names an annotation no rank has
     */
    public static Optional<StepChoice> step(List<RankSummary> summaries, AnalysisOptions options) {
        if (!hasPipeline(summaries)) {
            return Optional.empty();
        }
        String pattern = TraceMetrics.stepAnnotation(options.stepName(),
                p -> summaries.stream().anyMatch(s -> s.stepStarts().containsKey(p)));
        if (pattern == null) {
            return Optional.of(StepChoice.WHOLE_TRACE);
        }
        long start = Long.MAX_VALUE;
        for (RankSummary s : summaries) {
            start = Math.min(start, s.stepStarts().getOrDefault(pattern, Long.MAX_VALUE));
        }
        if (start == Long.MAX_VALUE) {
            throw new IllegalArgumentException("--step (" + pattern + ") must name a user_annotation of the trace,"
                    + " but no rank has one");
        }
        return Optional.of(new StepChoice(pattern, start));
    }

    /** The summaries whose timelines were measured from another step than {@code step}: map them again. */
    public static List<RankSummary> measuredFromOtherStep(List<RankSummary> summaries, StepChoice step) {
        List<RankSummary> out = new ArrayList<>();
        for (RankSummary s : summaries) {
            if (!Objects.equals(s.measuredFrom().pattern(), step.pattern())) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The summary of the whole set.
     *
     * @param source    the input, as named to the user
     * @param summaries from {@link #byRank}, each measured from {@code step}
     * @param step      from {@link #step}, or null when there is no pipeline
     */
    public static TraceSummary reduce(String source, List<RankSummary> summaries, StepChoice step) {
        Set<Integer> ids = new HashSet<>();
        boolean repeated = false;
        long bytes = 0;
        for (RankSummary s : summaries) {
            bytes += s.bytesRead();
            for (DeviceMetrics d : s.devices()) {
                repeated |= !ids.add(d.device());
            }
        }
        List<DeviceMetrics> devices = new ArrayList<>();
        for (RankSummary s : summaries) {
            for (DeviceMetrics d : s.devices()) {
                devices.add(repeated ? d.withKey(s.rank() + "/" + d.device()) : d);
            }
        }
        DroppedEvents dropped = summaries.stream().map(RankSummary::dropped).reduce(DroppedEvents.NONE,
                DroppedEvents::plus);
        return new TraceSummary(source, devices, pipeline(summaries, step), annotations(summaries), bytes, dropped);
    }

    private static boolean hasPipeline(List<RankSummary> summaries) {
        return summaries.size() > 1 || summaries.size() == 1 && summaries.get(0).devices().size() > 1;
    }

    private static Optional<PipelineMetrics> pipeline(List<RankSummary> summaries, StepChoice step) {
        if (!hasPipeline(summaries)) {
            return Optional.empty();
        }
        List<Integer> ranks = new ArrayList<>();
        List<StepTimeline> timelines = new ArrayList<>();
        if (summaries.size() > 1) {
            for (RankSummary s : summaries) {
                ranks.add(s.rank());
                timelines.add(s.timeline());
            }
        } else {
            summaries.get(0).deviceTimelines().forEach((device, t) -> {
                ranks.add(device);
                timelines.add(t);
            });
        }
        return Optional.of(PipelineMetrics.of(step.pattern(), step.stepStartNs(), ranks, timelines));
    }

    /** Annotation totals summed by name over the files, longest first (as {@link TraceMetrics#annotations}). */
    private static List<AnnotationStat> annotations(List<RankSummary> summaries) {
        Map<String, long[]> totals = new TreeMap<>();
        for (RankSummary s : summaries) {
            for (AnnotationStat a : s.annotations()) {
                long[] acc = totals.computeIfAbsent(a.name(), k -> new long[2]);
                acc[0] += a.count();
                acc[1] += a.totalNs();
            }
        }
        List<AnnotationStat> out = new ArrayList<>();
        totals.forEach((name, acc) -> out.add(new AnnotationStat(name, acc[0], acc[1])));
        out.sort(Comparator.comparingLong(AnnotationStat::totalNs).reversed().thenComparing(AnnotationStat::name));
        return out;
    }
}
