package io.parabench.jmh;

import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.Timeline;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * How fast the discrete-event simulator runs a large schedule, in simulated ops per second
 * (secondary metric {@code simulatedOps}), and what the schedule achieves in virtual time.
 *
 * <p>The schedule is generated once per trial, so only {@link Simulator#simulate} is timed;
 * the returned {@link Timeline} is consumed by JMH, so the work cannot be eliminated. The
 * virtual makespan and bubble rate are deterministic secondary metrics ({@code exact_*}, see
 * {@link ScheduleResults}): the regression gate requires them to equal the baseline exactly.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SimulatorBenchmark {
    @Param({"dualpipe", "1f1b", "zb1p"})
    public String kind;

    @Param({"16", "64"})
    public int ranks;

    @Param({"128", "1024"})
    public int chunks;

    private Schedule schedule;
    private final CostModel costs = CostModel.of(1, 2, 1, 1, 3, 0.1);

    @Setup(Level.Trial)
    public void generate() {
        schedule = ScheduleKind.of(kind).generate(ranks, chunks);
    }

    /** Simulated ops, reported by JMH as a rate (ops/s) beside the simulations per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class SimulatedOps {
        public long simulatedOps;

        @Setup(Level.Iteration)
        public void reset() {
            simulatedOps = 0;
        }
    }

    @Benchmark
    public Timeline simulate(SimulatedOps counter, ScheduleResults virtual) {
        Timeline timeline = Simulator.simulate(schedule, costs);
        counter.simulatedOps += schedule.opCount();
        virtual.record(timeline);
        return timeline;
    }
}
