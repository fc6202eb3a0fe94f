package io.parabench.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a schedule as PyTorch's pipelining runtime does ({@link CostModel#withPostedReceives}):
 * per rank a compute stream running its ops kernel by kernel and one communication stream
 * running the sends and receives of the {@link SendRecvLowering} in order.
 *
 * <p>Rules, all in virtual time:
 * <ul>
 *   <li>A comm kernel is ready when the previous one on its stream has ended and the compute
 *       issued before it on its rank has finished (the runtime makes the NCCL stream wait for
 *       the compute stream at each call). If a computation kernel is running then, or starts at
 *       that instant (a stream's next kernel is placed before work waiting on another stream's
 *       event), the comm kernel gets SMs only at that kernel's last wave
 *       ({@link KernelPhase#lastWave()}): a GEMM's pending blocks take every SM that frees
 *       until none are left. Directly after the comm kernel before it, it takes over that one's
 *       SMs at once. Both seen in {@code gpu-traces/torch_zbv}: sends issued right after a
 *       forward start 2.4 ms (7/8 of an 8-wave GEMM) after it, a receive queued behind a send
 *       starts when the send ends.</li>
 *   <li>A send and its receive end together, {@code p2p} after the later of the two started.</li>
 *   <li>An op that consumes a received tensor starts after its receive ended; otherwise when its
 *       rank's previous op ended.</li>
 *   <li>While a comm kernel is resident (started, not ended) on a rank, the computation kernel
 *       running there progresses at {@code 1 ÷ slowdown} of its speed; and at {@code 1 ÷ factor}
 *       while the rank's {@link CostModel#clock} is lowered.</li>
 * </ul>
 * With host launches ({@link CostModel#withHostLaunches}, the suite's own emulated GPUs) each
 * rank's host issues its work in order, one launch each, never waiting: an op's kernels, then the
 * comm kernels lowered after it; a kernel starts no earlier than it was issued and than the
 * kernel gap after its stream's previous work, a comm kernel no earlier than it was issued.
 *
 * <p>Event-driven with a global clock; each event moves time to the next kernel start or end,
 * comm start or transfer end. Deterministic: ranks are visited in order and nothing depends on the host.
 */
final class PostedReceiveExecutor {
    private static final double EPSILON = 1e-9;

    private PostedReceiveExecutor() {
    }

    static Timeline execute(Schedule schedule, CostModel costs) {
        PipelineLayout layout = schedule.layout();
        OpKernels kernels = costs.postedReceives();
        int ranks = schedule.ranks();
        List<List<SendRecvLowering.Action>> lowered = SendRecvLowering.lower(schedule);
        SendRecvLowering.Action[][] comm = new SendRecvLowering.Action[ranks][];
        int[][] commAfterOp = new int[ranks][];
        int[][] recvOfOp = new int[ranks][];
        Map<Long, int[]> where = new HashMap<>();
        for (int r = 0; r < ranks; r++) {
            List<SendRecvLowering.Action> list = lowered.get(r);
            int n = (int) list.stream().filter(a -> a.type().isComm()).count();
            comm[r] = new SendRecvLowering.Action[n];
            commAfterOp[r] = new int[n];
            int j = 0;
            int lastOp = -1;
            for (SendRecvLowering.Action a : list) {
                if (a.type() == SendRecvLowering.ActionType.COMPUTE) {
                    lastOp = a.op();
                } else if (a.type().isComm()) {
                    comm[r][j] = a;
                    commAfterOp[r][j] = lastOp;
                    where.put(key(a.type(), a.flow(), a.stage(), a.microBatch()), new int[] {r, j});
                    j++;
                }
            }
        }
        for (int r = 0; r < ranks; r++) {
            List<Op> ops = schedule.ops(r);
            recvOfOp[r] = new int[ops.size()];
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                int flow = layout.flow(r, op.chunk());
                int stage = layout.stage(r, op.chunk());
                SendRecvLowering.ActionType recv = op.kind() == OpKind.FORWARD ? SendRecvLowering.ActionType.RECV_F
                        : op.kind() == OpKind.WEIGHT ? null : SendRecvLowering.ActionType.RECV_B;
                int[] at = recv == null ? null : where.get(key(recv, flow, stage, op.microBatch()));
                recvOfOp[r][i] = at != null && at[0] == r ? at[1] : -1;
            }
        }
        return new PostedReceiveExecutor.Run(schedule, costs, kernels, comm, commAfterOp, recvOfOp, where).run();
    }

    private static long key(SendRecvLowering.ActionType type, int flow, int stage, int microBatch) {
        return (((long) type.ordinal() * 4 + flow) << 48) | ((long) stage << 24) | microBatch;
    }

    private static int[] peer(Map<Long, int[]> where, SendRecvLowering.Action a) {
        int s = a.stage();
        long k = switch (a.type()) {
            case SEND_F -> key(SendRecvLowering.ActionType.RECV_F, a.flow(), s + 1, a.microBatch());
            case RECV_F -> key(SendRecvLowering.ActionType.SEND_F, a.flow(), s - 1, a.microBatch());
            case SEND_B -> key(SendRecvLowering.ActionType.RECV_B, a.flow(), s - 1, a.microBatch());
            case RECV_B -> key(SendRecvLowering.ActionType.SEND_B, a.flow(), s + 1, a.microBatch());
            default -> throw new IllegalStateException(a.type().name());
        };
        int[] p = where.get(k);
        if (p == null) {
            throw new IllegalStateException("no peer for " + a);
        }
        return p;
    }

    /** One simulation's mutable state. */
    private static final class Run {
        private final Schedule schedule;
        private final CostModel costs;
        private final OpKernels kernels;
        private final SendRecvLowering.Action[][] comm;
        private final int[][] commAfterOp;
        private final int[][] recvOfOp;
        private final int[][][] peers;
        private final double[][] opStart;
        private final double[][] opEnd;
        private final double[][] commReady;
        private final double[][] commStart;
        private final double[][] commEnd;
        private final int[] nextOp;
        private final int[] nextComm;
        /** Per rank: phase index of the running op (-1: starting), or Integer.MIN_VALUE when idle. */
        private final int[] phase;
        private final double[] remaining;
        private final double[] slowdown;
        private final double[] lastWaveAt;
        /** Host launches ({@link CostModel#withHostLaunches}): per rank, op and kernel when it was issued, or null. */
        private final double[][][] kernelIssued;
        /** Per rank and comm kernel when it was issued (with host launches). */
        private final double[][] commIssued;
        /** Per rank: when the current kernel starts (after its issue and the stream's gap). */
        private final double[] phaseStart;
        /** Per rank: whether its compute stream ran a kernel yet (the gap applies after the first). */
        private final boolean[] placed;
        private double t;

        Run(Schedule schedule, CostModel costs, OpKernels kernels, SendRecvLowering.Action[][] comm,
            int[][] commAfterOp, int[][] recvOfOp, Map<Long, int[]> where) {
            this.schedule = schedule;
            this.costs = costs;
            this.kernels = kernels;
            this.comm = comm;
            this.commAfterOp = commAfterOp;
            this.recvOfOp = recvOfOp;
            int ranks = schedule.ranks();
            peers = new int[ranks][][];
            opStart = new double[ranks][];
            opEnd = new double[ranks][];
            commReady = new double[ranks][];
            commStart = new double[ranks][];
            commEnd = new double[ranks][];
            for (int r = 0; r < ranks; r++) {
                peers[r] = new int[comm[r].length][];
                for (int j = 0; j < comm[r].length; j++) {
                    peers[r][j] = peer(where, comm[r][j]);
                }
                opStart[r] = nan(schedule.ops(r).size());
                opEnd[r] = nan(schedule.ops(r).size());
                commReady[r] = nan(comm[r].length);
                commStart[r] = nan(comm[r].length);
                commEnd[r] = nan(comm[r].length);
            }
            nextOp = new int[ranks];
            nextComm = new int[ranks];
            phase = new int[ranks];
            Arrays.fill(phase, Integer.MIN_VALUE);
            remaining = new double[ranks];
            slowdown = new double[ranks];
            lastWaveAt = new double[ranks];
            phaseStart = new double[ranks];
            placed = new boolean[ranks];
            if (costs.launches() == null) {
                kernelIssued = null;
                commIssued = null;
                return;
            }
            // the host issues each rank's work in order, one launch each, never waiting for the GPU:
            // the kernels of op i, then the comm kernels lowered after it (those before any op first)
            kernelIssued = new double[ranks][][];
            commIssued = new double[ranks][];
            PipelineLayout layout = schedule.layout();
            for (int r = 0; r < ranks; r++) {
                List<Op> ops = schedule.ops(r);
                kernelIssued[r] = new double[ops.size()][];
                commIssued[r] = new double[comm[r].length];
                double issued = 0;
                int j = 0;
                for (int i = -1; i < ops.size(); i++) {
                    if (i >= 0) {
                        Op op = ops.get(i);
                        int n = kernels.phases(op.kind(), layout.stage(r, op.chunk())).size();
                        kernelIssued[r][i] = new double[n];
                        for (int k = 0; k < n; k++) {
                            issued += costs.launchUs();
                            kernelIssued[r][i][k] = issued;
                        }
                    }
                    for (; j < comm[r].length && commAfterOp[r][j] <= i; j++) {
                        issued += costs.launchUs();
                        commIssued[r][j] = issued;
                    }
                }
            }
        }

        private static double[] nan(int n) {
            double[] a = new double[n];
            Arrays.fill(a, Double.NaN);
            return a;
        }

        Timeline run() {
            int ranks = schedule.ranks();
            while (true) {
                // computation first: at one instant the compute stream's next kernel is placed
                // before a comm kernel that became ready then (see the class comment)
                boolean changed = true;
                while (changed) {
                    changed = false;
                    for (int r = 0; r < ranks; r++) {
                        changed |= stepCompute(r);
                    }
                    if (changed) {
                        continue;
                    }
                    for (int r = 0; r < ranks; r++) {
                        changed |= stepComm(r);
                    }
                }
                double next = Double.POSITIVE_INFINITY;
                for (int r = 0; r < ranks; r++) {
                    if (phase[r] >= 0) {
                        next = Math.min(next, phaseStart[r] > t ? phaseStart[r]
                                : Math.min(t + remaining[r] / rate(r), costs.clock(r).nextChange(t)));
                    }
                    int j = nextComm[r];
                    if (j < comm[r].length) {
                        if (commIssued != null && Double.isNaN(commReady[r][j]) && commIssued[r][j] > t) {
                            next = Math.min(next, commIssued[r][j]);
                        }
                        if (commReady[r][j] > t) {
                            next = Math.min(next, commReady[r][j]);
                        }
                        if (commEnd[r][j] > t) {
                            next = Math.min(next, commEnd[r][j]);
                        }
                    }
                }
                if (next == Double.POSITIVE_INFINITY) {
                    break;
                }
                for (int r = 0; r < ranks; r++) {
                    if (phase[r] >= 0 && phaseStart[r] <= t) {
                        double rate = rate(r);
                        remaining[r] = t + remaining[r] / rate <= next ? 0 : remaining[r] - (next - t) * rate;
                    }
                }
                t = next;
            }
            for (int r = 0; r < ranks; r++) {
                if (nextOp[r] < schedule.ops(r).size()) {
                    throw new IllegalArgumentException("schedule deadlocks with posted receives: rank " + r + " op "
                            + nextOp[r] + " (" + schedule.ops(r).get(nextOp[r]).token() + ") never gets its input");
                }
            }
            List<List<CommWindow>> windows = new ArrayList<>(ranks);
            for (int r = 0; r < ranks; r++) {
                List<CommWindow> mine = new ArrayList<>(comm[r].length);
                for (int j = 0; j < comm[r].length; j++) {
                    mine.add(new CommWindow(comm[r][j], commAfterOp[r][j], commStart[r][j], commEnd[r][j]));
                }
                windows.add(List.copyOf(mine));
            }
            return new Timeline(schedule, costs, opStart, opEnd, windows);
        }

        private boolean resident(int r) {
            int j = nextComm[r];
            return j < comm[r].length && commStart[r][j] <= t && !(commEnd[r][j] <= t);
        }

        private double rate(int r) {
            return (resident(r) ? 1 / slowdown[r] : 1) / costs.clock(r).factor(t);
        }

        private boolean stepComm(int r) {
            int j = nextComm[r];
            if (j >= comm[r].length) {
                return false;
            }
            boolean changed = false;
            if (Double.isNaN(commReady[r][j])) {
                int after = commAfterOp[r][j];
                boolean computed = after < 0 || opEnd[r][after] <= t;
                boolean streamFree = j == 0 || commEnd[r][j - 1] <= t;
                boolean issued = commIssued == null || commIssued[r][j] <= t;
                if (computed && streamFree && issued) {
                    // back to back on its stream it takes over the SMs its predecessor just left
                    boolean backToBack = j > 0 && commEnd[r][j - 1] == t;
                    commReady[r][j] = !backToBack && phase[r] >= 0 && phaseStart[r] <= t && lastWaveAt[r] > t
                            ? lastWaveAt[r] : t;
                    changed = true;
                }
            }
            if (commReady[r][j] <= t && Double.isNaN(commStart[r][j])) {
                commStart[r][j] = t;
                int[] p = peers[r][j];
                double other = commStart[p[0]][p[1]];
                if (!Double.isNaN(other)) {
                    double end = Math.max(t, other) + costs.p2p();
                    commEnd[r][j] = end;
                    commEnd[p[0]][p[1]] = end;
                }
                changed = true;
            }
            if (commEnd[r][j] <= t) {
                nextComm[r]++;
                changed = true;
            }
            return changed;
        }

        private boolean stepCompute(int r) {
            List<Op> ops = schedule.ops(r);
            int i = nextOp[r];
            if (i >= ops.size()) {
                return false;
            }
            Op op = ops.get(i);
            if (phase[r] == Integer.MIN_VALUE) {
                int recv = recvOfOp[r][i];
                if (recv >= 0 && !(commEnd[r][recv] <= t)) {
                    return false;
                }
                opStart[r][i] = t;
                phase[r] = -1;
                remaining[r] = 0;
                return true;
            }
            if (remaining[r] > EPSILON || phaseStart[r] > t) {
                return false;
            }
            PipelineLayout layout = schedule.layout();
            List<KernelPhase> phases = kernels.phases(op.kind(), layout.stage(r, op.chunk()));
            phase[r]++;
            if (phase[r] == phases.size()) {
                opEnd[r][i] = t;
                phase[r] = Integer.MIN_VALUE;
                nextOp[r]++;
                return true;
            }
            KernelPhase k = phases.get(phase[r]);
            double solo = k.share() * costs.duration(layout, r, op);
            double start = t;
            if (kernelIssued != null) {
                // issued by the host, and a kernel gap after the stream's previous work, as the emulated device
                start = Math.max(kernelIssued[r][i][phase[r]], placed[r] ? t + costs.kernelGapUs() : t);
                placed[r] = true;
                if (phase[r] == 0) {
                    opStart[r][i] = start;
                }
            }
            phaseStart[r] = start;
            remaining[r] = solo;
            slowdown[r] = k.slowdown();
            lastWaveAt[r] = start + solo * (resident(r) ? k.slowdown() : 1) * costs.clock(r).factor(t) * k.lastWave();
            return true;
        }
    }
}
