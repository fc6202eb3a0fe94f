package io.parabench.analysis.chart;

import io.parabench.pipeline.Op;
import io.parabench.pipeline.OpKind;
import io.parabench.pipeline.Timeline;
import org.jfree.chart.JFreeChart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gantt chart of a simulated schedule, after the figure in DualPipe's README: one row per
 * rank, one cell per op coloured by kind, the micro-batch number in the cell ({@code f&b} for
 * an overlapped pair), idle time left white. When ranks hold more than one chunk (DualPipe's two
 * directions, DualPipeV's two stages, interleaved's v), each chunk gets a darker shade of its
 * kind's colour, so the two directions of DualPipe can be told apart as in the paper's figure.
 */
public final class ScheduleGanttChart {
    /** Colours by op kind, in legend order. */
    public static final Map<String, Color> KIND_COLOURS = kindColours();

    private ScheduleGanttChart() {
    }

    private static Map<String, Color> kindColours() {
        Map<String, Color> colours = new LinkedHashMap<>();
        colours.put("F", new Color(0xF6B26B));
        colours.put("B", new Color(0x93C47D));
        colours.put("b", new Color(0x6FA8DC));
        colours.put("W", new Color(0xB4A7D6));
        colours.put("F&B", new Color(0xFFD966));
        return java.util.Collections.unmodifiableMap(colours);
    }

    public static JFreeChart create(Timeline timeline) {
        int chunks = timeline.schedule().layout().chunksPerRank();
        Map<String, Color> colours = new LinkedHashMap<>();
        for (int chunk = 0; chunk < chunks; chunk++) {
            for (Map.Entry<String, Color> kind : KIND_COLOURS.entrySet()) {
                colours.put(category(kind.getKey(), chunk, chunks), shade(kind.getValue(), chunk));
            }
        }
        List<String> rows = new ArrayList<>(timeline.ranks());
        List<GanttBar> bars = new ArrayList<>();
        for (int r = 0; r < timeline.ranks(); r++) {
            rows.add("rank " + r);
            List<Op> ops = timeline.schedule().ops(r);
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                bars.add(new GanttBar(r, timeline.start(r, i), timeline.end(r, i), category(kind(op), op.chunk(), chunks),
                        label(op)));
            }
        }
        String title = timeline.schedule().kind() + ": " + timeline.ranks() + " ranks, " + timeline.schedule().chunks()
                + " micro-batches — makespan " + format(timeline.makespan()) + ", bubble rate "
                + String.format(java.util.Locale.ROOT, "%.3f", timeline.bubbleRate());
        return GanttChart.create(title, rows, bars, colours, "time (cost units)");
    }

    private static String kind(Op op) {
        return op.kind() == OpKind.FORWARD_BACKWARD ? "F&B" : String.valueOf(op.kind().letter());
    }

    /** The legend entry: the kind, and the chunk (of the forward half, for a pair) when ranks hold several. */
    private static String category(String kind, int chunk, int chunks) {
        return chunks == 1 ? kind : kind + " chunk " + chunk;
    }

    /** Chunk 0 in the kind's colour, each further chunk a step darker. */
    private static Color shade(Color base, int chunk) {
        double f = Math.pow(0.78, chunk);
        return new Color((int) (base.getRed() * f), (int) (base.getGreen() * f), (int) (base.getBlue() * f));
    }

    private static String label(Op op) {
        return op.isPair() ? op.microBatch() + "&" + op.backwardMicroBatch() : Integer.toString(op.microBatch());
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
