package io.parabench.analysis.chart;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryMarker;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;

/**
 * Per-GPU expert load of one MoE layer before and after balancing, as grouped bars: one
 * category per GPU, labelled {@code n<node>/g<gpu>}, with every other node shaded so the
 * nodes read as groups, and a dashed line at the mean GPU load (the perfect balance).
 * (JFreeChart draws rotated text — the GPU labels, the value-axis label — as glyph outlines,
 * so in SVG they are paths, not {@code <text>}.)
 */
public final class ExpertLoadChart {
    private static final Color BEFORE = new Color(0xB0B7C3);
    private static final Color AFTER = new Color(0x2B6CB0);
    private static final Color NODE_SHADE = new Color(0, 0, 0, 18);

    private ExpertLoadChart() {
    }

    /**
     * @param title       chart title
     * @param before      tokens per GPU before balancing
     * @param after       tokens per GPU after balancing (same GPU count)
     * @param gpusPerNode GPUs per node, for grouping
     * @param afterLabel  legend label of the balanced series (e.g. the policy)
     */
    public static JFreeChart create(String title, double[] before, double[] after, int gpusPerNode, String afterLabel) {
        if (before.length != after.length || before.length == 0) {
            throw new IllegalArgumentException("GPU counts before (" + before.length + ") and after (" + after.length
                    + ") must be equal and > 0");
        }
        if (gpusPerNode <= 0 || before.length % gpusPerNode != 0) {
            throw new IllegalArgumentException("gpusPerNode (" + gpusPerNode + ") must divide the GPU count ("
                    + before.length + ")");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double mean = 0;
        for (int g = 0; g < before.length; g++) {
            String gpu = label(g, gpusPerNode);
            data.addValue(before[g], "before (one copy per expert, in id order)", gpu);
            data.addValue(after[g], afterLabel, gpu);
            mean += after[g];
        }
        mean /= after.length;
        JFreeChart chart = ChartFactory.createBarChart(title, "node/GPU", "tokens", data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.0);
        renderer.setSeriesPaint(0, BEFORE);
        renderer.setSeriesPaint(1, AFTER);
        for (int g = 0; g < before.length; g++) {
            if ((g / gpusPerNode) % 2 == 1) {
                CategoryMarker shade = new CategoryMarker(label(g, gpusPerNode), NODE_SHADE, new BasicStroke(1f));
                shade.setDrawAsLine(false);
                plot.addDomainMarker(shade, org.jfree.chart.ui.Layer.BACKGROUND);
            }
        }
        ValueMarker meanLine = new ValueMarker(mean, Color.DARK_GRAY, new BasicStroke(1.2f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
        meanLine.setLabel(String.format(java.util.Locale.ROOT, "mean %.1f", mean));
        meanLine.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        meanLine.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(meanLine);
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        axis.setCategoryMargin(0.15);
        return chart;
    }

    /** Writes the chart (SVG or PNG by extension) atomically, sized for the GPU count. */
    public static void write(Path path, String title, double[] before, double[] after, int gpusPerNode,
                             String afterLabel) {
        int width = Math.max(800, Math.min(4000, 120 + 22 * before.length));
        ChartFiles.write(create(title, before, after, gpusPerNode, afterLabel), path, width, 480);
    }

    private static String label(int gpu, int gpusPerNode) {
        return "n" + (gpu / gpusPerNode) + "/g" + gpu;
    }
}
