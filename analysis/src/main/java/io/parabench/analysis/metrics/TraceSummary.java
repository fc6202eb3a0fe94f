package io.parabench.analysis.metrics;

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
 */
public record TraceSummary(String source, List<DeviceMetrics> devices, Optional<PipelineMetrics> pipeline,
                           List<AnnotationStat> annotations, long bytesRead) {
    public TraceSummary {
        devices = List.copyOf(devices);
        annotations = List.copyOf(annotations);
    }
}
