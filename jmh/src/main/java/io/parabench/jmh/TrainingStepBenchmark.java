package io.parabench.jmh;

import io.parabench.gpu.DeviceSpec;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * One real pipelined training step on emulated H800s ({@link PipelineRuntime}): host time per
 * step, and — as an exact metric the gate pins — the step's virtual time.
 *
 * <p>4 ranks, 8 micro-batches, a stage of Linear(64→256) → GELU → Linear(256→64) on 32 tokens,
 * one host thread (so the timing is the suite's single-thread cost). The model and schedule are
 * built once per trial; each invocation runs the whole step (kernels, copies, virtual clock) and
 * returns it to JMH. The virtual step time depends only on the schedule, the model's shapes and
 * the device preset, never on the host, so any change to it is a behaviour change. The loss is
 * not pinned: its MSE reduction runs in vector lanes, so its last bits follow the host's vector
 * width, and the gate may run on another CPU than the one that recorded the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TrainingStepBenchmark {
    @Param({"dualpipe", "1f1b"})
    public String kind;

    private Schedule schedule;
    private StageModel model;
    private HostPool pool;
    private final DeviceSpec gpu = DeviceSpec.h800();

    @Setup(Level.Trial)
    public void setUp() {
        schedule = ScheduleKind.of(kind).generate(4, 8);
        model = new StageModel(schedule.layout().stages(0), 64, 256, 32, 7);
        pool = HostPool.of(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
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
    public TrainingStep trainStep(StepResults results) {
        TrainingStep step = PipelineRuntime.run(schedule, model, gpu, pool, null);
        results.exact_step_time_us = step.stepNs() / 1000.0;
        return step;
    }
}
