package io.parabench.analysis.cli;

import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleFile;
import io.parabench.pipeline.ScheduleKind;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The options that pick a schedule, shared by {@code schedule}, {@code simulate} and
 * {@code train}: a generated one ({@code --kind}, {@code --ranks}, {@code --chunks}) or one
 * read from a file ({@code --schedule}), never both.
 */
final class ScheduleOptions {
    @Option(names = "--kind", paramLabel = "KIND",
            description = "dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved or zbv")
    String kind;

    @Option(names = "--ranks", paramLabel = "P", description = "pipeline ranks (with --kind)")
    Integer ranks;

    @Option(names = "--chunks", paramLabel = "C",
            description = "micro-batches per step (for dualpipe: both directions together; with --kind)")
    Integer chunks;

    @Option(names = "--virtual-stages", paramLabel = "V", defaultValue = "2",
            description = "stages per rank for interleaved (default: ${DEFAULT-VALUE})")
    int virtualStages;

    @Option(names = "--schedule", paramLabel = "FILE",
            description = "a schedule from a file instead of --kind: token text, reference JSON or torch CSV, validated")
    Path file;

    Schedule generate() throws IOException {
        if (file != null) {
            if (kind != null || ranks != null || chunks != null) {
                throw new IllegalArgumentException("--schedule (" + file + ") takes its size from the file;"
                        + " give it without --kind, --ranks and --chunks");
            }
            return ScheduleFile.read(file);
        }
        if (kind == null || ranks == null || chunks == null) {
            throw new IllegalArgumentException("--kind, --ranks and --chunks are required (or --schedule FILE)");
        }
        ScheduleKind k = ScheduleKind.of(kind);
        // the same range and heap checks as every command that takes a size
        PipelineSizeOptions size = new PipelineSizeOptions();
        size.ranks = ranks;
        size.chunks = chunks;
        size.virtualStages = virtualStages;
        size.requireFits(java.util.List.of(k));
        return k.generate(ranks, chunks, virtualStages);
    }
}
