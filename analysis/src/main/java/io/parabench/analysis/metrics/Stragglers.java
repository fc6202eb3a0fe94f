package io.parabench.analysis.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Who holds a multi-rank step back. Per rank, inside the step window (see {@link PipelineMetrics}):
 * <ul>
 *   <li>start skew = its first computation start − the window start (late starters were waiting
 *       for their input);</li>
 *   <li>end slack = the window end − its last computation end;</li>
 *   <li>compute = |union of its computation kernels|;</li>
 *   <li>communication wait = |union of its communication kernels| without computation running
 *       beside them: NCCL kernels spin until the peer arrives, so this is time spent waiting for
 *       a peer or moving data with nothing to hide it under.</li>
 * </ul>
 * The slowest rank is the one with the most computation; it is behind by its compute minus the
 * mean compute of the other ranks (0 for a single rank).
 *
 * @param ranks       per rank, in pipeline order
 * @param slowestRank the rank with the most computation (the lowest such rank on a tie)
 * @param behindNs    its compute − the mean compute of the others
 */
public record Stragglers(List<RankLoad> ranks, int slowestRank, long behindNs) implements java.io.Serializable {
    public Stragglers {
        ranks = List.copyOf(ranks);
    }

    /** One rank's share of the step. */
    public record RankLoad(int rank, long startSkewNs, long endSlackNs, long computeNs, long commWaitNs)
            implements java.io.Serializable {
    }

    public static Stragglers of(PipelineTimeline t) {
        long from = t.pipeline().windowStartNs();
        long to = t.pipeline().windowEndNs();
        List<RankLoad> out = new ArrayList<>();
        int slowest = -1;
        long most = Long.MIN_VALUE;
        long total = 0;
        for (int row = 0; row < t.ranks().size(); row++) {
            IntervalSet busy = t.computation().get(row);
            long first = busy.size() == 0 ? to : busy.start(0);
            long last = busy.size() == 0 ? from : busy.end(busy.size() - 1);
            long[] comm = t.communication().get(row);
            long[] cs = new long[comm.length / PipelineTimeline.COMM_FIELDS];
            long[] ce = new long[cs.length];
            int m = 0;
            for (int k = 0; k < comm.length; k += PipelineTimeline.COMM_FIELDS) {
                long s = Math.max(from, comm[k]);
                long e = Math.min(to, comm[k + 1]);
                if (e > s) {
                    cs[m] = s;
                    ce[m] = e;
                    m++;
                }
            }
            IntervalSet commBusy = IntervalSet.unionOf(cs, ce, m);
            long wait = commBusy.totalNs() - commBusy.overlapNs(busy);
            RankLoad load = new RankLoad(t.rank(row), first - from, to - last, busy.totalNs(), wait);
            out.add(load);
            total += load.computeNs();
            if (load.computeNs() > most) {
                most = load.computeNs();
                slowest = load.rank();
            }
        }
        long behind = out.size() < 2 ? 0 : Math.round(most - (double) (total - most) / (out.size() - 1));
        return new Stragglers(out, slowest, behind);
    }
}
