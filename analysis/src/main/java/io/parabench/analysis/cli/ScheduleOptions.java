package io.parabench.analysis.cli;

import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import picocli.CommandLine.Option;

/** The options that pick a generated schedule, shared by {@code schedule} and {@code simulate}. */
final class ScheduleOptions {
    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "dualpipe, dualpipev, 1f1b, zb1p, gpipe or interleaved")
    String kind;

    @Option(names = "--ranks", required = true, paramLabel = "P", description = "pipeline ranks")
    int ranks;

    @Option(names = "--chunks", required = true, paramLabel = "C",
            description = "micro-batches per step (for dualpipe: both directions together)")
    int chunks;

    @Option(names = "--virtual-stages", paramLabel = "V", defaultValue = "2",
            description = "stages per rank for interleaved (default: ${DEFAULT-VALUE})")
    int virtualStages;

    Schedule generate() {
        return ScheduleKind.of(kind).generate(ranks, chunks, virtualStages);
    }
}
