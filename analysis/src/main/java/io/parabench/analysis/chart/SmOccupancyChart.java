package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.SmOccupancy;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepAreaRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;

/**
 * SM occupancy of one device over time as a step chart stacked by class: communication at the
 * bottom, computation on top of it, the device's SM count as a dashed line.
 *
 * <p>Stacking is drawn, not computed by JFreeChart: the "computation" area is the total
 * (communication + computation) and the communication area is painted over it, which for a
 * step function of two non-negative layers is the same picture.
 */
public final class SmOccupancyChart {
    private SmOccupancyChart() {
    }

    /**
     * @throws IllegalArgumentException when the device has no SM count (emulated ranks without SMs)
     */
    public static JFreeChart create(DeviceMetrics device) {
        SmOccupancy occ = device.smOccupancy();
        if (occ == null) {
            throw new IllegalArgumentException("device " + device.key() + " has no SM count (numSms); no occupancy to chart");
        }
        XYSeries comm = new XYSeries("communication", false, true);
        XYSeries total = new XYSeries("computation", false, true);
        long origin = device.firstStartNs();
        for (int k = 0; k < occ.segments(); k++) {
            double x = (occ.timeNs(k) - origin) / 1000.0;
            comm.add(x, occ.commSms(k));
            total.add(x, occ.commSms(k) + occ.computeSms(k));
        }
        if (occ.segments() > 0) {
            double end = (occ.timeNs(occ.segments()) - origin) / 1000.0;
            comm.add(end, 0.0);
            total.add(end, 0.0);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(comm);
        data.addSeries(total);
        XYStepAreaRenderer renderer = new XYStepAreaRenderer(XYStepAreaRenderer.AREA);
        renderer.setSeriesPaint(0, KernelClassColours.COMMUNICATION);
        renderer.setSeriesPaint(1, KernelClassColours.COMPUTATION);
        renderer.setOutline(false);
        NumberAxis time = new NumberAxis("time since first GPU event (µs)");
        time.setAutoRangeIncludesZero(false);
        NumberAxis sms = new NumberAxis("SMs occupied");
        sms.setRange(0, occ.numSms() * 1.05);
        XYPlot plot = new XYPlot(data, time, sms, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        ValueMarker limit = new ValueMarker(occ.numSms(), Color.DARK_GRAY,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{4f, 4f}, 0f));
        limit.setLabel(occ.numSms() + " SMs");
        plot.addRangeMarker(limit);
        String title = String.format(Locale.ROOT, "Device %s SM occupancy (average %.1f%% of %d SMs)",
                device.key(), 100 * occ.averageRatio(), occ.numSms());
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
