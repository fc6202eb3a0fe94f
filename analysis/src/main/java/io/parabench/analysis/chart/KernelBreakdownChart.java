package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.KernelClass;
import io.parabench.analysis.metrics.KernelStat;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Top kernels of a device by total time (summed durations, in ms), one horizontal bar each for the
 * {@value #MAX_BARS} longest, coloured by class, with the launch count in the label. Kernel names
 * are shortened by {@link KernelNames#shorten}.
 */
public final class KernelBreakdownChart {
    /**
     * Bars drawn at most: the breakdown keeps up to {@code --kernels} rows (1000 by default, for
     * HTA's full table), and 1000 bars made a 24 000-pixel chart of 800 kB per device.
     */
    public static final int MAX_BARS = 30;

    private KernelBreakdownChart() {
    }

    /** The bars {@link #create} draws for this device: its longest kernels, at most {@link #MAX_BARS}. */
    public static int bars(DeviceMetrics device) {
        return Math.min(MAX_BARS, device.topKernels().size());
    }

    /** Unique category labels for the kernels: short name and launch count. */
    static List<String> labels(List<KernelStat> kernels) {
        List<String> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (KernelStat k : kernels) {
            String base = KernelNames.shorten(k.name()) + " ×" + k.count();
            String label = base;
            for (int n = 2; !used.add(label); n++) {
                label = base + " #" + n;
            }
            out.add(label);
        }
        return out;
    }

    public static JFreeChart create(DeviceMetrics device) {
        List<KernelStat> kernels = device.topKernels().subList(0, bars(device));
        List<String> labels = labels(kernels);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int k = 0; k < kernels.size(); k++) {
            data.addValue(kernels.get(k).totalNs() / 1e6, "total time", labels.get(k));
        }
        JFreeChart chart = ChartFactory.createBarChart("Device " + device.key() + ": top kernels by total time",
                null, "total time (ms)", data, PlotOrientation.HORIZONTAL, true, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        CategoryAxis names = plot.getDomainAxis();
        names.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        names.setMaximumCategoryLabelWidthRatio(0.6f);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return KernelClassColours.of(kernels.get(column).kind());
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        plot.setRenderer(renderer);
        LegendItemCollection legend = new LegendItemCollection();
        for (KernelClass kind : KernelClass.values()) {
            legend.add(new LegendItem(KernelClassColours.label(kind), KernelClassColours.of(kind)));
        }
        plot.setFixedLegendItems(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
