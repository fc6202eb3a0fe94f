package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.IntervalSet;
import io.parabench.analysis.metrics.StreamActivity;
import org.jfree.chart.JFreeChart;

import java.util.ArrayList;
import java.util.List;

/**
 * Stream timeline of one device: one row per stream, computation, communication and memory
 * time in their own colours, so overlap shows as stacked colours in one column of time. Built
 * on {@link GanttChart}. Gaps shorter than 1/{@value #RESOLUTION} of the span are bridged so
 * that a trace of a million kernels still draws a few thousand bars.
 */
public final class StreamTimelineChart {
    static final int RESOLUTION = 1500;

    private StreamTimelineChart() {
    }

    /** The bars: per (stream, class), times in µs since the device's first GPU event. */
    static List<GanttBar> bars(DeviceMetrics device, List<StreamActivity> activity, List<Integer> streams) {
        long origin = device.firstStartNs();
        long minGap = Math.max(1, device.spanNs() / RESOLUTION);
        List<GanttBar> bars = new ArrayList<>();
        for (StreamActivity a : activity) {
            int row = streams.indexOf(a.stream());
            IntervalSet shown = a.busy().bridgeGaps(minGap);
            for (int k = 0; k < shown.size(); k++) {
                bars.add(new GanttBar(row, (shown.start(k) - origin) / 1000.0, (shown.end(k) - origin) / 1000.0,
                        KernelClassColours.label(a.kind()), ""));
            }
        }
        return bars;
    }

    public static JFreeChart create(DeviceMetrics device, List<StreamActivity> activity) {
        List<Integer> streams = activity.stream().map(StreamActivity::stream).distinct().sorted().toList();
        List<String> rows = streams.stream().map(s -> "stream " + s).toList();
        return GanttChart.create("Device " + device.key() + " streams: computation vs communication", rows,
                bars(device, activity, streams), KernelClassColours.byLabel(), "time since first GPU event (µs)");
    }
}
