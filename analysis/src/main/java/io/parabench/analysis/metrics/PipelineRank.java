package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A pipeline rank and where its events are: one per file of a directory of per-rank traces
 * (all the file's devices), or one per device of a single file holding several (the
 * simulator writes one file with pid = rank).
 *
 * @param rank    the rank
 * @param trace   the trace holding it
 * @param devices device ids (pids) of its GPU events
 */
public record PipelineRank(int rank, Trace trace, Set<Integer> devices) {
    public PipelineRank {
        devices = Set.copyOf(devices);
    }

    /** The ranks of the traces, or an empty list when they hold a single device (no pipeline). */
    public static List<PipelineRank> of(List<Trace> traces) {
        List<PipelineRank> out = new ArrayList<>();
        if (traces.size() > 1) {
            for (Trace t : traces) {
                out.add(new PipelineRank(t.rank(), t, TraceMetrics.devicesWithEvents(t)));
            }
        } else if (traces.size() == 1 && TraceMetrics.devicesWithEvents(traces.get(0)).size() > 1) {
            for (int d : TraceMetrics.devicesWithEvents(traces.get(0))) {
                out.add(new PipelineRank(d, traces.get(0), Set.of(d)));
            }
        }
        return out;
    }
}
