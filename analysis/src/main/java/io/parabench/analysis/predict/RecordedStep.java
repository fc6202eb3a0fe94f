package io.parabench.analysis.predict;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.AnnotatedOp;
import io.parabench.analysis.metrics.IntervalSet;
import io.parabench.analysis.metrics.KernelClass;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.PipelineRank;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.read.Annotations;
import io.parabench.analysis.read.GpuEventKind;
import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;
import io.parabench.gpu.BlockShape;
import io.parabench.gpu.CommKernel;
import io.parabench.gpu.SmSharing;
import io.parabench.pipeline.OpKind;
import io.parabench.pipeline.PipelineLayout;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * One profiled pipeline step, as the predictor needs it: per rank the ops it ran in order, each
 * with the GPU time of its computation kernels; the stage layout and schedule that order forms;
 * the measured step window (exactly as {@code trace-stats} defines it, {@link PipelineMetrics});
 * and what the step's communication kernels say about the interconnect.
 *
 * <p>Attribution: an op's annotation (see {@link OpLabel} for the namings read) owns the
 * computation kernels launched while it was open ({@link AnnotatedOp}: CPU annotation → runtime
 * call → kernel by correlation id, also across autograd's thread); its cost is their union on
 * the rank's devices, not the CPU span. Traces without runtime calls (the suite's simulator and
 * emulator write op annotations on the device timeline) own the kernels inside the annotation.
 * Ops are ordered by their annotation's CPU start, which is the order the framework issued them.
 * Only annotations that start at or after the step annotation ({@code ProfilerStep#…}, else
 * {@code sim:STEP}) count.
 *
 * <p>Point-to-point cost: the lower quartile of the step's communication kernel durations (or,
 * in a trace without communication kernels, of its device-to-device copies). A blocking NCCL
 * send/recv spins until its peer arrives, so most long ones measure waiting; the quick quarter
 * measures a transfer whose peer was already there. Communication is
 * <em>blocking</em> when the ranks' computation never runs beside it (under 5% of
 * communication time overlaps computation: each op waits for the transfers before and after
 * it, as {@code gpu-traces/1f1b} does), else <em>asynchronous</em> ({@code torch_zbv}).
 *
 * <p>Immutable once read.
 */
final class RecordedStep {
    private static final String PROFILER_STEP = "ProfilerStep#";
    private static final String SIM_STEP = "sim:STEP";
    private static final double BLOCKING_OVERLAP_LIMIT = 0.05;

    private final String source;
    private final Schedule schedule;
    private final String kind;
    private final List<List<RecordedOp>> ops;
    private final PipelineMetrics window;
    private final double p2pUs;
    private final boolean blockingComm;
    private final boolean commKernels;
    private final double earlyGradient;
    private final LaunchTiming launches;

    private RecordedStep(String source, Schedule schedule, String kind, List<List<RecordedOp>> ops,
                         PipelineMetrics window, double p2pUs, boolean blockingComm, boolean commKernels,
                         double earlyGradient, LaunchTiming launches) {
        this.source = source;
        this.schedule = schedule;
        this.kind = kind;
        this.ops = ops;
        this.window = window;
        this.p2pUs = p2pUs;
        this.blockingComm = blockingComm;
        this.commKernels = commKernels;
        this.earlyGradient = earlyGradient;
        this.launches = launches;
    }

    /**
     * The fraction of a full backward after which the framework sent its input gradient, or NaN
     * when it sent outputs after the op: the median, over full backwards during which a transfer
     * started, of when the first one started; taken when a quarter of them show one.
     */
    double earlyGradient() {
        return earlyGradient;
    }

    /**
     * For a trace without runtime calls (the suite's own), how its host issued work, read off the
     * device timeline; null for traces with runtime calls (a framework that issues ahead of the
     * GPU: the profiled host is not modelled).
     */
    LaunchTiming launches() {
        return launches;
    }

    /** The same step, placed: the layout and kind are known now. */
    RecordedStep placed(Schedule placedSchedule, String placedKind, List<List<RecordedOp>> placedOps) {
        return new RecordedStep(source, placedSchedule, placedKind, placedOps, window, p2pUs, blockingComm, commKernels,
                earlyGradient, launches);
    }

