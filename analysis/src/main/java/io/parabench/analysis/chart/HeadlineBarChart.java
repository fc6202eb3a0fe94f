package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A headline figure of the benchmark dashboard: grouped vertical bars (one colour per series,
 * one group per category) with 99.9% confidence intervals as error bars, and optional reference
 * lines (a calibrated peak). Bars whose interval is too wide to judge are drawn pale, and a
 * subtitle says so: a quick run's ±1000% interval is not evidence of "no change".
 *
 * <p>Draws what it is handed; which results become which bars is decided by the report.
 */
public final class HeadlineBarChart {
    /** Series colours, in legend order (Tableau 10, legible in print and for most colour vision). */
    static final Color[] PALETTE = {new Color(0x4C78A8), new Color(0xF58518), new Color(0x54A24B),
            new Color(0xE45756), new Color(0x72B7B2), new Color(0xB279A2), new Color(0xEECA3B), new Color(0x9D755D)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private HeadlineBarChart() {
    }

    /**
     * @param valueLabel value axis label with its unit, e.g. {@code bubble rate}
     * @param bars       the bars, series and categories in order of first appearance
     * @param references horizontal reference lines by label (e.g. a calibrated peak), may be empty
     */
    public static JFreeChart create(String title, String valueLabel, List<HeadlineBar> bars,
                                    Map<String, Double> references) {
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("headline chart '" + title + "' needs at least one bar");
        }
        DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
        boolean anyUnjudged = false;
        for (HeadlineBar b : bars) {
            dataset.add(b.value(), Double.isNaN(b.error()) ? 0 : b.error(), b.series(), b.category());
            anyUnjudged |= !b.judged();
        }
        StatisticalBarRenderer renderer = new StatisticalBarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                Color base = PALETTE[row % PALETTE.length];
                return judged(bars, dataset, row, column) ? base : pale(base);
            }
        };
        for (int i = 0; i < dataset.getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        boolean anyInterval = bars.stream().anyMatch(b -> b.error() > 0);
        // computed values have no interval: no whisker at all rather than a flat black cap on every bar
        renderer.setErrorIndicatorPaint(anyInterval ? Color.BLACK : new Color(0, 0, 0, 0));
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setMaximumBarWidth(0.12);
        CategoryAxis categories = new CategoryAxis(null);
        categories.setTickLabelFont(SMALL);
        categories.setMaximumCategoryLabelLines(2);
        if (dataset.getColumnCount() > 6) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        CategoryPlot plot = new CategoryPlot(dataset, categories, valueAxis(valueLabel, bars, references), renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        references.forEach((label, value) -> {
            ValueMarker marker = new ValueMarker(value, new Color(0x555555), new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{5, 3}, 0));
            marker.setLabel(label);
            marker.setLabelFont(SMALL);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(marker);
        });
        JFreeChart chart = new JFreeChart(title, TITLE, plot, dataset.getRowCount() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(SMALL);
        }
        if (anyUnjudged) {
            TextTitle note = new TextTitle("pale: 99.9% interval wider than the gate's threshold, too short to judge", SMALL);
            note.setPaint(new Color(0x8A5A00));
            chart.addSubtitle(note);
        }
        return chart;
    }

    private static boolean judged(List<HeadlineBar> bars, DefaultStatisticalCategoryDataset dataset, int row, int column) {
        Comparable<?> series = dataset.getRowKey(row);
        Comparable<?> category = dataset.getColumnKey(column);
        for (HeadlineBar b : bars) {
            if (b.series().equals(series) && b.category().equals(category)) {
                return b.judged();
            }
        }
        return true;
    }

    private static Color pale(Color c) {
        return new Color((c.getRed() + 3 * 255) / 4, (c.getGreen() + 3 * 255) / 4, (c.getBlue() + 3 * 255) / 4);
    }

    /**
     * Values here are never negative, so a linear axis starts at 0 even when a short run's
     * interval reaches below it; when the values span more than two decades (a fast and a slow
     * policy, DeepSeek's PyTorch reference beside the Java one) the axis is logarithmic so every
     * bar shows.
     */
    static ValueAxis valueAxis(String label, List<HeadlineBar> bars, Map<String, Double> references) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double top = 0;
        for (HeadlineBar b : bars) {
            double e = Double.isNaN(b.error()) ? 0 : b.error();
            if (b.value() > 0) {
                min = Math.min(min, b.value());
            }
            max = Math.max(max, b.value());
            top = Math.max(top, b.value() + Math.min(e, b.value()));
        }
        for (double r : references.values()) {
            top = Math.max(top, r);
        }
        if (max > 0 && min > 0 && max / min > 100) {
            LogAxis log = new LogAxis(label + " (log scale)");
            log.setRange(min / 2, top * 2);
            log.setTickUnit(new NumberTickUnit(1.0));   // one tick per decade
            log.setNumberFormatOverride(new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            log.setLabelFont(SMALL);
            log.setTickLabelFont(SMALL);
            return log;
        }
        NumberAxis linear = new NumberAxis(label);
        linear.setRange(0, top > 0 ? top * 1.08 : 1);
        linear.setLabelFont(SMALL);
        linear.setTickLabelFont(SMALL);
        return linear;
    }
}
