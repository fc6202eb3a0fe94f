package io.parabench.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * Runs a schedule in virtual time: every rank executes its operations in order, and an
 * operation starts when its rank is free and its inputs have arrived. This is the one traversal
 * behind both the {@link ScheduleValidator} (unit costs, to find deadlocks) and the
 * {@link Simulator}.
 *
 * <p>Dependencies, per flow, stage {@code s} and micro-batch {@code m}: the forward needs the
 * forward of stage {@code s-1}; a backward ({@code B} or {@code b}) needs the forward of stage
 * {@code s} and the input gradient of stage {@code s+1}; {@code W} needs its {@code b}. An
 * overlapped pair needs what both halves need. Sends are buffered (as NCCL's batched
 * isend/irecv), receives block: an input from another rank arrives {@code p2p} after its
 * producer ends; with {@link CostModel#blockingSends()} the sender is also held for {@code p2p}
 * after such an op (blocking NCCL send/recv: the sender's stream waits for the transfer). A state where no rank can move and some have work left is a deadlock, reported
 * with what each stuck rank waits for.
 *
 * <p>Complexity: O(ops) work plus one sweep over the ranks per round of progress. Deterministic:
 * the times depend only on the schedule and the costs, never on sweep order.
 */
final class ScheduleExecutor {
    private final Schedule schedule;
    private final PipelineLayout layout;
    private final CostModel costs;
    private final int[] flowBase;
    private final double[] forwardEnd;
    private final double[] inputGradEnd;
    private final double[] backwardInputEnd;

    private ScheduleExecutor(Schedule schedule, CostModel costs) {
        this.schedule = schedule;
        this.layout = schedule.layout();
        this.costs = costs;
        this.flowBase = new int[layout.flows() + 1];
        for (int f = 0; f < layout.flows(); f++) {
            flowBase[f + 1] = flowBase[f] + layout.stages(f) * layout.microBatches(f);
        }
        int slots = flowBase[layout.flows()];
        forwardEnd = filledNaN(slots);
        inputGradEnd = filledNaN(slots);
        backwardInputEnd = filledNaN(slots);
    }

    private static double[] filledNaN(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /**
     * Executes the schedule and returns when every op started and ended.
     *
     * @throws IllegalArgumentException when the schedule deadlocks, naming the stuck ops
     */
    static Timeline execute(Schedule schedule, CostModel costs) {
        int ranks = schedule.ranks();
        double[][] start = new double[ranks][];
        double[][] end = new double[ranks][];
        for (int r = 0; r < ranks; r++) {
            start[r] = new double[schedule.ops(r).size()];
            end[r] = new double[schedule.ops(r).size()];
        }
        new ScheduleExecutor(schedule, costs).run(start, end);
        return new Timeline(schedule, costs, start, end);
    }

    private int flowSlot(int flow, int stage, int microBatch) {
        return flowBase[flow] + stage * layout.microBatches(flow) + microBatch;
    }

    private void run(double[][] start, double[][] end) {
        int ranks = layout.ranks();
        int[] next = new int[ranks];
        double[] rankFree = new double[ranks];
        HostClock host = costs.launches() == null ? null : new HostClock(ranks);
        int remaining = schedule.opCount();
        while (remaining > 0) {
            boolean progressed = false;
            for (int rank = 0; rank < ranks; rank++) {
                List<Op> ops = schedule.ops(rank);
                while (next[rank] < ops.size()) {
                    Op op = ops.get(next[rank]);
                    double ready = readyTime(rank, op);
                    if (Double.isNaN(ready)) {
                        break;
                    }
                    if (host != null) {
                        double[] span = host.run(rank, op, Math.max(rankFree[rank], ready));
                        start[rank][next[rank]] = span[0];
                        end[rank][next[rank]] = span[1];
                        rankFree[rank] = span[2];
                        next[rank]++;
                        remaining--;
                        progressed = true;
                        continue;
                    }
                    double s = Math.max(rankFree[rank], ready);
                    double e = costs.clock(rank).end(s, duration(rank, op));
                    start[rank][next[rank]] = s;
                    end[rank][next[rank]] = e;
                    complete(rank, op, s, e);
                    rankFree[rank] = costs.blockingSends() && sendsAcrossRanks(rank, op) ? e + costs.p2p() : e;
                    next[rank]++;
                    remaining--;
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalArgumentException(deadlockMessage(next));
            }
        }
    }

    /** When the op's inputs are all available, or NaN while one is missing. */
    private double readyTime(int rank, Op op) {
        return switch (op.kind()) {
            case FORWARD -> forwardReady(rank, op.chunk(), op.microBatch());
            case BACKWARD, BACKWARD_INPUT -> backwardReady(rank, op.chunk(), op.microBatch());
            case WEIGHT -> backwardInputEnd[opSlot(rank, op.chunk(), op.microBatch())];
            case FORWARD_BACKWARD -> Math.max(forwardReady(rank, op.chunk(), op.microBatch()),
                    backwardReady(rank, op.backwardChunk(), op.backwardMicroBatch()));
        };
    }

    private int opSlot(int rank, int chunk, int microBatch) {
        int flow = layout.flow(rank, chunk);
        if (microBatch >= layout.microBatches(flow)) {
            throw new IllegalArgumentException("micro-batch (" + microBatch + ") on rank " + rank + " chunk " + chunk
                    + " must be < " + layout.microBatches(flow));
        }
        return flowSlot(flow, layout.stage(rank, chunk), microBatch);
    }

    private double forwardReady(int rank, int chunk, int mb) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        opSlot(rank, chunk, mb);
        if (stage == 0) {
            return 0;
        }
        return arrival(forwardEnd[flowSlot(flow, stage - 1, mb)], layout.rankOf(flow, stage - 1), rank);
    }

    private double backwardReady(int rank, int chunk, int mb) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        double ownForward = forwardEnd[opSlot(rank, chunk, mb)];
        if (stage == layout.stages(flow) - 1) {
            return ownForward;
        }
        double grad = arrival(inputGradEnd[flowSlot(flow, stage + 1, mb)], layout.rankOf(flow, stage + 1), rank);
        return Math.max(ownForward, grad);
    }

    /** Whether the op's output (activation forward, input gradient backward) goes to another rank. */
    private boolean sendsAcrossRanks(int rank, Op op) {
        return switch (op.kind()) {
            case FORWARD -> forwardLeavesRank(rank, op.chunk());
            case BACKWARD, BACKWARD_INPUT -> gradientLeavesRank(rank, op.chunk());
            case WEIGHT -> false;
            case FORWARD_BACKWARD -> forwardLeavesRank(rank, op.chunk()) || gradientLeavesRank(rank, op.backwardChunk());
        };
    }

    private boolean forwardLeavesRank(int rank, int chunk) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        return stage < layout.stages(flow) - 1 && layout.rankOf(flow, stage + 1) != rank;
    }

    private boolean gradientLeavesRank(int rank, int chunk) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        return stage > 0 && layout.rankOf(flow, stage - 1) != rank;
    }

    private double arrival(double producedAt, int fromRank, int toRank) {
        return fromRank == toRank ? producedAt : producedAt + costs.p2p();
    }

    private double duration(int rank, Op op) {
        return costs.duration(layout, rank, op);
    }

    /**
     * Records when the op's outputs are available: at its end, or with
     * {@link CostModel#earlyGradient()} as soon as they are computed inside it.
     */
    private void complete(int rank, Op op, double start, double at) {
        double early = costs.earlyGradient();
        switch (op.kind()) {
            case FORWARD -> forwardEnd[opSlot(rank, op.chunk(), op.microBatch())] = at;
            case BACKWARD -> inputGradEnd[opSlot(rank, op.chunk(), op.microBatch())] =
                    Double.isNaN(early) ? at : start + early * (at - start);
            case BACKWARD_INPUT -> {
                int s = opSlot(rank, op.chunk(), op.microBatch());
                inputGradEnd[s] = at;
                backwardInputEnd[s] = at;
            }
            case WEIGHT -> { }
            case FORWARD_BACKWARD -> {
                double forwardDone = at;
                double gradientDone = at;
                if (!Double.isNaN(early)) {
                    double f = costs.forward(layout.stage(rank, op.chunk()));
                    double b = costs.backward(layout.stage(rank, op.backwardChunk()));
                    if (f + b > 0) {
                        forwardDone = start + (at - start) * f / (f + b);
                        gradientDone = start + (at - start) * (f + early * b) / (f + b);
                    }
                }
                forwardEnd[opSlot(rank, op.chunk(), op.microBatch())] = forwardDone;
                inputGradEnd[opSlot(rank, op.backwardChunk(), op.backwardMicroBatch())] = gradientDone;
            }
        }
    }

    /**
     * Kernel-by-kernel timing with each rank's host issuing work ({@link CostModel#withHostLaunches}):
     * per rank the host clock, whether its compute and comm streams placed work yet, and when its
     * comm stream is free. Mirrors the emulated device: work starts at
     * {@code max(issued, stream ready + gap)}, the gap only once the stream placed something.
     */
    private final class HostClock {
        private final double[] issued;
        private final boolean[] computePlaced;
        private final boolean[] commPlaced;
        private final double[] commFree;

        HostClock(int ranks) {
            issued = new double[ranks];
            computePlaced = new boolean[ranks];
            commPlaced = new boolean[ranks];
            commFree = new double[ranks];
        }

        /** Runs the op from stream-ready time {@code t}; returns {first kernel start, last kernel end, stream ready after}. */
        double[] run(int rank, Op op, double t) {
            double first = Double.NaN;
            int chunk = op.chunk();
            int mb = op.microBatch();
            boolean pair = op.isPair();
            for (int part = 0; part < (pair ? 2 : 1); part++) {
                OpKind kind = pair ? (part == 0 ? OpKind.FORWARD : OpKind.BACKWARD) : op.kind();
                int c = part == 1 ? op.backwardChunk() : chunk;
                int m = part == 1 ? op.backwardMicroBatch() : mb;
                int stage = layout.stage(rank, c);
                double cost = pair ? (part == 0 ? costs.forward(stage) : costs.backward(stage))
                        : costs.duration(layout, rank, op);
                List<KernelPhase> phases = costs.launches().phases(kind, stage);
                int sendAfter = costs.launches().sendAfter(kind, stage);
                boolean leaves = kind == OpKind.FORWARD ? forwardLeavesRank(rank, c)
                        : kind != OpKind.WEIGHT && gradientLeavesRank(rank, c);
                for (int j = 0; j <= phases.size(); j++) {
                    if (j == sendAfter) {
                        t = output(rank, kind, c, m, t, leaves);
                    }
                    if (j == phases.size()) {
                        break;
                    }
                    issued[rank] += costs.launchUs();
                    double s = Math.max(issued[rank], computePlaced[rank] ? t + costs.kernelGapUs() : t);
                    t = costs.clock(rank).end(s, phases.get(j).share() * cost);
                    computePlaced[rank] = true;
                    if (Double.isNaN(first)) {
                        first = s;
                    }
                }
                if (kind == OpKind.BACKWARD_INPUT) {
                    backwardInputEnd[opSlot(rank, c, m)] = t;
                }
            }
            return new double[] {Double.isNaN(first) ? t : first, t, t};
        }

        /**
         * Hands the output over at compute time {@code t}: on the rank at once, to another rank by a
         * copy issued now on the comm stream (the consumer has it {@code p2p} after the copy starts);
         * with blocking sends the compute stream waits for the copy. Returns the compute stream's
         * ready time after.
         */
        private double output(int rank, OpKind kind, int chunk, int mb, double t, boolean leaves) {
            double producedAt = t;
            if (leaves) {
                issued[rank] += costs.launchUs();
                double copyStart = Math.max(issued[rank],
                        commPlaced[rank] ? Math.max(commFree[rank], t) + costs.kernelGapUs() : Math.max(commFree[rank], t));
                commFree[rank] = copyStart + costs.p2p();
                commPlaced[rank] = true;
                producedAt = copyStart;
                if (costs.blockingSends()) {
                    t = Math.max(t, commFree[rank]);
                }
            }
            int slot = opSlot(rank, chunk, mb);
            switch (kind) {
                case FORWARD -> forwardEnd[slot] = producedAt;
                case BACKWARD, BACKWARD_INPUT -> inputGradEnd[slot] = producedAt;
                default -> { }
            }
            return t;
        }
    }

    private String deadlockMessage(int[] next) {
        StringBuilder sb = new StringBuilder("schedule deadlocks:");
        int shown = 0;
        for (int rank = 0; rank < next.length && shown < 4; rank++) {
            List<Op> ops = schedule.ops(rank);
            if (next[rank] >= ops.size()) {
                continue;
            }
            Op op = ops.get(next[rank]);
            sb.append(shown == 0 ? " " : "; ").append("rank ").append(rank).append(" op ").append(next[rank])
                    .append(" (").append(op.token()).append(") waits for ").append(missingInput(rank, op));
            shown++;
        }
        return sb.toString();
    }

    private String missingInput(int rank, Op op) {
        int chunk = op.chunk();
        int mb = op.microBatch();
        if (op.kind() == OpKind.WEIGHT) {
            return "its b" + chunk + ":" + mb + " on rank " + rank;
        }
        if (op.kind() == OpKind.FORWARD || (op.isPair() && Double.isNaN(forwardReady(rank, chunk, mb)))) {
            int flow = layout.flow(rank, chunk);
            int stage = layout.stage(rank, chunk) - 1;
            return describe("forward", flow, stage, mb);
        }
        if (op.isPair()) {
            chunk = op.backwardChunk();
            mb = op.backwardMicroBatch();
        }
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        if (Double.isNaN(forwardEnd[flowSlot(flow, stage, mb)])) {
            return describe("forward", flow, stage, mb);
        }
        return describe("input gradient", flow, stage + 1, mb);
    }

    private String describe(String what, int flow, int stage, int mb) {
        int rank = layout.rankOf(flow, stage);
        return "the " + what + " of " + (layout.flows() > 1 ? "direction " + flow + " " : "") + "stage " + stage
                + " micro-batch " + mb + " (rank " + rank + " chunk " + layout.chunkOf(flow, stage) + ")";
    }
}
