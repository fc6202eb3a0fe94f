package io.parabench.analysis.rank;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.StepTimeline;
import io.parabench.analysis.metrics.TraceDevices;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-rank map: one trace file to its {@link RankSummary}. Stateless and thread-safe; the
 * same function runs on the local thread pool and in Spark tasks.
 */
public final class RankMap {
    private RankMap() {
    }

    /**
     * Reads one trace file and summarises it.
     *
     * @param in       the file's bytes, plain or gzip; the caller closes it
     * @param source   how to name the file to the user (its path or URI)
     * @param fileName its last path element, where a rank may be written ({@code rank3.json})
     * @param step     the global step choice when known (a second map), else null
     */
    public static RankSummary read(InputStream in, String source, String fileName, AnalysisOptions options,
                                   StepChoice step) throws IOException {
        Trace trace = TraceReader.read(in, source);
        if (trace.rank() < 0) {
            int rank = TraceReader.rankFromFileName(fileName);
            if (rank >= 0) {
                trace = trace.withRank(rank);
            }
        }
        return map(trace, options, step);
    }

    /**
     * Summarises one trace already read.
     *
     * @param step the global step choice when known, else null: the timelines are then measured
     *             from this file's own preferred step annotation, which is the global one unless
     *             another file has an annotation this one lacks ({@link RankAnalysis} maps those
     *             files again)
     */
    public static RankSummary map(Trace trace, AnalysisOptions options, StepChoice step) {
        TreeMap<String, Long> starts = new TreeMap<>();
        List<String> candidates = options.stepName() != null ? List.of(options.stepName())
                : TraceMetrics.defaultStepAnnotations();
        for (String pattern : candidates) {
            long start = TraceMetrics.earliestStart(trace, pattern);
            if (start != Long.MAX_VALUE) {
                starts.put(pattern, start);
            }
        }
        StepChoice from = step != null ? step : own(starts, options);
        // one preparation per file: names classified and events grouped by device once, however many devices
        TraceDevices prepared = TraceDevices.of(trace, options);
        Set<Integer> devices = TraceMetrics.devicesWithEvents(trace);
        StepTimeline timeline = StepTimeline.of(prepared, devices, from.stepStartNs());
        TreeMap<Integer, StepTimeline> perDevice = new TreeMap<>();
        if (devices.size() > 1) {
            for (int d : devices) {
                perDevice.put(d, StepTimeline.of(prepared, Set.of(d), from.stepStartNs()));
            }
        }
        return new RankSummary(trace.source(), trace.rank(), trace.bytesRead(), TraceMetrics.devices(prepared, options),
                TraceMetrics.annotations(List.of(trace)), starts, from, timeline, perDevice, trace.dropped());
    }

    /**
     * The step choice this file would make alone. A file without a given {@code --step} is
     * measured as the whole trace (cheapest), which the reduce never takes for a given step, so
     * it is mapped again with the global choice.
     */
    private static StepChoice own(TreeMap<String, Long> starts, AnalysisOptions options) {
        String pattern = TraceMetrics.stepAnnotation(options.stepName(), starts::containsKey);
        Long start = pattern == null ? null : starts.get(pattern);
        return start == null ? StepChoice.WHOLE_TRACE : new StepChoice(pattern, start);
    }
}
