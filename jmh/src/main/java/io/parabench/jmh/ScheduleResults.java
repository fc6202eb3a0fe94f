package io.parabench.jmh;

import io.parabench.pipeline.Timeline;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Deterministic results of a simulated schedule (virtual makespan, bubble rate), reported as
 * JMH secondary metrics. By the suite's convention a secondary metric whose name starts with
 * {@code exact_} is computed, not timed: the regression gate requires it to equal the baseline
 * exactly, iteration by iteration.
 *
 * <p>JMH sums {@code EVENTS} counters over the iterations of a run, so the value is stored,
 * not accumulated, and the gate reads the per-iteration values ({@code rawData}), never the
 * summed score.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ScheduleResults {
    public double exact_makespan;
    public double exact_bubble_rate;

    @Setup(Level.Iteration)
    public void reset() {
        exact_makespan = 0;
        exact_bubble_rate = 0;
    }

    void record(Timeline timeline) {
        exact_makespan = timeline.makespan();
        exact_bubble_rate = timeline.bubbleRate();
    }
}
