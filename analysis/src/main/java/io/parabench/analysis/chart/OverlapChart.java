package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.DeviceMetrics;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.util.List;

/**
 * How each device spends its span, as one horizontal stacked bar per device in percent of the
 * span: computation only, computation overlapped with communication, communication exposed,
 * memory only, idle. The five parts partition the span:
 * overlapped = |C ∩ M|, computation only = |C| − overlapped, communication exposed =
 * |M| − overlapped, memory only = busy − |C ∪ M|, idle = span − busy.
 */
public final class OverlapChart {
    static final String[] PARTS = {"computation only", "overlapped", "communication exposed", "memory only", "idle"};

    private OverlapChart() {
    }

    /** The five parts of a device's span in ns, in {@link #PARTS} order. */
    static long[] parts(DeviceMetrics d) {
        long overlapped = d.overlapNs();
        long computeOnly = d.computeBusyNs() - overlapped;
        long commOnly = d.commBusyNs() - overlapped;
        long memoryOnly = d.busyNs() - (d.computeBusyNs() + d.commBusyNs() - overlapped);
        return new long[]{computeOnly, overlapped, commOnly, memoryOnly, d.idleNs()};
    }

    public static JFreeChart create(List<DeviceMetrics> devices) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (DeviceMetrics d : devices) {
            long[] parts = parts(d);
            for (int p = 0; p < PARTS.length; p++) {
                data.addValue(d.spanNs() > 0 ? 100.0 * parts[p] / d.spanNs() : 0.0, PARTS[p], "device " + d.key());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Where the span goes: compute/communication overlap",
                null, "share of the device span (%)", data, PlotOrientation.HORIZONTAL, true, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.getRangeAxis().setRange(0, 100);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        Color[] colours = {KernelClassColours.COMPUTATION, KernelClassColours.OVERLAP, KernelClassColours.COMMUNICATION,
                KernelClassColours.MEMORY, KernelClassColours.IDLE};
        for (int p = 0; p < colours.length; p++) {
            renderer.setSeriesPaint(p, colours[p]);
        }
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
