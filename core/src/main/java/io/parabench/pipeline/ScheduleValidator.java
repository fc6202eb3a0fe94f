package io.parabench.pipeline;

import java.util.List;

/**
 * Checks that a schedule can run and computes every stage of every micro-batch exactly once.
 *
 * <p>Rules, in the order they are checked:
 * <ol>
 *   <li>every op names a chunk the rank holds and a micro-batch of that chunk's flow;</li>
 *   <li>for every (stage, micro-batch): one forward, and either one full backward {@code B} or
 *       one input backward {@code b} plus one weight gradient {@code W};</li>
 *   <li>dependencies and deadlock freedom: forward of stage s before stage s+1, backward after
 *       its forward and after the input gradient of stage s+1, {@code W} after its {@code b};
 *       with each rank running its list in order and receives blocking, some rank can always
 *       move until all are done (see {@link ScheduleExecutor}).</li>
 * </ol>
 * The first violation is reported as an {@link IllegalArgumentException} that names the rank,
 * the op, the stage and the micro-batch.
 */
public final class ScheduleValidator {
    private ScheduleValidator() {
    }

    /** Validates the schedule; returns normally when it is valid. */
    public static void validate(Schedule schedule) {
        checkCounts(schedule);
        ScheduleExecutor.execute(schedule, CostModel.of(1, 1, 1, 1, Double.NaN, 0));
    }

    static void checkCounts(Schedule schedule) {
        PipelineLayout layout = schedule.layout();
        int[][][] forwards = new int[layout.flows()][][];
        int[][][] fullBackwards = new int[layout.flows()][][];
        int[][][] inputBackwards = new int[layout.flows()][][];
        int[][][] weights = new int[layout.flows()][][];
        for (int f = 0; f < layout.flows(); f++) {
            forwards[f] = new int[layout.stages(f)][layout.microBatches(f)];
            fullBackwards[f] = new int[layout.stages(f)][layout.microBatches(f)];
            inputBackwards[f] = new int[layout.stages(f)][layout.microBatches(f)];
            weights[f] = new int[layout.stages(f)][layout.microBatches(f)];
        }
        for (int rank = 0; rank < schedule.ranks(); rank++) {
            List<Op> ops = schedule.ops(rank);
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                switch (op.kind()) {
                    case FORWARD -> count(forwards, layout, rank, i, op, op.chunk(), op.microBatch());
                    case BACKWARD -> count(fullBackwards, layout, rank, i, op, op.chunk(), op.microBatch());
                    case BACKWARD_INPUT -> count(inputBackwards, layout, rank, i, op, op.chunk(), op.microBatch());
                    case WEIGHT -> count(weights, layout, rank, i, op, op.chunk(), op.microBatch());
                    case FORWARD_BACKWARD -> {
                        count(forwards, layout, rank, i, op, op.chunk(), op.microBatch());
                        count(fullBackwards, layout, rank, i, op, op.backwardChunk(), op.backwardMicroBatch());
                    }
                }
            }
        }
        for (int f = 0; f < layout.flows(); f++) {
            for (int s = 0; s < layout.stages(f); s++) {
                for (int m = 0; m < layout.microBatches(f); m++) {
                    String where = (layout.flows() > 1 ? "direction " + f + " " : "") + "stage " + s
                            + " micro-batch " + m + " (rank " + layout.rankOf(f, s) + " chunk " + layout.chunkOf(f, s) + ")";
                    if (forwards[f][s][m] != 1) {
                        throw new IllegalArgumentException(where + ": forward appears " + forwards[f][s][m]
                                + " times, must appear once");
                    }
                    boolean full = fullBackwards[f][s][m] == 1 && inputBackwards[f][s][m] == 0 && weights[f][s][m] == 0;
                    boolean split = fullBackwards[f][s][m] == 0 && inputBackwards[f][s][m] == 1 && weights[f][s][m] == 1;
                    if (!full && !split) {
                        throw new IllegalArgumentException(where + ": backward must be one B, or one b and one W;"
                                + " found B x" + fullBackwards[f][s][m] + ", b x" + inputBackwards[f][s][m]
                                + ", W x" + weights[f][s][m]);
                    }
                }
            }
        }
    }

    private static void count(int[][][] counts, PipelineLayout layout, int rank, int index, Op op, int chunk, int mb) {
        if (chunk >= layout.chunksPerRank()) {
            throw new IllegalArgumentException("rank " + rank + " op " + index + " (" + op.token() + "): chunk " + chunk
                    + " must be < " + layout.chunksPerRank() + " (chunks per rank)");
        }
        int flow = layout.flow(rank, chunk);
        if (mb >= layout.microBatches(flow)) {
            throw new IllegalArgumentException("rank " + rank + " op " + index + " (" + op.token() + "): micro-batch "
                    + mb + " must be < " + layout.microBatches(flow));
        }
        counts[flow][layout.stage(rank, chunk)][mb]++;
    }
}
