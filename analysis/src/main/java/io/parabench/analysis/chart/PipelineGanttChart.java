package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.AnnotatedOp;
import io.parabench.analysis.metrics.IntervalSet;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.PipelineRank;
import io.parabench.analysis.metrics.RankBubble;
import io.parabench.analysis.read.Annotations;
import io.parabench.analysis.read.GpuEvents;
import org.jfree.chart.JFreeChart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-rank Gantt chart of one pipeline step with its bubbles, on {@link GanttChart}. Each rank's
 * ops come from, in order of preference: its {@code sim:*} CPU annotations placed on the GPU
 * through the kernels they launched ({@link AnnotatedOp}; real traces recorded by the
 * gpu-traces harness: {@code sim:F d0 s1 mb3}), else its {@code sim:*} GPU annotations, else
 * its kernels named by op token
 * (the simulator's traces: {@code F0:3}, {@code F0:3&B1:2}), else its computation kernels. Bubbles
 * (the window minus the rank's computation kernels, see {@link PipelineMetrics}) are drawn in their
 * own colour; gaps shorter than 1/{@value #RESOLUTION} of the window are not drawn.
 */
public final class PipelineGanttChart {
    static final int RESOLUTION = 2000;
    static final String BUBBLE = "bubble";
    private static final Pattern SIM_OP = Pattern.compile("^sim:(F&B|F|B|Bi|W)\\b.*?(?:mb(\\d+))?$");
    private static final Pattern TOKEN = Pattern.compile("^([FBbW])\\d+:(\\d+)(?:&([FBbW])\\d+:(\\d+))?$");

    private PipelineGanttChart() {
    }

    /** Colours by category, in legend order. */
    public static Map<String, Color> colours() {
        Map<String, Color> m = new LinkedHashMap<>();
        m.put("forward", new Color(0xF2B134));
        m.put("backward", new Color(0x4C9F70));
        m.put("backward (input)", new Color(0x8FD694));
        m.put("weight gradient", new Color(0x6A8EAE));
        m.put("forward & backward", new Color(0xB279A2));
        m.put("computation", KernelClassColours.COMPUTATION);
        m.put(BUBBLE, new Color(0xF4B6B6));
        return m;
    }

    private static String category(String kind) {
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

    /** The bars, times in µs since the window start; row k is the k-th rank of the pipeline. */
    static List<GanttBar> bars(List<PipelineRank> ranks, PipelineMetrics p, KernelClassifier classifier) {
        List<GanttBar> bars = new ArrayList<>();
        long from = p.windowStartNs();
        long to = p.windowEndNs();
        long minGap = Math.max(1, p.stepNs() / RESOLUTION);
        for (int row = 0; row < ranks.size(); row++) {
            PipelineRank rank = ranks.get(row);
            List<GanttBar> ops = attributedOps(rank, row, from, to, classifier);
            if (ops.isEmpty()) {
                ops = simAnnotations(rank, row, from, to);
            }
            if (ops.isEmpty()) {
                ops = tokenKernels(rank, row, from, to);
            }
            if (ops.isEmpty()) {
                IntervalSet busy = p.ranks().get(row).computation().bridgeGaps(minGap);
                for (int k = 0; k < busy.size(); k++) {
                    ops.add(bar(row, busy.start(k), busy.end(k), from, "computation", ""));
                }
            }
            bars.addAll(ops);
            IntervalSet gaps = p.ranks().get(row).computation().gaps(from, to);
            for (int k = 0; k < gaps.size(); k++) {
                if (gaps.end(k) - gaps.start(k) >= minGap) {
                    bars.add(bar(row, gaps.start(k), gaps.end(k), from, BUBBLE, ""));
                }
            }
        }
        return bars;
    }

    private static GanttBar bar(int row, long startNs, long endNs, long originNs, String category, String label) {
        return new GanttBar(row, (startNs - originNs) / 1000.0, (endNs - originNs) / 1000.0, category, label);
    }

    private static List<GanttBar> attributedOps(PipelineRank rank, int row, long from, long to,
                                                KernelClassifier classifier) {
        List<GanttBar> out = new ArrayList<>();
        for (AnnotatedOp op : AnnotatedOp.of(rank, name -> SIM_OP.matcher(name).matches(), classifier)) {
            if (op.endNs() > from && op.startNs() < to) {
                Matcher m = SIM_OP.matcher(op.name());
                m.matches();
                out.add(bar(row, Math.max(from, op.startNs()), Math.min(to, op.endNs()), from, category(m.group(1)),
                        m.group(2) == null ? "" : m.group(2)));
            }
        }
        return out;
    }

    private static List<GanttBar> simAnnotations(PipelineRank rank, int row, long from, long to) {
        List<GanttBar> out = new ArrayList<>();
        Annotations a = rank.trace().annotations();
        for (int i = 0; i < a.size(); i++) {
            if (!a.onGpu(i) || !rank.devices().contains(a.pid(i)) || a.endNs(i) <= from || a.startNs(i) >= to) {
                continue;
            }
            Matcher m = SIM_OP.matcher(rank.trace().names().name(a.nameId(i)));
            if (m.matches()) {
                out.add(bar(row, Math.max(from, a.startNs(i)), Math.min(to, a.endNs(i)), from, category(m.group(1)),
                        m.group(2) == null ? "" : m.group(2)));
            }
        }
        return out;
    }

    private static List<GanttBar> tokenKernels(PipelineRank rank, int row, long from, long to) {
        List<GanttBar> out = new ArrayList<>();
        GpuEvents e = rank.trace().gpuEvents();
        for (int i = 0; i < e.size(); i++) {
            if (!rank.devices().contains(e.device(i)) || e.endNs(i) <= from || e.startNs(i) >= to) {
                continue;
            }
            Matcher m = TOKEN.matcher(rank.trace().names().name(e.nameId(i)));
            if (m.matches()) {
                boolean pair = m.group(3) != null;
                out.add(bar(row, Math.max(from, e.startNs(i)), Math.min(to, e.endNs(i)), from,
                        pair ? "forward & backward" : category(m.group(1)),
                        pair ? m.group(2) + "|" + m.group(4) : m.group(2)));
            }
        }
        return out;
    }

    public static JFreeChart create(List<PipelineRank> ranks, PipelineMetrics p, KernelClassifier classifier) {
        List<String> rows = new ArrayList<>();
        for (RankBubble r : p.ranks()) {
            rows.add("rank " + r.rank() + " (bubble " + duration(r.bubbleNs(), p.stepNs()) + ")");
        }
        String title = "Pipeline step " + duration(p.stepNs(), p.stepNs())
                + String.format(Locale.ROOT, ", bubble rate %.3f", p.bubbleRate())
                + (p.stepAnnotation() == null ? "" : " (step: " + p.stepAnnotation() + ")");
        return GanttChart.create(title, rows, bars(ranks, p, classifier), colours(), "time since step window start (µs)");
    }

    /** A duration in ms for real steps, in µs for short (simulated) ones, judged by the step length. */
    static String duration(long ns, long stepNs) {
        return stepNs >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", ns / 1e6)
                : String.format(Locale.ROOT, "%.3f µs", ns / 1e3);
    }
}
