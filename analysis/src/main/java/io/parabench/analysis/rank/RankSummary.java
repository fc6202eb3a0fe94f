package io.parabench.analysis.rank;

import io.parabench.analysis.metrics.AnnotationStat;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.StepTimeline;
import io.parabench.analysis.read.DroppedEvents;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the cross-rank analysis needs from one trace file, and nothing of its events: the
 * result of the per-rank map ({@link RankMap}), what a Spark task sends to the driver. A few
 * kilobytes per device whatever the file's size: per-device metrics (with their kernel breakdown
 * and a resampled SM-occupancy timeline of at most 4000 steps), annotation totals, the starts of
 * the step annotations and the computation timeline of {@link StepTimeline}.
 *
 * @param source          the file, as named to the user
 * @param rank            {@code distributedInfo.rank}, else the rank in the file name, else -1
 * @param bytesRead       JSON bytes parsed (decompressed)
 * @param devices         per-device metrics by device id, keyed by the id
 * @param annotations     CPU user-annotation totals of the file, longest first
 * @param stepStarts      earliest start of each step pattern the file has, among the ones the
 *                        reduce may choose ({@code --step}, else the defaults)
 * @param measuredFrom    the step choice the timelines were measured from: the file's own when it
 *                        was mapped alone, the global one when mapped again (see {@link RankAnalysis})
 * @param timeline        computation timeline of all the file's devices (the file is one rank)
 * @param deviceTimelines per device, when the file holds several (a single file of several ranks)
 * @param dropped         events of kept kinds the reader could not keep ({@link io.parabench.analysis.read.Trace#dropped()})
 */
public record RankSummary(String source, int rank, long bytesRead, List<DeviceMetrics> devices,
                          List<AnnotationStat> annotations, SortedMap<String, Long> stepStarts,
                          StepChoice measuredFrom, StepTimeline timeline,
                          SortedMap<Integer, StepTimeline> deviceTimelines, DroppedEvents dropped)
        implements Serializable {
    public RankSummary {
        devices = List.copyOf(devices);
        annotations = List.copyOf(annotations);
        stepStarts = Collections.unmodifiableSortedMap(new TreeMap<>(stepStarts));
        deviceTimelines = Collections.unmodifiableSortedMap(new TreeMap<>(deviceTimelines));
    }

    /** A summary of a file from which nothing was dropped. */
    public RankSummary(String source, int rank, long bytesRead, List<DeviceMetrics> devices,
                       List<AnnotationStat> annotations, SortedMap<String, Long> stepStarts,
                       StepChoice measuredFrom, StepTimeline timeline,
                       SortedMap<Integer, StepTimeline> deviceTimelines) {
        this(source, rank, bytesRead, devices, annotations, stepStarts, measuredFrom, timeline, deviceTimelines,
                DroppedEvents.NONE);
    }

    /** The same summary without the timelines' intervals: what travels between machines. */
    public RankSummary compact() {
        TreeMap<Integer, StepTimeline> perDevice = new TreeMap<>();
        deviceTimelines.forEach((d, t) -> perDevice.put(d, t.compact()));
        return new RankSummary(source, rank, bytesRead, devices, annotations, stepStarts, measuredFrom,
                timeline.compact(), perDevice, dropped);
    }
}
