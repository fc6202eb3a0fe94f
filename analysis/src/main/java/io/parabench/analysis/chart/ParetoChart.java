package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.util.List;

/**
 * A Pareto front of time against memory: one labelled point per configuration, joined in
 * memory order. Draws what it is handed; the search is {@code analysis.predict.Planner}.
 */
public final class ParetoChart {
    private ParetoChart() {
    }

    /** One point: its label, memory (x) and time (y). */
    public record Point(String label, double memory, double time) {
    }

    public static JFreeChart create(String title, String memoryAxis, String timeAxis, List<Point> front) {
        XYSeries series = new XYSeries("Pareto front", false, true);
        for (Point p : front) {
            series.add(p.memory(), p.time());
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x3C78D8));
        XYItemLabelGenerator labels = (dataset, s, item) -> front.get(item).label();
        renderer.setDefaultItemLabelGenerator(labels);
        renderer.setDefaultItemLabelsVisible(true);
        NumberAxis x = new NumberAxis(memoryAxis);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(timeAxis);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
