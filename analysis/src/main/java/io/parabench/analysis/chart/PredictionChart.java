package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.util.Map;

/**
 * A measured pipeline step beside what the model says: the measured step, the model's replay of
 * it, and each predicted schedule, as bars of step time. Draws what it is handed; the numbers
 * come from {@code analysis.predict}.
 */
public final class PredictionChart {
    private PredictionChart() {
    }

    /**
     * @param measuredMs the measured steps by label (drawn grey), in display order
     * @param modelMs    the replay and predictions by label (drawn green), in display order
     */
    public static JFreeChart create(String title, Map<String, Double> measuredMs, Map<String, Double> modelMs) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        measuredMs.forEach((label, ms) -> dataset.addValue(ms, "measured", label));
        modelMs.forEach((label, ms) -> dataset.addValue(ms, "model", label));
        BarRenderer renderer = new org.jfree.chart.renderer.category.StackedBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x999999));
        renderer.setSeriesPaint(1, new Color(0x93C47D));
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(Color.DARK_GRAY);
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("step"), new NumberAxis("step time (ms)"), renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
