package io.parabench.analysis.chart;

import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history of one benchmark method: its primary score in every recorded run (oldest left,
 * one tick per run labelled with its timestamp), one line per parameter set.
 */
public final class BenchmarkTrendChart {
    private BenchmarkTrendChart() {
    }

    /**
     * @param runs      runs in chronological order (history, then the current run)
     * @param benchmark the fully qualified benchmark method
     */
    public static JFreeChart create(String title, List<BenchmarkRun> runs, String benchmark) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        String unit = "";
        double largest = 0;
        for (int i = 0; i < runs.size(); i++) {
            for (BenchmarkResult r : runs.get(i).results()) {
                if (!r.benchmark().equals(benchmark)) {
                    continue;
                }
                String label = r.params().isEmpty() ? "score" : r.key().substring(r.benchmark().length());
                series.computeIfAbsent(label, l -> new XYSeries(l, true, false)).add(i, r.primary().score());
                unit = r.primary().unit();
                largest = Math.max(largest, Math.abs(r.primary().score()));
            }
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        series.values().forEach(dataset::addSeries);
        String[] ticks = runs.stream().map(r -> r.timestamp() + " " + r.profile()).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("run (UTC timestamp, profile)", ticks);
        x.setGridBandsVisible(false);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        x.setRange(-0.5, Math.max(0.5, runs.size() - 0.5));
        NumberAxis y = new NumberAxis("score (" + unit + ")");
        y.setAutoRangeIncludesZero(false);
        // one run, or a flat history, would otherwise get a range of ~1e-8 and unreadable ticks
        y.setAutoRangeMinimumSize(Math.max(largest * 0.1, 1e-9));
        y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###",
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setDomainGridlinePaint(new Color(0xEEEEEE));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, series.size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
