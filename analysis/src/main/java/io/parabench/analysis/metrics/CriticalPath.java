package io.parabench.analysis.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The chain of ops and point-to-point transfers that bounds a multi-rank step: shorten anything
 * on it and the step may shorten; shorten anything off it and the step cannot.
 *
 * <p><b>Point-to-point edges.</b> Communication kernels of two different ranks that end within
 * {@value #PAIR_TOLERANCE_NS} ns of each other are one transfer (NCCL's send and receive kernels
 * rendezvous, so they finish together); each kernel pairs once, with the closest end. The rank
 * whose kernel started later arrived last: the edge runs from it to the rank that waited, at the
 * transfer's end.
 *
 * <p><b>Walk.</b> From the op that ends last in the step window, backwards: the predecessor of an
 * op is the previous op of its rank, unless a transfer into its rank completed after that previous
 * op ended (and before the op started) — then the rank was waiting for the message, and the path
 * crosses the edge to the last op of the sending rank that ended before its send began. The walk
 * stops at an op with neither. This is the latest-arrival rule of critical-path analysis on the
 * op/transfer graph; HTA's critical path works on one rank's CPU and GPU events only.
 *
 * @param ops   the ops on the path, in time order
 * @param edges the transfers on the path, in time order
 */
public record CriticalPath(List<PipelineOp> ops, List<Edge> edges) implements java.io.Serializable {
    /** Communication kernels of two ranks ending this close are taken for one transfer. */
    public static final long PAIR_TOLERANCE_NS = 20_000;

    public CriticalPath {
        ops = List.copyOf(ops);
        edges = List.copyOf(edges);
    }

    /**
     * A point-to-point transfer.
     *
     * @param fromRank rank that arrived last (its op before the send is on the path)
     * @param toRank   rank that waited for it
     * @param sendStartNs when the late side's kernel started
     * @param doneNs   when the transfer completed (the later of the two kernel ends)
     * @param fromDevice device of the late side's kernel
     * @param fromStream stream of the late side's kernel
     * @param toDevice device of the waiting side's kernel
     * @param toStream stream of the waiting side's kernel
     * @param waitEndNs when the waiting side's kernel ended
     */
    public record Edge(int fromRank, int toRank, long sendStartNs, long doneNs, int fromDevice, int fromStream,
                       int toDevice, int toStream, long waitEndNs) implements java.io.Serializable {
    }

    /** Time spent in the path's ops. */
    public long opsNs() {
        long total = 0;
        for (PipelineOp op : ops) {
            total += op.durationNs();
        }
        return total;
    }

    /** All point-to-point edges of the step, by completion time. */
    public static List<Edge> edges(PipelineTimeline t) {
        List<long[]> kernels = new ArrayList<>();
        for (int row = 0; row < t.ranks().size(); row++) {
            long[] comm = t.communication().get(row);
            for (int k = 0; k < comm.length; k += PipelineTimeline.COMM_FIELDS) {
                kernels.add(new long[]{row, comm[k], comm[k + 1], comm[k + 2], comm[k + 3]});
            }
        }
        kernels.sort((x, y) -> x[2] != y[2] ? Long.compare(x[2], y[2]) : Long.compare(x[0], y[0]));
        boolean[] used = new boolean[kernels.size()];
        List<Edge> out = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) {
            if (used[i]) {
                continue;
            }
            long[] a = kernels.get(i);
            int best = -1;
            for (int j = i + 1; j < kernels.size() && kernels.get(j)[2] - a[2] <= PAIR_TOLERANCE_NS; j++) {
                if (!used[j] && kernels.get(j)[0] != a[0]) {
                    best = j;
                    break;
                }
            }
            if (best < 0) {
                continue;
            }
            used[i] = true;
            used[best] = true;
            long[] b = kernels.get(best);
            long[] late = b[1] > a[1] ? b : a;
            long[] waited = late == a ? b : a;
            out.add(new Edge(t.rank((int) late[0]), t.rank((int) waited[0]), late[1], Math.max(a[2], b[2]),
                    (int) late[4], (int) late[3], (int) waited[4], (int) waited[3], waited[2]));
        }
        return out;
    }

    public static CriticalPath of(PipelineTimeline t) {
        java.util.Map<Integer, List<Edge>> into = new java.util.HashMap<>();
        for (Edge e : edges(t)) {
            into.computeIfAbsent(e.toRank(), k -> new ArrayList<>()).add(e);
        }
        PipelineOp current = null;
        int row = -1;
        for (int r = 0; r < t.ops().size(); r++) {
            for (PipelineOp op : t.ops().get(r)) {
                if (current == null || op.endNs() > current.endNs()) {
                    current = op;
                    row = r;
                }
            }
        }
        List<PipelineOp> path = new ArrayList<>();
        List<Edge> crossed = new ArrayList<>();
        while (current != null) {
            path.add(current);
            PipelineOp previous = lastEndingBy(t.ops().get(row), current.startNs(), current);
            long previousEnd = previous == null ? Long.MIN_VALUE : previous.endNs();
            Edge in = null;
            for (Edge e : into.getOrDefault(current.rank(), List.of())) {
                if (e.toRank() == current.rank() && e.doneNs() <= current.startNs() && e.doneNs() > previousEnd
                        && (in == null || e.doneNs() > in.doneNs())) {
                    in = e;
                }
            }
            PipelineOp sender = null;
            int senderRow = -1;
            if (in != null) {
                senderRow = rowOf(t, in.fromRank());
                sender = lastEndingBy(t.ops().get(senderRow), in.sendStartNs(), null);
            }
            if (sender != null) {
                crossed.add(in);
                current = sender;
                row = senderRow;
            } else {
                current = previous;
            }
        }
        Collections.reverse(path);
        Collections.reverse(crossed);
        return new CriticalPath(path, crossed);
    }

    private static int rowOf(PipelineTimeline t, int rank) {
        for (int r = 0; r < t.ranks().size(); r++) {
            if (t.rank(r) == rank) {
                return r;
            }
        }
        throw new IllegalStateException("rank " + rank + " is not in the pipeline");
    }

    /** The op of a rank that ends last at or before {@code ns}, other than {@code self}. */
    private static PipelineOp lastEndingBy(List<PipelineOp> ops, long ns, PipelineOp self) {
        PipelineOp best = null;
        for (PipelineOp op : ops) {
            if (op != self && op.endNs() <= ns && (best == null || op.endNs() > best.endNs())) {
                best = op;
            }
        }
        return best;
    }
}
