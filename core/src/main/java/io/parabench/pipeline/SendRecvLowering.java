package io.parabench.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where PyTorch's pipelining runtime posts its sends and receives: the lowering of a compute
 * schedule into per-rank action lists with {@code SEND_F}, {@code RECV_F}, {@code SEND_B} and
 * {@code RECV_B} ({@code torch.distributed.pipelining.schedules._add_send_recv}, used by
 * {@code _PipelineScheduleRuntime} and so by {@code ScheduleZBVZeroBubble}).
 *
 * <p>The rule: sweep the ranks in order, round after round; each rank lowers the next op of its
 * list when its input is there in its action list so far (a forward: stage 0, its {@code RECV_F},
 * or the previous stage's forward on the same rank; a backward: the last stage's own forward, its
 * {@code RECV_B} or the next stage's backward on the same rank; a weight gradient and the
 * bookkeeping actions always). Lowering an op whose output goes to another rank appends the
 * {@code SEND} to this rank's list and the matching {@code RECV} to the receiver's list at once:
 * so a receive is posted as soon as its sender was lowered, usually long before the op that
 * needs it. The runtime issues each list in order on one communication stream per rank (the
 * profiler shows one NCCL stream), which is when a receive's kernel starts to wait on the GPU.
 *
 * <p>Each stage's list opens with {@code UNSHARD} and closes, after its last weight gradient, with
 * {@code REDUCE_GRAD} and {@code RESHARD}: they move nothing here but take a turn in the sweep,
 * so they shift where later receives land. With them the lowering equals, action for action,
 * the order the profiler recorded in {@code gpu-traces/torch_zbv} (4 ranks, 20 micro-batches).
 *
 * <p>Stateless; O(ops × ranks) per lowering. Schedules with overlapped F&B pairs are refused
 * (the runtime has no such action).
 */
public final class SendRecvLowering {
    private SendRecvLowering() {
    }

    /** What an action of a lowered list does. */
    public enum ActionType {
        COMPUTE, SEND_F, RECV_F, SEND_B, RECV_B, UNSHARD, REDUCE_GRAD, RESHARD;

        public boolean isComm() {
            return this == SEND_F || this == RECV_F || this == SEND_B || this == RECV_B;
        }
    }

    /**
     * One action of a rank's lowered list.
     *
     * @param type       what it does
     * @param op         for {@link ActionType#COMPUTE} the op's index in the rank's schedule, else -1
     * @param flow       the flow of the stage it concerns
     * @param stage      the stage it concerns (for a send the sender's stage, a receive the receiver's)
     * @param microBatch the micro-batch it moves (-1 for bookkeeping)
     */
    public record Action(ActionType type, int op, int flow, int stage, int microBatch) {
        /** The name torch gives the action ({@code 7RECV_F0}, {@code 3I2}, {@code 0UNSHARD}), for compute given its op. */
        public String torchName(Op computeOp) {
            if (type == ActionType.COMPUTE) {
                String kind = switch (computeOp.kind()) {
                    case FORWARD -> "F";
                    case BACKWARD -> "B";
                    case BACKWARD_INPUT -> "I";
                    case WEIGHT -> "W";
                    case FORWARD_BACKWARD -> throw new IllegalStateException("no torch action for an F&B pair");
                };
                return stage + kind + microBatch;
            }
            return stage + type.name() + (microBatch >= 0 ? String.valueOf(microBatch) : "");
        }
    }

