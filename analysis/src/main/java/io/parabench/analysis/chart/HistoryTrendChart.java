package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A headline's history: one line per series over the recorded runs (oldest left, one tick per
 * run labelled with its timestamp, the current run last). A run without a value for a series
 * (the benchmark did not exist yet) leaves a gap rather than a made-up point.
 */
public final class HistoryTrendChart {
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 9);

    private HistoryTrendChart() {
    }

    /**
     * @param runLabels one label per run, chronological
     * @param series    values per series, one per run (NaN = no value in that run), in legend order
     */
    public static JFreeChart create(String title, String valueLabel, List<String> runLabels,
                                    Map<String, double[]> series) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != runLabels.size()) {
                throw new IllegalArgumentException("trend series " + e.getKey() + " has " + e.getValue().length
                        + " values for " + runLabels.size() + " runs");
            }
            XYSeries line = new XYSeries(e.getKey(), true, false);
            for (int i = 0; i < runLabels.size(); i++) {
                double v = e.getValue()[i];
                if (Double.isFinite(v)) {
                    line.add(i, v);
                    if (v > 0) {
                        min = Math.min(min, v);
                    }
                    max = Math.max(max, Math.abs(v));
                }
            }
            dataset.addSeries(line);
        }
        SymbolAxis x = new SymbolAxis(null, runLabels.toArray(String[]::new));
        x.setGridBandsVisible(false);
        x.setTickLabelFont(SMALL);
        x.setVerticalTickLabels(runLabels.size() > 4);
        x.setRange(-0.5, Math.max(0.5, runLabels.size() - 0.5));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, HeadlineBarChart.PALETTE[i % HeadlineBarChart.PALETTE.length]);
        }
        XYPlot plot = new XYPlot(dataset, x, yAxis(valueLabel, min, max), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setDomainGridlinePaint(new Color(0xEEEEEE));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, series.size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(SMALL);
        }
        return chart;
    }

    /** Logarithmic when the lines span more than two decades, else linear around the data. */
    private static ValueAxis yAxis(String label, double min, double max) {
        DecimalFormat format = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        if (max > 0 && min > 0 && max / min > 100) {
            LogAxis log = new LogAxis(label + " (log)");
            log.setRange(min / 2, max * 2);
            log.setTickUnit(new NumberTickUnit(1.0));
            log.setNumberFormatOverride(format);
            log.setLabelFont(SMALL);
            log.setTickLabelFont(SMALL);
            return log;
        }
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        // one run, or a flat history, would otherwise get a range of ~1e-8 and unreadable ticks
        y.setAutoRangeMinimumSize(Math.max(max * 0.1, 1e-9));
        y.setNumberFormatOverride(format);
        y.setLabelFont(SMALL);
        y.setTickLabelFont(SMALL);
        return y;
    }
}
