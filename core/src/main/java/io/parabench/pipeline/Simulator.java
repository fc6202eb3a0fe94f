package io.parabench.pipeline;

/**
 * Discrete-event simulator of a pipeline schedule in virtual time.
 *
 * <p>The schedule is validated first (every stage and micro-batch computed once, dependencies
 * met, no deadlock); then each rank runs its ops in order, an op starting when the rank is free
 * and its inputs have arrived ({@link ScheduleExecutor}). Durations come from a
 * {@link CostModel}; a model with posted receives ({@link CostModel#withPostedReceives}) runs
 * as PyTorch's pipelining runtime does, kernel by kernel beside its communication kernels
 * ({@link PostedReceiveExecutor}). No wall clock is read: the same schedule and costs give the same
 * {@link Timeline} on any machine.
 *
 * <p>With F=1, B=2, b=W=1, F&B=3, p2p=0 the maximum bubble matches the DualPipe README's
 * formulas: 1F1B (PP−1)(F+B), ZB1P (PP−1)(F+B−2W), DualPipe (PP/2−1)(F&B+B−3W).
 */
public final class Simulator {
    private Simulator() {
    }

    /** Simulates the schedule; throws {@link IllegalArgumentException} when it is invalid. */
    public static Timeline simulate(Schedule schedule, CostModel costs) {
        ScheduleValidator.checkCounts(schedule);
        if (costs.postedReceives() != null) {
            ScheduleValidator.validate(schedule);
            return PostedReceiveExecutor.execute(schedule, costs);
        }
        return ScheduleExecutor.execute(schedule, costs);
    }

    /**
     * A lower bound of the makespan without simulating: over the ranks, the forwards that must
     * reach a rank's first stage before it can do anything, plus all its ops added up.
     */
    public static double lowerBound(Schedule schedule, CostModel costs) {
        double max = 0;
        PipelineLayout layout = schedule.layout();
        for (int r = 0; r < schedule.ranks(); r++) {
            double head = Double.MAX_VALUE;
            for (int c = 0; c < layout.chunksPerRank(); c++) {
                double before = 0;
                for (int s = 0; s < layout.stage(r, c); s++) {
                    before += costs.forward(s);
                }
                head = Math.min(head, before);
            }
            double busy = 0;
            for (Op op : schedule.ops(r)) {
                busy += costs.duration(layout, r, op);
            }
            max = Math.max(max, head + busy);
        }
        return max;
    }
}
