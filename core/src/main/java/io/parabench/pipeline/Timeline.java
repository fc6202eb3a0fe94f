package io.parabench.pipeline;

import java.util.List;

/**
 * The simulated run of a schedule: start and end of every op on every rank, in virtual time
 * units, and the figures people compare schedules by.
 *
 * <p>Definitions: {@code makespan} = the latest op end (all ranks start at 0); a rank's
 * {@code busy} = the sum of its op durations; its {@code bubble} = makespan − busy (idle time
 * inside the step, including waiting at the start and the end); {@code bubbleRate} = total
 * bubble ÷ (ranks × makespan). Peak activations are counted in stage-micro-batch activations:
 * one is held from its forward until its full backward or, when split, its weight gradient;
 * the count is taken after each op, an overlapped F&B counting its forward first.
 *
 * <p>A run with posted receives also keeps each rank's send and receive windows
 * ({@link #commWindows}).
 *
 * <p>Immutable after construction; the arrays are not exposed.
 */
public final class Timeline {
    private final Schedule schedule;
    private final CostModel costs;
    private final double[][] start;
    private final double[][] end;
    private final double makespan;
    /** Per rank, its sends and receives in stream order (empty unless receives were posted early). */
    private final List<List<CommWindow>> comm;

    Timeline(Schedule schedule, CostModel costs, double[][] start, double[][] end) {
        this(schedule, costs, start, end, null);
    }

    Timeline(Schedule schedule, CostModel costs, double[][] start, double[][] end, List<List<CommWindow>> comm) {
        this.comm = comm == null ? null : List.copyOf(comm);
        this.schedule = schedule;
        this.costs = costs;
        this.start = start;
        this.end = end;
        double m = 0;
        for (double[] rankEnd : end) {
            for (double e : rankEnd) {
                m = Math.max(m, e);
            }
        }
        this.makespan = m;
    }

    public Schedule schedule() {
        return schedule;
    }

    public CostModel costs() {
        return costs;
    }

    public int ranks() {
        return schedule.ranks();
    }

    public double makespan() {
        return makespan;
    }

    /** Start of op {@code index} of {@code rank}. */
    public double start(int rank, int index) {
        return start[rank][index];
    }

    /** End of op {@code index} of {@code rank}. */
    public double end(int rank, int index) {
        return end[rank][index];
    }

    /**
     * The sends and receives of {@code rank} in its communication stream's order, with the window
     * their kernels were resident, when the run posted receives early
     * ({@link CostModel#withPostedReceives}); empty otherwise (transfers are then a cost on the
     * dependency, not kernels).
     */
    public List<CommWindow> commWindows(int rank) {
        return comm == null ? List.of() : comm.get(rank);
    }

    public double busy(int rank) {
        double busy = 0;
        for (int i = 0; i < start[rank].length; i++) {
            busy += end[rank][i] - start[rank][i];
        }
        return busy;
    }

    public double bubble(int rank) {
        return makespan - busy(rank);
    }

    public double maxBubble() {
        double max = 0;
        for (int r = 0; r < ranks(); r++) {
            max = Math.max(max, bubble(r));
        }
        return max;
    }

    public double bubbleRate() {
        if (makespan == 0) {
            return 0;
        }
        double total = 0;
        for (int r = 0; r < ranks(); r++) {
            total += bubble(r);
        }
        return total / (ranks() * makespan);
    }

    /** Peak number of stage-micro-batch activations held by {@code rank}. */
    public int peakActivations(int rank) {
        return schedule.peakActivations(rank);
    }

    /** Parameters held by each rank, in stages (DualPipe keeps two copies: 2). */
    public int parameterStages() {
        return schedule.layout().chunksPerRank();
    }
}
