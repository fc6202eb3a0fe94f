package io.parabench.analysis.chart;

import io.parabench.pipeline.Timeline;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.util.Map;

/**
 * Schedules side by side for one pipeline size and one cost model: per schedule, its busy time
 * and its maximum bubble per rank, stacked so that each bar is as long as the makespan.
 */
public final class ScheduleComparisonChart {
    private ScheduleComparisonChart() {
    }

    /** @param timelines simulated schedules by name, in display order */
    public static JFreeChart create(String title, Map<String, Timeline> timelines) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        timelines.forEach((kind, t) -> {
            dataset.addValue(t.makespan() - t.maxBubble(), "busy (rank with the largest bubble)", kind);
            dataset.addValue(t.maxBubble(), "max bubble per rank", kind);
        });
        BarRenderer renderer = new org.jfree.chart.renderer.category.StackedBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x93C47D));
        renderer.setSeriesPaint(1, new Color(0xF4CCCC));
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(Color.DARK_GRAY);
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("schedule"),
                new NumberAxis("time (cost units): bar = makespan"), renderer);
        plot.setOrientation(org.jfree.chart.plot.PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
