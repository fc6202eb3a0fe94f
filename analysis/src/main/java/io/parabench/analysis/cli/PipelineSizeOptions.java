package io.parabench.analysis.cli;

import picocli.CommandLine.Option;

/** The size of a pipeline: ranks, micro-batches and, for interleaved, stages per rank. */
final class PipelineSizeOptions {
    @Option(names = "--ranks", required = true, paramLabel = "P", description = "pipeline ranks")
    int ranks;

    @Option(names = "--chunks", required = true, paramLabel = "C",
            description = "micro-batches per step (for dualpipe: both directions together)")
    int chunks;

    @Option(names = "--virtual-stages", paramLabel = "V", defaultValue = "2",
            description = "stages per rank for interleaved (default: ${DEFAULT-VALUE})")
    int virtualStages;
}