    String source() {
        return source;
    }

    /** The recorded op order as a schedule over the inferred layout. */
    Schedule schedule() {
        return schedule;
    }

    /** The generator whose schedule equals the recorded order ({@code 1f1b}, {@code zbv}, …), or {@code custom}. */
    String kind() {
        return kind;
    }

    List<List<RecordedOp>> ops() {
        return ops;
    }

    PipelineMetrics window() {
        return window;
    }

    double measuredStepUs() {
        return window.stepUs();
    }

    double p2pUs() {
        return p2pUs;
    }

    boolean blockingComm() {
        return blockingComm;
    }

    /**
     * Whether the ranks moved data with communication kernels on SMs (NCCL, DeepEP) rather than
     * copy engines: only those take SMs from computation beside them.
     */
    boolean commKernels() {
        return commKernels;
    }

    /**
     * Reads the step from per-rank traces.
     *
     * @param sourceKind the schedule kind that ran, or null to infer it (needed only for traces
     *                   whose op names give chunks, not stages, and match no generator)
     * @throws IllegalArgumentException for traces without op annotations, ranks that disagree
     *                                  on the step, or an op order no layout explains
     */
    static RecordedStep read(String source, List<Trace> traces, ScheduleKind sourceKind, int virtualStages) {
        List<PipelineRank> ranks = PipelineRank.of(traces);
        if (ranks.size() < 2) {
            throw new IllegalArgumentException("traces (" + source + ") must hold a pipeline of at least 2 ranks"
                    + " (one file per rank, or one file with one device per rank)");
        }
        long stepStart = stepStart(source, traces);
        OpLabel.Naming naming = naming(source, traces, stepStart);
        KernelClassifier classifier = KernelClassifier.defaults();
        PipelineMetrics window = TraceMetrics.analyze(source, traces, AnalysisOptions.defaults()).pipeline()
                .orElseThrow(() -> new IllegalArgumentException("traces (" + source + ") hold no pipeline step"));

        List<List<Labelled>> labelled = new ArrayList<>();
        List<Double> early = new ArrayList<>();
        int fullBackwards = 0;
        List<Long> commNs = new ArrayList<>();
        boolean[] kernelsMoved = new boolean[1];
        long commTotal = 0;
        long commOverlap = 0;
        for (int k = 0; k < ranks.size(); k++) {
            PipelineRank rank = ranks.get(k);
            RankBubble busy = window.ranks().get(k);
            List<Long> starts = new ArrayList<>();
            IntervalSet comm = communication(rank, classifier, window, commNs, kernelsMoved, starts);
            long[] transferStarts = starts.stream().mapToLong(Long::longValue).sorted().toArray();
            commTotal += comm.totalNs();
            commOverlap += comm.overlapNs(busy.computation());
            List<Labelled> rankOps = rankOps(rank, k, traces.size() > 1, naming, stepStart, classifier,
                    busy.computation(), comm, transferStarts);
            for (Labelled l : rankOps) {
                if (l.label().op().kind() == OpKind.BACKWARD && l.endNs() > l.startNs()) {
                    fullBackwards++;
                    double at = firstStartInside(comm, l.startNs(), l.endNs());
                    if (!Double.isNaN(at)) {
                        early.add(at);
                    }
                }
            }
            labelled.add(rankOps);
        }
        double p2p = lowerQuartileUs(commNs);
        boolean blocking = commTotal == 0 || (double) commOverlap / commTotal < BLOCKING_OVERLAP_LIMIT;
        double earlyGradient = Double.NaN;
        if (!early.isEmpty() && early.size() * 4 >= fullBackwards) {
            double[] sorted = early.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            earlyGradient = sorted[sorted.length / 2];
        }
        boolean runtimeCalls = traces.stream().anyMatch(t -> t.runtimeCalls().size() > 0);
        RecordedStep unplaced = new RecordedStep(source, null, null, null, window, p2p, blocking, kernelsMoved[0],
                earlyGradient, runtimeCalls ? null : LaunchTiming.of(ranks));
        return StepLayout.place(unplaced, labelled, sourceKind, virtualStages);
    }

