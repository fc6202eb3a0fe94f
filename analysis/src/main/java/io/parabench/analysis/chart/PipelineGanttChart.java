package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.CriticalPath;
import io.parabench.analysis.metrics.IntervalSet;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.PipelineOp;
import io.parabench.analysis.metrics.PipelineTimeline;
import io.parabench.analysis.metrics.RankBubble;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.plot.XYPlot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-rank Gantt chart of one pipeline step with its bubbles, on {@link GanttChart}: it draws the
 * ops that {@link PipelineTimeline} found for each rank (see {@link PipelineOp} for where they come
 * from), the bubbles (the window minus the rank's computation, see {@link PipelineMetrics}) in their
 * own colour, and, when given, the critical path over them: a dark line along each op on the path
 * and across each point-to-point transfer it takes. Gaps shorter than
 * 1/{@value PipelineTimeline#RESOLUTION} of the window are not drawn.
 */
public final class PipelineGanttChart {
    static final String BUBBLE = "bubble";
    private static final Color PATH = new Color(0x202020);

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
        m.put(PipelineOp.COMPUTATION, KernelClassColours.COMPUTATION);
        m.put(BUBBLE, new Color(0xF4B6B6));
        return m;
    }

    /** The bars, times in µs since the window start; row k is the k-th rank of the pipeline. */
    static List<GanttBar> bars(PipelineTimeline t) {
        List<GanttBar> bars = new ArrayList<>();
        PipelineMetrics p = t.pipeline();
        long from = p.windowStartNs();
        long minGap = Math.max(1, p.stepNs() / PipelineTimeline.RESOLUTION);
        for (int row = 0; row < t.ranks().size(); row++) {
            for (PipelineOp op : t.ops().get(row)) {
                bars.add(new GanttBar(row, us(op.startNs(), from), us(op.endNs(), from), op.category(), op.label()));
            }
            IntervalSet gaps = t.computation().get(row).gaps(from, p.windowEndNs());
            for (int k = 0; k < gaps.size(); k++) {
                if (gaps.end(k) - gaps.start(k) >= minGap) {
                    bars.add(new GanttBar(row, us(gaps.start(k), from), us(gaps.end(k), from), BUBBLE, ""));
                }
            }
        }
        return bars;
    }

    private static double us(long ns, long originNs) {
        return (ns - originNs) / 1000.0;
    }

    /** The chart; {@code path} may be null (no critical path drawn). */
    public static JFreeChart create(PipelineTimeline t, CriticalPath path) {
        PipelineMetrics p = t.pipeline();
        List<String> rows = new ArrayList<>();
        for (RankBubble r : p.ranks()) {
            rows.add("rank " + r.rank() + " (bubble " + duration(r.bubbleNs(), p.stepNs()) + ")");
        }
        String title = "Pipeline step " + duration(p.stepNs(), p.stepNs())
                + String.format(Locale.ROOT, ", bubble rate %.3f", p.bubbleRate())
                + (p.stepAnnotation() == null ? "" : " (step: " + p.stepAnnotation() + ")")
                + (path == null ? "" : "; dark line: critical path");
        JFreeChart chart = GanttChart.create(title, rows, bars(t), colours(), "time since step window start (µs)");
        if (path != null) {
            drawPath((XYPlot) chart.getPlot(), t, path);
        }
        return chart;
    }

    private static void drawPath(XYPlot plot, PipelineTimeline t, CriticalPath path) {
        long from = t.pipeline().windowStartNs();
        BasicStroke thick = new BasicStroke(3f);
        BasicStroke thin = new BasicStroke(1.5f);
        for (PipelineOp op : path.ops()) {
            int row = row(t, op.rank());
            // x is the row and y the time: the plot is turned horizontal
            plot.addAnnotation(new XYLineAnnotation(row, us(op.startNs(), from), row, us(op.endNs(), from), thick, PATH));
        }
        for (CriticalPath.Edge e : path.edges()) {
            plot.addAnnotation(new XYLineAnnotation(row(t, e.fromRank()), us(e.sendStartNs(), from), row(t, e.toRank()),
                    us(e.doneNs(), from), thin, PATH));
        }
    }

    private static int row(PipelineTimeline t, int rank) {
        for (int r = 0; r < t.ranks().size(); r++) {
            if (t.rank(r) == rank) {
                return r;
            }
        }
        throw new IllegalArgumentException("rank (" + rank + ") is not in the pipeline");
    }

    /** A duration in ms for real steps, in µs for short (simulated) ones, judged by the step length. */
    static String duration(long ns, long stepNs) {
        return stepNs >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", ns / 1e6)
                : String.format(Locale.ROOT, "%.3f µs", ns / 1e3);
    }
}
