package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Gantt chart of work per row over time, in the style of the DualPipe README figure: rows
 * (ranks, devices or streams) top to bottom, time along x, one colour per kind of work, a
 * label inside each bar, and idle time left visibly empty. Used both for simulated schedules
 * and for pipeline steps read from real traces.
 *
 * <p>Built on an {@link XYPlot} turned horizontal: each category is one interval series whose
 * x is the row (±0.42 for the bar height) and whose y interval is the time span.
 */
public final class GanttChart {
    /** Colour used for categories the caller gave no colour for. */
    public static final Color DEFAULT_COLOUR = new Color(0x9E9E9E);
    private static final double BAR_HALF_HEIGHT = 0.42;

    private GanttChart() {
    }

    /**
     * Builds the chart.
     *
     * @param rowNames         one name per row, top first
     * @param bars             the work intervals
     * @param categoryColours  colours by category, in legend order; categories missing here get
     *                         {@link #DEFAULT_COLOUR} and come after them in the legend
     * @param timeAxisLabel    x-axis label with its unit, e.g. {@code "time (µs)"}
     */
    public static JFreeChart create(String title, List<String> rowNames, List<GanttBar> bars,
                                    Map<String, Color> categoryColours, String timeAxisLabel) {
        Map<String, List<GanttBar>> byCategory = new LinkedHashMap<>();
        for (String category : categoryColours.keySet()) {
            byCategory.put(category, new ArrayList<>());
        }
        for (GanttBar bar : bars) {
            if (bar.row() >= rowNames.size()) {
                throw new IllegalArgumentException("gantt bar row (" + bar.row() + ") must be < rows ("
                        + rowNames.size() + ")");
            }
            byCategory.computeIfAbsent(bar.category(), k -> new ArrayList<>()).add(bar);
        }
        byCategory.values().removeIf(List::isEmpty);

        XYIntervalSeriesCollection dataset = new XYIntervalSeriesCollection();
        List<List<GanttBar>> seriesBars = new ArrayList<>();
        for (Map.Entry<String, List<GanttBar>> e : byCategory.entrySet()) {
            XYIntervalSeries series = new XYIntervalSeries(e.getKey(), false, true);
            for (GanttBar bar : e.getValue()) {
                series.add(bar.row(), bar.row() - BAR_HALF_HEIGHT, bar.row() + BAR_HALF_HEIGHT,
                        bar.startUs(), bar.startUs(), bar.endUs());
            }
            dataset.addSeries(series);
            seriesBars.add(e.getValue());
        }

        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(Color.DARK_GRAY);
        renderer.setDefaultOutlineStroke(new BasicStroke(0.5f));
        int s = 0;
        for (String category : byCategory.keySet()) {
            renderer.setSeriesPaint(s++, categoryColours.getOrDefault(category, DEFAULT_COLOUR));
        }
        renderer.setDefaultItemLabelGenerator((data, series, item) -> seriesBars.get(series).get(item).label());
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.CENTER, TextAnchor.CENTER));

        SymbolAxis rows = new SymbolAxis(null, rowNames.toArray(new String[0]));
        rows.setInverted(true);
        rows.setGridBandsVisible(false);
        rows.setRange(-0.5, rowNames.size() - 0.5);
        NumberAxis time = new NumberAxis(timeAxisLabel);
        time.setAutoRangeIncludesZero(false);

        XYPlot plot = new XYPlot(dataset, rows, time, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
