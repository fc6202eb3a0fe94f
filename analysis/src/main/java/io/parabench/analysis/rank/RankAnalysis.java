package io.parabench.analysis.rank;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multi-rank analysis as a map and a reduce, whatever runs the map: {@link LocalRanks} on a
 * thread pool, or Spark tasks (the {@code spark} module).
 *
 * <ol>
 *   <li>map every file with no step choice: each measures its computation from its own step
 *       annotation ({@link RankMap});</li>
 *   <li>reduce the step choice over all ranks ({@link RankReduce#step}); a file measured from
 *       another annotation than the chosen one (it lacks an annotation others have) is mapped
 *       again with the global choice — none in a consistently annotated trace set;</li>
 *   <li>reduce the summaries ({@link RankReduce#reduce}).</li>
 * </ol>
 * The result equals {@link io.parabench.analysis.metrics.TraceMetrics#analyze} of the same files.
 */
public final class RankAnalysis {
    private RankAnalysis() {
    }

    /** Runs the per-rank map over some of the files; the engine decides where. */
    @FunctionalInterface
    public interface Mapper {
        /**
         * Summaries of the given files, in any order.
         *
         * @param files sources as the engine named them in its summaries
         * @param step  the global step choice, or null on the first map
         */
        List<RankSummary> map(List<String> files, StepChoice step) throws IOException;
    }

    /**
     * Maps and reduces a set of trace files.
     *
     * @param input the directory, glob or file, for messages and the summary's source
     * @param files the trace files, each one rank
     */
    public static TraceSummary run(String input, List<String> files, AnalysisOptions options, Mapper mapper)
            throws IOException {
        List<RankSummary> summaries = RankReduce.byRank(input, mapper.map(files, null));
        Optional<StepChoice> step = RankReduce.step(summaries, options);
        if (step.isPresent()) {
            List<RankSummary> again = RankReduce.measuredFromOtherStep(summaries, step.get());
            if (!again.isEmpty()) {
                List<String> sources = new ArrayList<>();
                again.forEach(s -> sources.add(s.source()));
                Map<String, RankSummary> remapped = new HashMap<>();
                for (RankSummary s : mapper.map(sources, step.get())) {
                    remapped.put(s.source(), s);
                }
                List<RankSummary> merged = new ArrayList<>();
                summaries.forEach(s -> merged.add(remapped.getOrDefault(s.source(), s)));
                summaries = merged;
            }
        }
        return RankReduce.reduce(input, summaries, step.orElse(null));
    }
}
