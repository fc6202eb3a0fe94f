package io.parabench.pipeline.runtime;

import io.parabench.gpu.CommKernel;
import io.parabench.gpu.Device;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Event;
import io.parabench.gpu.Launch;
import io.parabench.gpu.MemoryPath;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.HostPool;
import io.parabench.pipeline.CommWindow;
import io.parabench.pipeline.Op;
import io.parabench.pipeline.OpKind;
import io.parabench.pipeline.PipelineLayout;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.ScheduleValidator;
import io.parabench.pipeline.SendRecvLowering;
import io.parabench.trace.ChromeTraceWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a {@link Schedule} for real: one emulated {@link Device} per rank, each with a compute
 * stream holding all its SMs and a copy-only comm stream, running a {@link StageModel} and
 * computing its loss and weight gradients.
 *
 * <p>Each rank follows its op list in order. {@code F} runs the stage forward and keeps X, H and
 * A; the last stage also issues the MSE loss and its gradient. {@code B} computes the input
 * gradient, sends it, then computes the weight gradients (the first stage computes its input
 * gradient only where the kind's runtime does, {@link ScheduleKind#computesFirstStageInputGradient()});
 * kinds whose runtime does not post receives early ({@link ScheduleKind#postsReceivesEarly()})
 * exchange as blocking batched isend/irecv, as the harness of {@code gpu-traces/1f1b} did: a full
 * backward sends after its weight gradients, and the sender's compute stream waits for each
 * send; {@code b} only the input gradient,
 * keeping dY and dH for its {@code W}; an overlapped {@code F&B} runs the forward half, then the
 * backward half, as one span. An output
 * for another rank is copied on the sender's comm stream after an event on its compute stream,
 * and the receiver's compute stream waits on the copy's event before the op that consumes it, so
 * virtual time orders every transfer and lets copies run under later compute. Outputs staying on
 * the rank (DualPipeV's turn at the last rank) are handed over without a copy. Weight gradients
 * are kept per micro-batch and summed per model stage in micro-batch order at the end.
 *
 * <p>Ranks are driven like the simulator's executor: sweep the ranks, advancing each while its
 * next op's inputs exist; the {@link ScheduleValidator} run first guarantees progress. Virtual
 * time depends only on each stream's issue order, which is the schedule's, so it is independent
 * of the sweep, the host and the pool's thread count.
 *
 * <p>For DualPipe, flow (direction) 1's stage {@code s} is model stage {@code s}: both directions
 * train the same model, and every rank holds two stages' weights, as DeepSeek's DualPipe does.
 *
 * <p>Under a timing-only {@link Emulation} the same program runs at any size: every kernel and
 * copy is issued and charged in the same order, memory is accounted, but nothing is computed, so
 * the traces are the numerics run's byte for byte and losses and gradients are not produced
 * (NaN losses, no gradients).
 *
 * <p>Not thread-safe; one instance runs one step.
 */
public final class PipelineRuntime {
    private final Schedule schedule;
    private final PipelineLayout layout;
    private final StageModel model;
    private final Device[] devices;
    private final Stream[] compute;
    private final Stream[] comm;
    private final StagePass[][] passes;
    private final int[] flowBase;
    private final int[] firstMicroBatch;
    private final Map<Integer, Arrival> activations = new HashMap<>();
    private final Map<Integer, Arrival> gradients = new HashMap<>();
    private final Map<Integer, StagePass.Saved> saved = new HashMap<>();
    private final StageGradients[][] perMicroBatch;
    private final float[] losses;
    private final List<List<Launch>> opLaunches = new ArrayList<>();
    private final List<List<Launch>> copyLaunches = new ArrayList<>();
    /** Whether the first stage computes its (unused) input gradient, as the runtime of the schedule's kind does. */
    private final boolean firstStageInputGradient;
    /** Whether a sender waits for its transfer after the op, as blocking batched isend/irecv does. */
    private final boolean blockingSends;
    /** NCCL kernels of a runtime that posts receives early, or null: transfers are copies. */
    private final PostedTransfers posted;
    /** Per rank, its next comm window to place. */
    private final int[] nextWindow;

    /** A tensor that reached the consumer's device, and when (null: produced on that stream). */
    private record Arrival(Tensor tensor, Event event) {
    }

    private PipelineRuntime(Schedule schedule, StageModel model, DeviceSpec spec, HostPool pool,
                            List<ChromeTraceWriter> traces, Emulation emulation) {
        this.schedule = schedule;
        this.layout = schedule.layout();
        this.model = model;
        ScheduleKind kind = kindOf(schedule.kind());
        this.firstStageInputGradient = kind == null || kind.computesFirstStageInputGradient();
        this.blockingSends = kind == null || !kind.postsReceivesEarly();
        // the roofline clock has no contention: there transfers stay copies
        this.posted = kind != null && kind.postsReceivesEarly() && spec.calibration() != null
                ? PostedTransfers.plan(schedule, model, spec, pool, emulation, firstStageInputGradient) : null;
        int ranks = layout.ranks();
        nextWindow = new int[ranks];
        devices = new Device[ranks];
        compute = new Stream[ranks];
        comm = new Stream[ranks];
        passes = new StagePass[ranks][layout.chunksPerRank()];
        for (int r = 0; r < ranks; r++) {
            devices[r] = new Device(r, spec, pool, traces == null ? null : traces.get(r), emulation);
            compute[r] = devices[r].stream(spec.numSms());
            comm[r] = devices[r].stream(0);
            for (int c = 0; c < layout.chunksPerRank(); c++) {
                passes[r][c] = new StagePass(devices[r], model, layout.stage(r, c), "chunk" + c);
            }
            opLaunches.add(new ArrayList<>());
            copyLaunches.add(new ArrayList<>());
            placeCommKernels(r, -1);
        }
        flowBase = new int[layout.flows()];
        firstMicroBatch = new int[layout.flows()];
        int slots = 0;
        int microBatches = 0;
        for (int f = 0; f < layout.flows(); f++) {
            flowBase[f] = slots;
            firstMicroBatch[f] = microBatches;
            slots += layout.stages(f) * layout.microBatches(f);
            microBatches += layout.microBatches(f);
        }
        perMicroBatch = new StageGradients[model.stages()][microBatches];
        losses = new float[microBatches];
    }

    /**
     * Runs one training step of {@code schedule} on {@code model}.
     *
     * @param spec   the device every rank runs on
     * @param pool   host threads for the numerics (results do not depend on their number)
     * @param traces per rank, the writer its device writes to (header listing
     *               {@code spec.properties(rank)}), or null for no traces
     * @throws IllegalArgumentException if the model's stage count is not the schedule's stages per
     *                                  flow, the traces are not one per rank, or the schedule is
     *                                  invalid
     */
    public static TrainingStep run(Schedule schedule, StageModel model, DeviceSpec spec, HostPool pool,
                                   List<ChromeTraceWriter> traces) {
        return run(schedule, model, spec, pool, traces, Emulation.NUMERICS);
    }

    /**
     * Runs one training step under {@code emulation} (charged precision, timing-only or not).
     *
     * @throws IllegalArgumentException as {@link #run(Schedule, StageModel, DeviceSpec, HostPool, List)},
     *                                  or if a numerics run is given a shape-only model
     */
    public static TrainingStep run(Schedule schedule, StageModel model, DeviceSpec spec, HostPool pool,
                                   List<ChromeTraceWriter> traces, Emulation emulation) {
        if (!emulation.timingOnly() && !model.hasNumbers()) {
            throw new IllegalArgumentException("a shape-only model can only run timing-only");
        }
        PipelineLayout layout = schedule.layout();
        for (int f = 0; f < layout.flows(); f++) {
            if (layout.stages(f) != model.stages()) {
                throw new IllegalArgumentException("model stages (" + model.stages() + ") must equal the "
                        + schedule.kind() + " schedule's stages per flow (" + layout.stages(f) + ")");
            }
        }
        if (traces != null && traces.size() != layout.ranks()) {
            throw new IllegalArgumentException("trace writers (" + traces.size() + ") must be one per rank ("
                    + layout.ranks() + ")");
        }
        ScheduleValidator.validate(schedule);
        return new PipelineRuntime(schedule, model, spec, pool, traces, emulation).execute();
    }

    private TrainingStep execute() {
        int ranks = layout.ranks();
        int[] next = new int[ranks];
        int remaining = schedule.opCount();
        while (remaining > 0) {
            boolean progressed = false;
            for (int rank = 0; rank < ranks; rank++) {
                List<Op> ops = schedule.ops(rank);
                while (next[rank] < ops.size() && ready(rank, ops.get(next[rank]))) {
                    opLaunches.get(rank).add(run(rank, ops.get(next[rank])));
                    placeCommKernels(rank, next[rank]);
                    next[rank]++;
                    remaining--;
                    progressed = true;
                }
            }
            if (!progressed) {
                // the validator rules this out; reaching it means the runtime and validator disagree
                throw new IllegalStateException("pipeline runtime stalled on a validated " + schedule.kind()
                        + " schedule");
            }
        }
        long stepNs = 0;
        long[] peak = new long[ranks];
        for (int r = 0; r < ranks; r++) {
            stepNs = Math.max(stepNs, devices[r].synchronizeNs());
            peak[r] = devices[r].peakBytes();
        }
        List<List<StageGradients>> byStage = new ArrayList<>(perMicroBatch.length);
        if (!devices[0].timingOnly()) {
            for (StageGradients[] stage : perMicroBatch) {
                byStage.add(List.of(stage));
            }
        }
        return new TrainingStep(losses, ReferenceRun.sum(byStage), stepNs, List.copyOf(opLaunches),
                List.copyOf(copyLaunches), peak);
    }

    /** The generator kind of that name, or null for a schedule from a file (run as the gpu-traces harness runs). */
    private static ScheduleKind kindOf(String kind) {
        for (ScheduleKind k : ScheduleKind.values()) {
            if (k.cliName().equals(kind)) {
                return k;
            }
        }
        return null;
    }

    private int slot(int flow, int stage, int microBatch) {
        return flowBase[flow] + stage * layout.microBatches(flow) + microBatch;
    }

    private int slotOf(int rank, int chunk, int microBatch) {
        return slot(layout.flow(rank, chunk), layout.stage(rank, chunk), microBatch);
    }

    private boolean ready(int rank, Op op) {
        return switch (op.kind()) {
            case FORWARD -> forwardReady(rank, op.chunk(), op.microBatch());
            case BACKWARD, BACKWARD_INPUT -> backwardReady(rank, op.chunk(), op.microBatch());
            case WEIGHT -> {
                StagePass.Saved s = saved.get(slotOf(rank, op.chunk(), op.microBatch()));
                yield s != null && s.dh != null;
            }
            case FORWARD_BACKWARD -> forwardReady(rank, op.chunk(), op.microBatch())
                    && backwardReady(rank, op.backwardChunk(), op.backwardMicroBatch());
        };
    }

    private boolean forwardReady(int rank, int chunk, int mb) {
        return layout.stage(rank, chunk) == 0 || activations.containsKey(slotOf(rank, chunk, mb));
    }

    private boolean backwardReady(int rank, int chunk, int mb) {
        int slot = slotOf(rank, chunk, mb);
        return saved.containsKey(slot) && gradients.containsKey(slot);
    }

    /** Waits for the op's inputs, then runs it as one annotated span on the compute stream. */
    private Launch run(int rank, Op op) {
        Stream s = compute[rank];
        return switch (op.kind()) {
            case FORWARD -> {
                Tensor x = awaitInput(rank, op.chunk(), op.microBatch());
                yield s.annotate(op.token(), () -> forward(rank, op.chunk(), op.microBatch(), x));
            }
            case BACKWARD, BACKWARD_INPUT -> {
                Tensor dy = await(gradients, rank, op.chunk(), op.microBatch());
                boolean full = op.kind() == OpKind.BACKWARD;
                yield s.annotate(op.token(), () -> backward(rank, op.chunk(), op.microBatch(), dy, full));
            }
            case WEIGHT -> s.annotate(op.token(), () -> weight(rank, op.chunk(), op.microBatch()));
            case FORWARD_BACKWARD -> {
                Tensor x = awaitInput(rank, op.chunk(), op.microBatch());
                Tensor dy = await(gradients, rank, op.backwardChunk(), op.backwardMicroBatch());
                yield s.annotate(op.token(), () -> {
                    forward(rank, op.chunk(), op.microBatch(), x);
                    backward(rank, op.backwardChunk(), op.backwardMicroBatch(), dy, true);
                });
            }
        };
    }

    private Tensor awaitInput(int rank, int chunk, int mb) {
        int flow = layout.flow(rank, chunk);
        if (layout.stage(rank, chunk) > 0) {
            return await(activations, rank, chunk, mb);
        }
        Tensor x = devices[rank].allocate("x", model.tokens(), model.width());
        if (!devices[rank].timingOnly()) {
            System.arraycopy(model.input(firstMicroBatch[flow] + mb), 0, x.data(), 0, x.size());
        }
        return x;
    }

    private Tensor await(Map<Integer, Arrival> box, int rank, int chunk, int mb) {
        Arrival a = box.remove(slotOf(rank, chunk, mb));
        if (a.event() != null) {
            compute[rank].waitFor(a.event());
        }
        return a.tensor();
    }

    private void forward(int rank, int chunk, int mb, Tensor x) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        StagePass.Saved out = passes[rank][chunk].forward(compute[rank], x);
        int slot = slot(flow, stage, mb);
        saved.put(slot, out);
        if (stage == layout.stages(flow) - 1) {
            Tensor dy = LossHead.lossAndGradient(devices[rank], compute[rank], out.y,
                    devices[rank].timingOnly() ? null : model.target(firstMicroBatch[flow] + mb), losses,
                    firstMicroBatch[flow] + mb);
            devices[rank].free(out.y);
            gradients.put(slot, new Arrival(dy, null));
        } else {
            deliver(activations, flow, stage + 1, mb, rank, out.y);
        }
    }

    private void backward(int rank, int chunk, int mb, Tensor dy, boolean full) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        StagePass.Saved s = saved.get(slot(flow, stage, mb));
        Tensor dx = passes[rank][chunk].backwardInput(compute[rank], s, dy, stage > 0 || firstStageInputGradient);
        if (dx != null && stage == 0) {
            devices[rank].free(dx);
            dx = null;
        }
        // asynchronous sends leave before the weight GEMMs are issued, so the copy runs under them;
        // a blocking exchange happens after the whole op (one autograd backward, then the send)
        if (dx != null && !blockingSends) {
            deliver(gradients, flow, stage - 1, mb, rank, dx);
        }
        if (full) {
            weight(rank, chunk, mb);
        }
        if (dx != null && blockingSends) {
            deliver(gradients, flow, stage - 1, mb, rank, dx);
        }
    }

    private void weight(int rank, int chunk, int mb) {
        int flow = layout.flow(rank, chunk);
        int stage = layout.stage(rank, chunk);
        StagePass.Saved s = saved.remove(slot(flow, stage, mb));
        perMicroBatch[stage][firstMicroBatch[flow] + mb] = passes[rank][chunk].weight(compute[rank], s);
    }

    /**
     * Places the NCCL kernels {@code rank} issues after its op {@code op} (-1: before its first),
     * at their windows: a receive is posted as soon as its sender is lowered, and every kernel
     * issued on the compute stream afterwards runs beside it ({@link PostedTransfers}).
     */
    private void placeCommKernels(int rank, int op) {
        if (posted == null) {
            return;
        }
        List<CommWindow> windows = posted.windows(rank);
        while (nextWindow[rank] < windows.size() && windows.get(nextWindow[rank]).afterOp() <= op) {
            CommWindow w = windows.get(nextWindow[rank]++);
            // the NCCL stream waits for the compute issued before the call; the device may finish
            // it a few µs after the plan did (launch gaps the plan folds into kernel spans)
            long startNs = Math.max(PostedTransfers.startNs(w), Math.max(comm[rank].readyNs(), compute[rank].readyNs()));
            Launch l = comm[rank].commKernel(PostedTransfers.KERNEL_NAME, CommKernel.NCCL_SEND_RECV, startNs,
                    Math.max(PostedTransfers.endNs(w), startNs), posted.bytes());
            SendRecvLowering.ActionType type = w.action().type();
            if (type == SendRecvLowering.ActionType.SEND_F || type == SendRecvLowering.ActionType.SEND_B) {
                copyLaunches.get(rank).add(l);
            }
        }
    }

    /**
     * Hands {@code t} to the consumer slot on rank {@code to}: directly on the same rank; with
     * posted receives, at the end of its receive's NCCL kernel; else as a copy on the sender's comm
     * stream after the sender's compute so far. Frees the original.
     */
    private void deliver(Map<Integer, Arrival> box, int flow, int stage, int mb, int from, Tensor t) {
        int slot = slot(flow, stage, mb);
        int to = layout.rankOf(flow, stage);
        if (from == to) {
            box.put(slot, new Arrival(t, null));
            return;
        }
        if (posted != null) {
            Tensor dst = devices[to].allocate(t.name(), t.rows(), t.cols());
            if (!devices[to].timingOnly()) {
                System.arraycopy(t.data(), 0, dst.data(), 0, t.size());
            }
            long arrivalNs = posted.arrivalNs(box == activations, flow, stage, mb, compute[from].readyNs());
            box.put(slot, new Arrival(dst, new Event(to, comm[to].id(), arrivalNs)));
            devices[from].free(t);
            return;
        }
        comm[from].waitFor(compute[from].record());
        Tensor dst = devices[to].allocate(t.name(), t.rows(), t.cols());
        copyLaunches.get(from).add(comm[from].copy(t, dst, MemoryPath.NVLINK));
        box.put(slot, new Arrival(dst, comm[from].record()));
        if (blockingSends) {
            compute[from].waitFor(comm[from].record());
        }
        devices[from].free(t);
    }
}