    /** Where in [start, end) the first transfer of {@code comm} starts, as a fraction, or NaN. */
    private static double firstStartInside(IntervalSet comm, long start, long end) {
        long margin = (end - start) / 100;
        for (int i = 0; i < comm.size(); i++) {
            if (comm.start(i) > start + margin && comm.start(i) < end - margin) {
                return (double) (comm.start(i) - start) / (end - start);
            }
        }
        return Double.NaN;
    }

    /** An op read from an annotation, before the layout places its stage; start and end of its kernels (0 if none). */
    record Labelled(int rank, OpLabel label, long cpuStartNs, long startNs, long endNs, double busyUs, boolean overlapped,
                    List<RecordedKernel> kernels, long[] kernelStartsNs, int sendAfter) {
        Labelled withSendAfter(int n) {
            return new Labelled(rank, label, cpuStartNs, startNs, endNs, busyUs, overlapped, kernels, kernelStartsNs, n);
        }
    }

    private static long stepStart(String source, List<Trace> traces) {
        long profiler = Long.MAX_VALUE;
        long sim = Long.MAX_VALUE;
        List<long[]> spans = new ArrayList<>();
        for (Trace t : traces) {
            Annotations a = t.annotations();
            long[] own = null;
            for (int i = 0; i < a.size(); i++) {
                if (a.onGpu(i)) {
                    continue;
                }
                String name = t.names().name(a.nameId(i));
                boolean isProfiler = name.startsWith(PROFILER_STEP);
                if (isProfiler || name.equals(SIM_STEP)) {
                    if (isProfiler) {
                        profiler = Math.min(profiler, a.startNs(i));
                    } else {
                        sim = Math.min(sim, a.startNs(i));
                    }
                    if (own == null || a.startNs(i) < own[0]) {
                        own = new long[]{a.startNs(i), a.endNs(i), t.rank()};
                    }
                }
            }
            if (own != null) {
                spans.add(own);
            }
        }
        // ranks of one step run together on one clock: every rank's step must overlap every other's
        for (long[] a : spans) {
            for (long[] b : spans) {
                if (a[0] >= b[1] || b[0] >= a[1]) {
                    throw new IllegalArgumentException("ranks disagree on the step in " + source + ": rank " + a[2]
                            + "'s step annotation [" + a[0] + ", " + a[1] + ") ns does not overlap rank " + b[2] + "'s ["
                            + b[0] + ", " + b[1] + ") ns (traces of different steps?)");
                }
            }
        }
        long start = profiler != Long.MAX_VALUE ? profiler : sim;
        return start == Long.MAX_VALUE ? Long.MIN_VALUE : start;
    }

    private static OpLabel.Naming naming(String source, List<Trace> traces, long stepStart) {
        boolean[] seen = new boolean[OpLabel.Naming.values().length];
        for (Trace t : traces) {
            Annotations a = t.annotations();
            for (int i = 0; i < a.size(); i++) {
                if (!a.onGpu(i) && a.startNs(i) >= stepStart) {
                    OpLabel.Naming n = OpLabel.naming(t.names().name(a.nameId(i)));
                    if (n != null) {
                        seen[n.ordinal()] = true;
                    }
                }
            }
        }
        for (OpLabel.Naming n : OpLabel.Naming.values()) {
            if (seen[n.ordinal()]) {
                return n;
            }
        }
        throw new IllegalArgumentException("traces (" + source + ") have no pipeline op annotations in the step;"
                + " looked for user_annotation names " + OpLabel.EXPECTED);
    }

