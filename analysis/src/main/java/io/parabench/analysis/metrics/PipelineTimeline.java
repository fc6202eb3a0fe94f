package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every rank of a pipeline step as the multi-rank analyses see it: its ops
 * ({@link PipelineOp}), its computation and its communication kernels inside the step window.
 * Built once from the traces (which it needs in memory) and the step's {@link PipelineMetrics};
 * the Gantt chart, the stragglers and the critical path all read it.
 *
 * @param pipeline     the step window and bubbles
 * @param ranks        the ranks, in pipeline order
 * @param ops          each rank's ops, by start
 * @param computation  each rank's computation union clipped to the window
 * @param communication each rank's communication kernels in the window, by start, {@value #COMM_FIELDS} longs
 *                     each: start, end, stream, device
 */
public record PipelineTimeline(PipelineMetrics pipeline, List<PipelineRank> ranks, List<List<PipelineOp>> ops,
                               List<IntervalSet> computation, List<long[]> communication) {
    /** Ops drawn at this resolution: gaps shorter than 1/RESOLUTION of the window are bridged. */
    public static final int RESOLUTION = 2000;
    /** Longs per communication kernel in {@link #communication}. */
    public static final int COMM_FIELDS = 4;

    public static PipelineTimeline of(List<Trace> traces, PipelineMetrics p, AnalysisOptions options) {
        List<TraceDevices> prepared = new ArrayList<>();
        for (Trace t : traces) {
            prepared.add(TraceDevices.of(t, options));
        }
        return of(prepared, p);
    }

    /**
     * The same from traces already prepared with the analysis options (a report that also draws
     * each device prepares them once: classifying 2 million distinct names takes seconds).
     */
    public static PipelineTimeline of(List<TraceDevices> traces, PipelineMetrics p) {
        Map<Trace, TraceDevices> prepared = new IdentityHashMap<>();
        List<Trace> read = new ArrayList<>();
        for (TraceDevices td : traces) {
            prepared.put(td.trace(), td);
            read.add(td.trace());
        }
        List<PipelineRank> ranks = PipelineRank.of(read);
        long from = p.windowStartNs();
        long to = p.windowEndNs();
        long minGap = Math.max(1, p.stepNs() / RESOLUTION);
        List<List<PipelineOp>> ops = new ArrayList<>();
        List<IntervalSet> computation = new ArrayList<>();
        List<long[]> communication = new ArrayList<>();
        for (PipelineRank r : ranks) {
            TraceDevices td = prepared.get(r.trace());
            GpuEvents e = r.trace().gpuEvents();
            int[] events = td.eventsOf(r.devices());
            long[] cs = new long[events.length];
            long[] ce = new long[events.length];
            long[] comm = new long[COMM_FIELDS * events.length];
            int m = 0;
            int c = 0;
            for (int i : events) {
                if (e.endNs(i) <= from || e.startNs(i) >= to) {
                    continue;
                }
                KernelClass kind = td.classOf(i);
                if (kind == KernelClass.COMPUTATION) {
                    cs[m] = Math.max(from, e.startNs(i));
                    ce[m] = Math.min(to, e.endNs(i));
                    m++;
                } else if (kind == KernelClass.COMMUNICATION) {
                    comm[c++] = e.startNs(i);
                    comm[c++] = e.endNs(i);
                    comm[c++] = e.stream(i);
                    comm[c++] = e.device(i);
                }
            }
            IntervalSet busy = IntervalSet.unionOf(cs, ce, m);
            computation.add(busy);
            communication.add(byStart(java.util.Arrays.copyOf(comm, c)));
            ops.add(PipelineOp.of(r, td, from, to, busy, minGap));
        }
        return new PipelineTimeline(p, ranks, ops, computation, communication);
    }

    /** Records of {@value #COMM_FIELDS} longs sorted by their first (the start). */
    private static long[] byStart(long[] records) {
        int n = records.length / COMM_FIELDS;
        long[] starts = new long[n];
        for (int k = 0; k < n; k++) {
            starts[k] = records[COMM_FIELDS * k];
        }
        int[] order = StartOrder.sort(starts);
        long[] out = new long[records.length];
        for (int k = 0; k < n; k++) {
            System.arraycopy(records, COMM_FIELDS * order[k], out, COMM_FIELDS * k, COMM_FIELDS);
        }
        return out;
    }

    /** The rank number of row {@code row}. */
    public int rank(int row) {
        return ranks.get(row).rank();
    }
}