    /**
     * Lowers {@code schedule}: per rank, its compute ops in order with the comm and bookkeeping
     * actions placed as torch places them.
     *
     * @throws IllegalArgumentException for a schedule with F&B pairs or one the sweep cannot lower
     */
    public static List<List<Action>> lower(Schedule schedule) {
        PipelineLayout layout = schedule.layout();
        int ranks = schedule.ranks();
        List<List<Action>> pending = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            pending.add(withBookkeeping(schedule, r));
        }
        List<List<Action>> out = new ArrayList<>();
        List<Set<Long>> lowered = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            out.add(new ArrayList<>());
            lowered.add(new HashSet<>());
        }
        int[] next = new int[ranks];
        boolean left = true;
        while (left) {
            left = false;
            boolean progressed = false;
            for (int r = 0; r < ranks; r++) {
                List<Action> mine = pending.get(r);
                if (next[r] == mine.size()) {
                    continue;
                }
                left = true;
                Action a = mine.get(next[r]);
                if (!ready(schedule, r, a, lowered.get(r))) {
                    continue;
                }
                add(schedule, out, lowered, r, a);
                if (a.type() == ActionType.COMPUTE) {
                    postComm(schedule, r, a, out, lowered);
                }
                next[r]++;
                progressed = true;
            }
            if (left && !progressed) {
                throw new IllegalArgumentException("the " + schedule.kind() + " schedule cannot be lowered to sends"
                        + " and receives: no rank can lower its next op");
            }
        }
        return out;
    }

    private static void add(Schedule schedule, List<List<Action>> out, List<Set<Long>> lowered, int rank, Action a) {
        out.get(rank).add(a);
        int computeKind = 0;
        if (a.type() == ActionType.COMPUTE) {
            OpKind k = schedule.ops(rank).get(a.op()).kind();
            computeKind = k == OpKind.FORWARD ? 1 : k == OpKind.WEIGHT ? 3 : 2;
        }
        lowered.get(rank).add(key(a.type(), computeKind, a.flow(), a.stage(), a.microBatch()));
    }

    /**
     * What the readiness test looks up: an action by type, for compute by kind (1 forward,
     * 2 a backward, full or input, 3 weight), flow, stage and micro-batch, packed in a long.
     */
    private static long key(ActionType type, int computeKind, int flow, int stage, int microBatch) {
        return ((((long) type.ordinal() * 4 + computeKind) * 4 + flow) << 48) | ((long) stage << 24) | (microBatch + 1);
    }

    /** The rank's compute ops, with UNSHARD per stage first and REDUCE_GRAD, RESHARD after each stage's last weight gradient. */
    private static List<Action> withBookkeeping(Schedule schedule, int rank) {
        PipelineLayout layout = schedule.layout();
        List<Op> ops = schedule.ops(rank);
        List<Action> list = new ArrayList<>();
        int chunks = layout.chunksPerRank();
        int[] lastWeight = new int[chunks];
        Arrays.fill(lastWeight, -1);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.isPair()) {
                throw new IllegalArgumentException("op " + op.token() + " on rank " + rank + ": torch's runtime has"
                        + " no overlapped F&B action, so a " + schedule.kind() + " schedule cannot be lowered to its"
                        + " sends and receives");
            }
            if (op.kind() == OpKind.WEIGHT || op.kind() == OpKind.BACKWARD) {
                lastWeight[op.chunk()] = i;
            }
        }
        for (int c = 0; c < chunks; c++) {
            list.add(new Action(ActionType.UNSHARD, -1, layout.flow(rank, c), layout.stage(rank, c), -1));
        }
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int flow = layout.flow(rank, op.chunk());
            int stage = layout.stage(rank, op.chunk());
            list.add(new Action(ActionType.COMPUTE, i, flow, stage, op.microBatch()));
            if (lastWeight[op.chunk()] == i) {
                list.add(new Action(ActionType.REDUCE_GRAD, -1, flow, stage, -1));
                list.add(new Action(ActionType.RESHARD, -1, flow, stage, -1));
            }
        }
        return list;
    }

    private static boolean ready(Schedule schedule, int rank, Action a, Set<Long> lowered) {
        if (a.type() != ActionType.COMPUTE) {
            return true;
        }
        PipelineLayout layout = schedule.layout();
        Op op = schedule.ops(rank).get(a.op());
        int flow = a.flow();
        int s = a.stage();
        int mb = a.microBatch();
        return switch (op.kind()) {
            case FORWARD -> s == 0
                    || lowered.contains(key(ActionType.RECV_F, 0, flow, s, mb))
                    || lowered.contains(key(ActionType.COMPUTE, 1, flow, s - 1, mb));
            case BACKWARD, BACKWARD_INPUT -> (s == layout.stages(flow) - 1
                    && lowered.contains(key(ActionType.COMPUTE, 1, flow, s, mb)))
                    || lowered.contains(key(ActionType.RECV_B, 0, flow, s, mb))
                    || lowered.contains(key(ActionType.COMPUTE, 2, flow, s + 1, mb));
            case WEIGHT -> true;
            case FORWARD_BACKWARD -> throw new IllegalStateException("pairs are refused before the sweep");
        };
    }

    /** After lowering a compute op: its SEND here and the matching RECV on the receiver, when the output leaves the rank. */
    private static void postComm(Schedule schedule, int rank, Action a, List<List<Action>> out,
                                 List<Set<Long>> lowered) {
        PipelineLayout layout = schedule.layout();
        Op op = schedule.ops(rank).get(a.op());
        int flow = a.flow();
        int s = a.stage();
        int mb = a.microBatch();
        if (op.kind() == OpKind.FORWARD && s + 1 < layout.stages(flow) && layout.rankOf(flow, s + 1) != rank) {
            add(schedule, out, lowered, rank, new Action(ActionType.SEND_F, -1, flow, s, mb));
            add(schedule, out, lowered, layout.rankOf(flow, s + 1), new Action(ActionType.RECV_F, -1, flow, s + 1, mb));
        } else if ((op.kind() == OpKind.BACKWARD || op.kind() == OpKind.BACKWARD_INPUT) && s > 0
                && layout.rankOf(flow, s - 1) != rank) {
            add(schedule, out, lowered, rank, new Action(ActionType.SEND_B, -1, flow, s, mb));
            add(schedule, out, lowered, layout.rankOf(flow, s - 1), new Action(ActionType.RECV_B, -1, flow, s - 1, mb));
        }
    }
}
