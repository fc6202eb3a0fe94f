package io.parabench.jmh;

import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Precision;
import io.parabench.kernels.HostPool;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.runtime.PipelineRuntime;
import io.parabench.pipeline.runtime.StageModel;
import io.parabench.pipeline.runtime.TrainingStep;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * A timing-only DualPipe step on 64 emulated H800s at a real model's size
 * ({@link PipelineRuntime} under {@link Emulation#timingOnly}): host time per step — the cost of
 * the virtual clock, contention placement and memory accounting with no numerics — and, as an
 * exact metric the gate pins, the step's virtual time.
 *
 * <p>64 ranks, 128 micro-batches (DualPipe's minimum of twice the ranks), stages of
 * Linear(4096→16384) → GELU → Linear(16384→4096) on 4096 tokens charged as BF16. Nothing is
 * computed, so this size runs in a fraction of a second where the numerics would take hours.
 * The virtual time depends only on the schedule, the shapes and the calibrated preset, never on
 * the host; a change to it is a change of the clock or the runtime.
 *
 * <p>Run: {@code mvn -B -ntp -pl jmh verify -DskipTests -Dparabench.include=TimingOnlyStep}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TimingOnlyStepBenchmark {
    private Schedule schedule;
    private StageModel model;
    private final DeviceSpec gpu = DeviceSpec.h800();

    @Setup(Level.Trial)
    public void setUp() {
        schedule = ScheduleKind.DUALPIPE.generate(64, 128);
        model = StageModel.shapeOnly(schedule.layout().stages(0), 4096, 16384, 4096);
    }

    /** The exact result of the step, assigned per invocation (see {@link ScheduleResults} for the convention). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class StepResults {
        public double exact_step_time_us;

        @Setup(Level.Iteration)
        public void reset() {
            exact_step_time_us = 0;
        }
    }

    @Benchmark
    public TrainingStep timingOnlyStep(StepResults results) {
        TrainingStep step = PipelineRuntime.run(schedule, model, gpu, HostPool.SERIAL, null,
                Emulation.timingOnly(Precision.BF16));
        results.exact_step_time_us = step.stepNs() / 1000.0;
        return step;
    }
}
