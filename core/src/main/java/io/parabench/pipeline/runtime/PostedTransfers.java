package io.parabench.pipeline.runtime;

import io.parabench.gpu.CalibratedClock;
import io.parabench.gpu.Calibration;
import io.parabench.gpu.CommKernel;
import io.parabench.gpu.Device;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Launch;
import io.parabench.gpu.MemoryPath;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.HostPool;
import io.parabench.pipeline.CommWindow;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.KernelPhase;
import io.parabench.pipeline.OpKernels;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.SendRecvLowering;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.Timeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the NCCL kernels of a runtime that posts its receives early (PyTorch's pipelining
 * runtime, {@link io.parabench.pipeline.ScheduleKind#postsReceivesEarly()}) are resident on each
 * rank's communication stream, so that the emulator can run them as the real GPUs do: a receive
 * is launched as soon as its sender is lowered ({@link SendRecvLowering}) and spins on
 * {@link CommKernel#NCCL_SEND_RECV}'s SMs until its peer's send has started and the data has
 * moved, taking those SMs from every computation kernel issued meanwhile.
 *
 * <p>A device places work in issue order and cannot know when a receive ends before its sender,
 * on another device, has been issued; so the windows are worked out first, by the same rules the
 * predictor uses ({@link io.parabench.pipeline.PostedReceiveExecutor} through the
 * {@link Simulator}), from the emulator's own clock:
 * <ol>
 *   <li>each op kind of each stage is issued on a scratch timing-only device, once on all SMs
 *       and once on all but the comm kernel's blocks: each kernel's duration gives its share of
 *       the op and its slowdown beside a resident comm kernel (duration on fewer SMs ÷ on all,
 *       the clock's waves; no fitted number), the op's total gives its cost;</li>
 *   <li>one transfer takes the clock's NVLink time for the activation's bytes;</li>
 *   <li>the schedule is simulated kernel by kernel with these and the device's host launches and
 *       kernel gap ({@link CostModel#withHostLaunches}), giving each send's and receive's
 *       window.</li>
 * </ol>
 * The runtime then places each comm kernel at its window ({@link Stream#commKernel}) after the
 * op it was lowered behind, and the device slows the kernels beside it; an op that consumes a
 * received tensor waits for the receive's end (never before the producer's kernels end plus one
 * transfer). Probes time a second round of F, b, W, as in the pipeline's steady state.
 *
 * <p>Deterministic: the probes, the simulation and the rounding to nanoseconds depend only on the
 * schedule, the model's shape and the device. Immutable.
 */
final class PostedTransfers {
    /** The NCCL kernel name the profiler shows for a point-to-point send or receive. */
    static final String KERNEL_NAME = "ncclDevKernel_SendRecv";

    private final List<List<CommWindow>> windows;
    private final Map<Long, CommWindow> receives = new HashMap<>();
    private final long transferNs;
    private final long bytes;

    private PostedTransfers(Timeline timeline, long transferNs, long bytes) {
        this.transferNs = transferNs;
        this.bytes = bytes;
        windows = new ArrayList<>(timeline.ranks());
        for (int r = 0; r < timeline.ranks(); r++) {
            List<CommWindow> mine = timeline.commWindows(r);
            windows.add(mine);
            for (CommWindow w : mine) {
                SendRecvLowering.Action a = w.action();
                if (a.type() == SendRecvLowering.ActionType.RECV_F || a.type() == SendRecvLowering.ActionType.RECV_B) {
                    receives.put(key(a.type() == SendRecvLowering.ActionType.RECV_F, a.flow(), a.stage(), a.microBatch()), w);
                }
            }
        }
    }

    /**
     * Works out the windows for {@code schedule} on {@code model} and {@code spec} (calibrated:
     * the roofline clock has no contention, so nothing to hold SMs from).
     *
     * @param inputGradientOnFirstStage whether stage 0's backward computes its input gradient
     */
    static PostedTransfers plan(Schedule schedule, StageModel model, DeviceSpec spec, HostPool pool,
                                Emulation emulation, boolean inputGradientOnFirstStage) {
        Emulation probe = new Emulation(emulation.precision(), true, emulation.graphReplay());
        int held = CommKernel.NCCL_SEND_RECV.blocks();
        int stages = model.stages();
        // [kind F, B, b, W][stage]
        double[][] cost = new double[4][stages];
        List<List<List<KernelPhase>>> phases = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            List<List<KernelPhase>> byStage = new ArrayList<>();
            for (int s = 0; s < stages; s++) {
                byStage.add(null);
            }
            phases.add(byStage);
        }
        for (int s = 0; s < stages; s++) {
            boolean inputGradient = s > 0 || inputGradientOnFirstStage;
            long[][] alone = spans(spec, pool, probe, model, s, spec.numSms(), inputGradient);
            long[][] beside = spans(spec, pool, probe, model, s, spec.numSms() - held, inputGradient);
            // F, b, W probed; a full B is b then W
            long[][][] byKind = {
                    {alone[0], beside[0]},
                    {concat(alone[1], alone[2]), concat(beside[1], beside[2])},
                    {alone[1], beside[1]},
                    {alone[2], beside[2]}};
            for (int k = 0; k < 4; k++) {
                long[] a = byKind[k][0];
                long[] b = byKind[k][1];
                long total = Arrays.stream(a).sum();
                List<KernelPhase> list = new ArrayList<>(a.length);
                for (int i = 0; i < a.length; i++) {
                    list.add(new KernelPhase((double) a[i] / total, Math.max(1, (double) b[i] / a[i]), 0));
                }
                cost[k][s] = total;
                phases.get(k).set(s, list);
            }
        }
        long bytes = (long) model.tokens() * model.width() * emulation.precision().activationBytes();
        long transferNs = CalibratedClock.copyNs(spec, bytes, MemoryPath.NVLINK);
        double[] pairs = new double[stages];
        Arrays.fill(pairs, Double.NaN);
        OpKernels kernels = OpKernels.of(phases);
        Calibration.LaunchFit launch = spec.calibration().launch();
        // the device's host clock and kernel gap, in whole ns as the device charges them
        CostModel costs = CostModel.ofStages(cost[0], cost[1], cost[2], cost[3], pairs, transferNs)
                .withPostedReceives(kernels)
                .withHostLaunches(kernels, Math.ceil(emulation.graphReplay() ? launch.graphLaunchNs()
                        : launch.eagerLaunchNs()), Math.ceil(launch.kernelGapNs()));
        return new PostedTransfers(Simulator.simulate(schedule, costs), transferNs, bytes);
    }

    /**
     * Durations (ns) of each kernel of F, b and W of {@code stage} issued on a fresh device on
     * {@code sms} SMs: {@code {F, b, W}}, from the second of two rounds.
     */
    private static long[][] spans(DeviceSpec spec, HostPool pool, Emulation probe, StageModel model, int stage,
                                  int sms, boolean inputGradient) {
        Device device = new Device(0, spec, pool, null, probe);
        Stream stream = device.stream(sms);
        StagePass pass = new StagePass(device, model, stage, "probe");
        boolean last = stage == model.stages() - 1;
        List<Launch> launches = new ArrayList<>();
        stream.keepLaunches(launches);
        int[] marks = new int[7];
        float[] losses = new float[1];
        for (int round = 0; round < 2; round++) {
            StagePass.Saved saved = pass.forward(stream, device.allocate("x", model.tokens(), model.width()));
            Tensor dy;
            if (last) {
                dy = LossHead.lossAndGradient(device, stream, saved.y, null, losses, 0);
            } else {
                dy = device.allocate("dy", model.tokens(), model.width());
            }
            device.free(saved.y);
            marks[3 * round + 1] = launches.size();
            Tensor dx = pass.backwardInput(stream, saved, dy, inputGradient);
            if (dx != null) {
                device.free(dx);
            }
            marks[3 * round + 2] = launches.size();
            pass.weight(stream, saved);
            marks[3 * round + 3] = launches.size();
        }
        long[][] out = new long[3][];
        for (int op = 0; op < 3; op++) {
            int from = marks[3 + op];
            int to = marks[4 + op];
            out[op] = new long[to - from];
            for (int i = from; i < to; i++) {
                out[op][i - from] = launches.get(i).durationNs();
            }
        }
        return out;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long key(boolean forward, int flow, int stage, int microBatch) {
        return ((long) (forward ? 1 : 0) << 62) | ((long) flow << 56) | ((long) stage << 28) | microBatch;
    }

    /** The sends and receives of {@code rank} in stream order. */
    List<CommWindow> windows(int rank) {
        return windows.get(rank);
    }

    /** A window's start in ns of the device's clock. */
    static long startNs(CommWindow w) {
        return Math.round(w.start());
    }

    /** A window's end in ns of the device's clock. */
    static long endNs(CommWindow w) {
        return Math.round(w.end());
    }

    /** Bytes one send moves. */
    long bytes() {
        return bytes;
    }

    /**
     * When the tensor a stage of {@code flow} receives for {@code microBatch} (an activation if
     * {@code forward}, else a gradient) is there: its receive's end, and never before the
     * producer's kernels ended ({@code producedNs}) plus one transfer.
     */
    long arrivalNs(boolean forward, int flow, int stage, int microBatch, long producedNs) {
        CommWindow w = receives.get(key(forward, flow, stage, microBatch));
        if (w == null) {
            throw new IllegalStateException("no receive lowered for " + (forward ? "activation" : "gradient")
                    + " of flow " + flow + " stage " + stage + " micro-batch " + microBatch);
        }
        return Math.max(endNs(w), producedNs + transferNs);
    }
}
