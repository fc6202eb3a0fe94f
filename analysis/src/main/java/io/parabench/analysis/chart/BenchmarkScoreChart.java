package io.parabench.analysis.chart;

import io.parabench.analysis.read.BenchmarkResult;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.util.List;

/**
 * Scores of one benchmark method across its parameter sets: one horizontal bar per parameter
 * set with JMH's 99.9% confidence interval as the error bar, the unit on the value axis.
 */
public final class BenchmarkScoreChart {
    private static final Color BAR = new Color(0x4A90C2);

    private BenchmarkScoreChart() {
    }

    /**
     * @param results results of one benchmark method (same unit), one per parameter set
     */
    public static JFreeChart create(String title, List<BenchmarkResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("score chart needs at least one result");
        }
        DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
        for (BenchmarkResult r : results) {
            double error = Double.isNaN(r.primary().error()) ? 0 : r.primary().error();
            String label = r.params().isEmpty() ? "(no params)" : r.key().substring(r.benchmark().length());
            dataset.add(r.primary().score(), error, "score", label);
        }
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setSeriesPaint(0, BAR);
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.6);
        CategoryAxis params = new CategoryAxis("parameters");
        params.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        params.setMaximumCategoryLabelWidthRatio(0.45f);
        CategoryPlot plot = new CategoryPlot(dataset, params, scoreAxis(results), renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Scores are never negative, so the axis starts at 0 even when a short run's confidence
     * interval reaches below it; when scores of one method span more than two decades (a fast
     * and a slow policy, a small and a large size) the axis is logarithmic so every bar shows.
     */
    private static ValueAxis scoreAxis(List<BenchmarkResult> results) {
        String label = "score (" + results.get(0).primary().unit() + "), error bar: 99.9% CI";
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double top = 0;
        for (BenchmarkResult r : results) {
            double s = r.primary().score();
            double e = Double.isNaN(r.primary().error()) ? 0 : r.primary().error();
            if (s > 0) {
                min = Math.min(min, s);
            }
            max = Math.max(max, s);
            top = Math.max(top, s + e);
        }
        if (max > 0 && min > 0 && max / min > 100) {
            LogAxis log = new LogAxis(label + ", log scale");
            log.setRange(min / 2, top * 2);
            log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));   // one tick per decade
            log.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.####",
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            return log;
        }
        NumberAxis linear = new NumberAxis(label);
        linear.setRange(0, top > 0 ? top * 1.05 : 1);
        return linear;
    }
}
