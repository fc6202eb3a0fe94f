package io.parabench.analysis.cli;

import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that pick a generated schedule, shared by {@code schedule} and {@code simulate}. */
final class ScheduleOptions {
    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved or zbv")
    String kind;

    @Mixin
    PipelineSizeOptions size;

    Schedule generate() {
        ScheduleKind k = ScheduleKind.of(kind);
        size.requireFits(java.util.List.of(k));
        return k.generate(size.ranks, size.chunks, size.virtualStages);
    }
}
