package io.parabench.analysis.metrics;

import io.parabench.analysis.read.Annotations;
import io.parabench.analysis.read.GpuEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pipeline op of one rank on the GPU timeline, clipped to the step window: what the
 * pipeline Gantt chart draws and what the critical path walks. A rank's ops come from, in order
 * of preference: its {@code sim:*} CPU annotations placed on the GPU through the kernels they
 * launched ({@link AnnotatedOp}; real traces recorded by the gpu-traces harness:
 * {@code sim:F d0 s1 mb3}), else its {@code sim:*} GPU annotations, else its kernels named by op
 * token (the simulator's traces: {@code F0:3}, {@code F0:3&B1:2}), else its computation time in
 * the window as anonymous ops (gaps shorter than {@code minGapNs} bridged).
 *
 * @param rank     pipeline rank
 * @param category forward, backward, backward (input), weight gradient, forward &amp; backward, or
 *                 computation
 * @param label    the micro-batch(es), or empty
 * @param name     the annotation or kernel name the op came from ({@code computation} for anonymous ops)
 * @param startNs  start, at least the window start
 * @param endNs    end, at most the window end
 */
public record PipelineOp(int rank, String category, String label, String name, long startNs, long endNs) {
    /** Category of anonymous computation. */
    public static final String COMPUTATION = "computation";
    private static final Pattern SIM_OP = Pattern.compile("^sim:(F&B|F|B|Bi|W)\\b.*?(?:mb(\\d+))?$");
    private static final Pattern TOKEN = Pattern.compile("^([FBbW])\\d+:(\\d+)(?:&([FBbW])\\d+:(\\d+))?$");

    public long durationNs() {
        return endNs - startNs;
    }

    /** The category of an op kind token ({@code F}, {@code B}, {@code Bi}/{@code b}, {@code W}, else a pair). */
    static String category(String kind) {
        switch (kind) {
            case "F":
                return "forward";
            case "B":
                return "backward";
            case "Bi":
            case "b":
                return "backward (input)";
            case "W":
                return "weight gradient";
            default:
                return "forward & backward";
        }
    }

    /**
     * The ops of one rank inside [{@code windowStartNs}, {@code windowEndNs}), by start.
     *
     * @param prepared    the rank's trace, prepared once for all its ranks
     * @param computation the rank's computation union in the window (for anonymous ops), or null
     * @param minGapNs    gaps of anonymous computation shorter than this are bridged
     */
    public static List<PipelineOp> of(PipelineRank rank, TraceDevices prepared, long windowStartNs, long windowEndNs,
                                      IntervalSet computation, long minGapNs) {
        List<PipelineOp> ops = attributed(rank, windowStartNs, windowEndNs, prepared.options().classifier());
        if (ops.isEmpty()) {
            ops = gpuAnnotations(rank, windowStartNs, windowEndNs);
        }
        if (ops.isEmpty()) {
            ops = tokenKernels(rank, prepared, windowStartNs, windowEndNs);
        }
        if (ops.isEmpty() && computation != null) {
            IntervalSet busy = computation.bridgeGaps(minGapNs);
            for (int k = 0; k < busy.size(); k++) {
                ops.add(new PipelineOp(rank.rank(), COMPUTATION, "", COMPUTATION, busy.start(k), busy.end(k)));
            }
        }
        ops.sort(java.util.Comparator.comparingLong(PipelineOp::startNs).thenComparingLong(PipelineOp::endNs));
        return ops;
    }

    private static PipelineOp clipped(int rank, String name, Matcher m, long start, long end, long from, long to) {
        return new PipelineOp(rank, category(m.group(1)), m.group(2) == null ? "" : m.group(2), name,
                Math.max(from, start), Math.min(to, end));
    }

    private static List<PipelineOp> attributed(PipelineRank rank, long from, long to, KernelClassifier classifier) {
        List<PipelineOp> out = new ArrayList<>();
        for (AnnotatedOp op : AnnotatedOp.of(rank, name -> SIM_OP.matcher(name).matches(), classifier)) {
            if (op.endNs() > from && op.startNs() < to) {
                Matcher m = SIM_OP.matcher(op.name());
                m.matches();
                out.add(clipped(rank.rank(), op.name(), m, op.startNs(), op.endNs(), from, to));
            }
        }
        return out;
    }

    private static List<PipelineOp> gpuAnnotations(PipelineRank rank, long from, long to) {
        List<PipelineOp> out = new ArrayList<>();
        Annotations a = rank.trace().annotations();
        for (int i = 0; i < a.size(); i++) {
            if (!a.onGpu(i) || !rank.devices().contains(a.pid(i)) || a.endNs(i) <= from || a.startNs(i) >= to) {
                continue;
            }
            String name = rank.trace().names().name(a.nameId(i));
            Matcher m = SIM_OP.matcher(name);
            if (m.matches()) {
                out.add(clipped(rank.rank(), name, m, a.startNs(i), a.endNs(i), from, to));
            }
        }
        return out;
    }

    private static List<PipelineOp> tokenKernels(PipelineRank rank, TraceDevices prepared, long from, long to) {
        List<PipelineOp> out = new ArrayList<>();
        GpuEvents e = rank.trace().gpuEvents();
        // names that are no op token, so that each distinct name is matched once, not once per kernel
        java.util.BitSet notToken = new java.util.BitSet();
        for (int i : prepared.eventsOf(rank.devices())) {
            if (e.endNs(i) <= from || e.startNs(i) >= to || notToken.get(e.nameId(i))) {
                continue;
            }
            String name = rank.trace().names().name(e.nameId(i));
            Matcher m = TOKEN.matcher(name);
            if (!m.matches()) {
                notToken.set(e.nameId(i));
            } else {
                boolean pair = m.group(3) != null;
                out.add(new PipelineOp(rank.rank(), pair ? "forward & backward" : category(m.group(1)),
                        pair ? m.group(2) + "|" + m.group(4) : m.group(2), name, Math.max(from, e.startNs(i)),
                        Math.min(to, e.endNs(i))));
            }
        }
        return out;
    }
}
