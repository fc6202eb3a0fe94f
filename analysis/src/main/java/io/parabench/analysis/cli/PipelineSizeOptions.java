package io.parabench.analysis.cli;

import io.parabench.pipeline.ScheduleKind;
import picocli.CommandLine.Option;

import java.util.Locale;

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

    /**
     * Most ranks accepted. The simulator sweeps all ranks until one can move, so a step costs up
     * to ranks x (ops per rank + ranks) visits: at 4096 ranks that is seconds; real pipelines
     * have at most a few hundred stages.
     */
    static final int MAX_RANKS = 4096;

    /**
     * Peak heap per schedule op of generating, simulating and printing a schedule: 36 B the op
     * and its list slot, 8 B the list copy while it is made immutable, 17 B the simulated start
     * and end, 16 B the validator's counters, 64 B its token, ~60 B its JSON node (measured on
     * 1f1b/zb1p/dualpipev with 16 ranks x 20000 micro-batches: 36, 16.5 and 52-64 B).
     */
    static final double BYTES_PER_OP = 200;

    /** Stages a rank holds: interleaved v, the V/dual schedules 2, the rest 1. */
    private static int stagesPerRank(ScheduleKind kind, int virtualStages) {
        return switch (kind) {
            case INTERLEAVED -> virtualStages;
            case DUALPIPE, DUALPIPEV, ZBV -> 2;
            default -> 1;
        };
    }

    /** At most three ops (F, b, W) per micro-batch and stage a rank holds; as a double, so it cannot overflow. */
    double opsUpperBound(ScheduleKind kind) {
        return 3.0 * ranks * (double) chunks * stagesPerRank(kind, Math.max(1, virtualStages));
    }

    /** Checks the ranks range and the heap an estimate of {@code kinds}' schedules needs, before generating. */
    void requireFits(java.util.Collection<ScheduleKind> kinds) {
        if (ranks < 1 || ranks > MAX_RANKS) {
            throw new IllegalArgumentException("--ranks (" + ranks + ") must be in 1.." + MAX_RANKS);
        }
        if (chunks < 1) {
            throw new IllegalArgumentException("--chunks (" + chunks + ") must be >= 1");
        }
        if (virtualStages < 1) {
            throw new IllegalArgumentException("--virtual-stages (" + virtualStages + ") must be >= 1");
        }
        double ops = 0;
        StringBuilder names = new StringBuilder();
        for (ScheduleKind k : kinds) {
            ops += opsUpperBound(k);
            names.append(names.length() == 0 ? "" : "+").append(k.cliName());
        }
        boolean interleaved = kinds.contains(ScheduleKind.INTERLEAVED);
        HeapBudget.require(String.format(Locale.ROOT, "%s schedule%s of %d ranks x %d micro-batches%s (up to %.2g ops)",
                        names, kinds.size() > 1 ? "s" : "", ranks, chunks,
                        interleaved ? " x " + virtualStages + " virtual stages" : "", ops),
                ops * BYTES_PER_OP, interleaved ? "--ranks, --chunks or --virtual-stages" : "--ranks or --chunks");
    }
}
