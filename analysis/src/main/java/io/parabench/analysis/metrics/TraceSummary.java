package io.parabench.analysis.metrics;

import io.parabench.analysis.read.DroppedEvents;

import java.util.List;
import java.util.Optional;

/**
 * Everything {@link TraceMetrics} measured in one trace file or directory.
 *
 * @param source      the file or directory analysed
 * @param devices     per-device metrics, ordered by rank then device id
 * @param pipeline    pipeline bubbles, present for a directory of per-rank traces or a file
 *                    holding several devices
 * @param annotations user-annotation totals over all files, longest first
 * @param bytesRead   JSON bytes parsed (decompressed)
 * @param dropped     events of kept kinds the reader could not keep, over all files (no
 *                    {@code ts}, negative {@code dur}, …)
 */
public record TraceSummary(String source, List<DeviceMetrics> devices, Optional<PipelineMetrics> pipeline,
                           List<AnnotationStat> annotations, long bytesRead, DroppedEvents dropped) {
    public TraceSummary {
        devices = List.copyOf(devices);
        annotations = List.copyOf(annotations);
    }

    /** A summary of files from which nothing was dropped. */
    public TraceSummary(String source, List<DeviceMetrics> devices, Optional<PipelineMetrics> pipeline,
                        List<AnnotationStat> annotations, long bytesRead) {
        this(source, devices, pipeline, annotations, bytesRead, DroppedEvents.NONE);
    }
}