    /**
     * The rank's transfers in the window, as a union; their durations go to {@code durations}.
     * Transfers are the communication kernels (NCCL, DeepEP) or, in a trace without any (the
     * suite's emulator copies activations between devices), the memcpy events.
     */
    private static IntervalSet communication(PipelineRank rank, KernelClassifier classifier, PipelineMetrics window,
                                             List<Long> durations, boolean[] kernelsMoved, List<Long> starts) {
        GpuEvents e = rank.trace().gpuEvents();
        List<Long> kernels = new ArrayList<>();
        List<Long> copies = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            if (!rank.devices().contains(e.device(i)) || e.startNs(i) < window.windowStartNs()
                    || e.endNs(i) > window.windowEndNs()) {
                continue;
            }
            if (e.kind(i) == GpuEventKind.MEMCPY) {
                copies.add(e.startNs(i));
                copies.add(e.endNs(i));
            } else if (classifier.classify(e.kind(i), rank.trace().names().name(e.nameId(i)), e.stream(i))
                    == KernelClass.COMMUNICATION) {
                kernels.add(e.startNs(i));
                kernels.add(e.endNs(i));
            }
        }
        List<Long> bounds = kernels.isEmpty() ? copies : kernels;
        kernelsMoved[0] |= !kernels.isEmpty();
        for (int i = 0; i < bounds.size(); i += 2) {
            starts.add(bounds.get(i));
        }
        long[] pairs = new long[bounds.size()];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = bounds.get(i);
            if (i % 2 == 1) {
                durations.add(pairs[i] - pairs[i - 1]);
            }
        }
        return IntervalSet.of(pairs);
    }

    private static List<Labelled> rankOps(PipelineRank rank, int index, boolean filePerRank, OpLabel.Naming naming,
                                          long stepStart, KernelClassifier classifier, IntervalSet computation,
                                          IntervalSet comm, long[] transferStarts) {
        Trace t = rank.trace();
        Annotations a = t.annotations();
        // the computation kernels each op annotation launched (by annotation index); without runtime
        // calls (the suite's own traces), those inside its span on its device
        Map<Integer, int[]> launched = AnnotatedOp.kernelEvents(rank, name -> OpLabel.naming(name) == naming, classifier);
        GpuEvents events = t.gpuEvents();
        boolean byCorrelation = t.runtimeCalls().size() > 0;
        long[] computeStarts = null;
        int[] computeOrder = null;
        if (!byCorrelation) {
            computeOrder = IntStream.range(0, events.size())
                    .filter(i -> rank.devices().contains(events.device(i)) && classifier.classify(events.kind(i),
                            t.names().name(events.nameId(i)), events.stream(i)) == KernelClass.COMPUTATION)
                    .boxed().sorted(Comparator.comparingLong(events::startNs).thenComparingInt(Integer::intValue))
                    .mapToInt(Integer::intValue).toArray();
            computeStarts = Arrays.stream(computeOrder).mapToLong(events::startNs).toArray();
        }
        List<Labelled> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.onGpu(i) || a.startNs(i) < stepStart || (!filePerRank && !rank.devices().contains(a.pid(i)))) {
                continue;
            }
            String name = t.names().name(a.nameId(i));
            if (OpLabel.naming(name) != naming) {
                continue;
            }
            if (seen.merge(name, 1, Integer::sum) > 1) {
                throw new IllegalArgumentException("op " + name + " appears twice in one step of rank " + rank.rank()
                        + " (" + t.source() + "); give a trace of one step");
            }
            int[] kernels = byCorrelation ? launched.get(i) : inside(events, computeOrder, computeStarts, a.pid(i),
                    a.startNs(i), a.endNs(i));
            long[] span = !byCorrelation ? new long[]{a.startNs(i), a.endNs(i)}
                    : kernels == null ? null : new long[]{events.startNs(kernels[0]), endOf(events, kernels)};
            double busyUs = 0;
            boolean overlapped = false;
            if (span != null) {
                busyUs = computation.clip(span[0], span[1]).totalNs() / 1000.0;
                overlapped = comm.clip(span[0], span[1]).totalNs() > 0;
            }
            out.add(new Labelled(index, OpLabel.parse(name), a.startNs(i), span == null ? 0 : span[0],
                    span == null ? 0 : span[1], busyUs, overlapped, kernels(t, events, kernels, comm),
                    kernels == null ? new long[0] : Arrays.stream(kernels).mapToLong(events::startNs).toArray(), -1));
        }
        out.sort(Comparator.comparingLong(Labelled::cpuStartNs));
        // where each op's send left: the first transfer from the end of its first kernel up to the
        // start of the next op (a send is issued before the next op's kernels; the previous op's
        // send may start with this op); the op's kernels that started before it were issued before it
        for (int n = 0; n < out.size(); n++) {
            Labelled l = out.get(n);
            if (l.kernels().isEmpty()) {
                continue;
            }
            long until = n + 1 < out.size() && !out.get(n + 1).kernels().isEmpty() ? out.get(n + 1).startNs()
                    : Long.MAX_VALUE;
            long from = l.kernelStartsNs()[0] + Math.round(l.kernels().get(0).us() * 1000);
            int at = Arrays.binarySearch(transferStarts, from);
            at = at < 0 ? -at - 1 : at;
            while (at > 0 && transferStarts[at - 1] == from) {
                at--;
            }
            if (at < transferStarts.length && transferStarts[at] <= until) {
                long sent = transferStarts[at];
                int before = 0;
                for (long kernelStart : l.kernelStartsNs()) {
                    if (kernelStart < sent) {
                        before++;
                    }
                }
                out.set(n, l.withSendAfter(before));
            }
        }
        return out;
    }

    /** The computation kernels (indices from {@code order}, sorted by start) of one device inside [from, to]. */
    private static int[] inside(GpuEvents events, int[] order, long[] starts, int device, long from, long to) {
        int at = Arrays.binarySearch(starts, from);
        at = at < 0 ? -at - 1 : at;
        while (at > 0 && starts[at - 1] == from) {
            at--;
        }
        List<Integer> in = new ArrayList<>();
        for (int n = at; n < order.length && starts[n] <= to; n++) {
            int i = order[n];
            if (events.device(i) == device && events.endNs(i) <= to) {
                in.add(i);
            }
        }
        return in.isEmpty() ? null : in.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long endOf(GpuEvents events, int[] kernels) {
        long end = Long.MIN_VALUE;
        for (int k : kernels) {
            end = Math.max(end, events.endNs(k));
        }
        return end;
    }

    /**
     * An op's computation kernels: duration, whether a transfer ran beside it, and from its grid
     * and block resources ({@link SmSharing} on the device's SMs, Hopper SM limits) how much longer
     * it runs beside an NCCL kernel and where its last wave starts. Kernels whose resources the
     * trace does not give are never slowed. Empty for an op without kernel events.
     */
    private static List<RecordedKernel> kernels(Trace t, GpuEvents events, int[] kernels, IntervalSet comm) {
        if (kernels == null) {
            return List.of();
        }
        List<RecordedKernel> out = new ArrayList<>();
        for (int k : kernels) {
            int sms = t.numSms(events.device(k));
            BlockShape shape = events.blockShape(k);
            int grid = events.gridBlocks(k);
            double slowdown = 1;
            double lastWave = 0;
            if (shape != null && grid > 0 && sms > CommKernel.NCCL_SEND_RECV.blocks()) {
                SmSharing sharing = SmSharing.hopper(sms);
                slowdown = sharing.slowdown(grid, shape);
                int waves = sharing.waves(grid, shape);
                lastWave = waves > 1 ? 1 - 1.0 / waves : 0;
            }
            long start = events.startNs(k);
            long end = events.endNs(k);
            String what = t.names().name(events.nameId(k)) + " grid " + grid + " block " + shape;
            out.add(new RecordedKernel((end - start) / 1000.0, heldAtStartNs(comm, start, end) / 1000.0, slowdown,
                    lastWave, what, start));
        }
        return List.copyOf(out);
    }

    /**
     * How long transfers that already held SMs when the kernel started ran beside it: a transfer
     * that begins while a kernel runs gets SMs only at its last wave and does not slow it.
     */
    private static long heldAtStartNs(IntervalSet comm, long start, long end) {
        IntervalSet clipped = comm.clip(start, end);
        return clipped.size() > 0 && clipped.start(0) == start ? clipped.end(0) - start : 0;
    }

    private static double lowerQuartileUs(List<Long> ns) {
        if (ns.isEmpty()) {
            return 0;
        }
        long[] sorted = ns.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[(sorted.length - 1) / 4] / 1000.0;
    }
}
