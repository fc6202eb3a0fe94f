package io.parabench.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The schedule generators: DeepSeek's DualPipe and DualPipeV, and the baselines they are
 * compared with. Each checks its parameters before generating and names the rule it needs.
 *
 * <ul>
 *   <li>{@link #DUALPIPE}: DeepSeek-V3 report §3.2.1; op order of the reference {@code step()}.</li>
 *   <li>{@link #DUALPIPEV}: the "cut-in-half" V-shaped DualPipe (Sea AI Lab), as in the
 *       reference repository.</li>
 *   <li>{@link #ONE_F_ONE_B}: PipeDream-Flush / Megatron 1F1B.</li>
 *   <li>{@link #ZB1P}: ZB-H1 of "Zero Bubble Pipeline Parallelism" (Qi et al., 2023): 1F1B with
 *       the backward split into input and weight gradients, weight gradients deferred on rank
 *       {@code r} by {@code r} steps so they fill the cool-down.</li>
 *   <li>{@link #GPIPE}: all forwards, then all backwards.</li>
 *   <li>{@link #INTERLEAVED}: Megatron's interleaved 1F1B with {@code v} virtual stages per rank.</li>
 *   <li>{@link #ZBV}: the V-shaped zero-bubble schedule ZB-V of the same paper (§6), in the op
 *       order of PyTorch's {@code torch.distributed.pipelining.ScheduleZBVZeroBubble}.</li>
 * </ul>
 */
public enum ScheduleKind {
    DUALPIPE("dualpipe"),
    DUALPIPEV("dualpipev"),
    ONE_F_ONE_B("1f1b"),
    ZB1P("zb1p"),
    GPIPE("gpipe"),
    INTERLEAVED("interleaved"),
    ZBV("zbv");

    private final String cliName;

    ScheduleKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in JSON ({@code dualpipe}, {@code 1f1b}, …). */
    public String cliName() {
        return cliName;
    }

    /** The kind with that command-line name (case-insensitive). */
    public static ScheduleKind of(String name) {
        for (ScheduleKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("schedule kind (" + name + ") must be one of "
                + "dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved, zbv");
    }

    /**
     * Whether the runtime this kind comes from posts its receives early on SM-holding NCCL kernels
     * ({@link SendRecvLowering}): {@link #ZBV} runs on PyTorch's pipelining runtime, which issues
     * every receive as soon as its sender is lowered. The others exchange at op boundaries (DualPipe's
     * reference and Megatron's 1F1B batch their sends and receives around each op), so their comm
     * kernels do not sit beside computation waiting for data.
     */
    public boolean postsReceivesEarly() {
        return this == ZBV;
    }

    /**
     * Whether the runtime this kind comes from computes the first stage's input gradient, which
     * nobody consumes. PyTorch's pipelining runtime ({@link #ZBV}) does not: the stage input does
     * not require a gradient, and in {@code gpu-traces/torch_zbv} stage 0's I ops launch no
     * kernel. The harness that recorded {@code gpu-traces/1f1b} does: rank 0 launches as many
     * backward kernels as the other ranks (its input requires a gradient), and the ranks' bubbles
     * are equal.
     */
    public boolean computesFirstStageInputGradient() {
        return this != ZBV;
    }

    /** Generates the schedule; {@code virtualStages} is used by {@link #INTERLEAVED} only. */
    public Schedule generate(int ranks, int chunks, int virtualStages) {
        require(ranks >= 1, "ranks", ranks, "must be >= 1");
        require(chunks >= 1, "chunks", chunks, "must be >= 1");
        return switch (this) {
            case DUALPIPE -> dualPipe(ranks, chunks);
            case DUALPIPEV -> dualPipeV(ranks, chunks);
            case ONE_F_ONE_B -> oneFOneB(ranks, chunks);
            case ZB1P -> zeroBubbleH1(ranks, chunks);
            case GPIPE -> gpipe(ranks, chunks);
            case INTERLEAVED -> interleaved(ranks, chunks, virtualStages);
            case ZBV -> zeroBubbleV(ranks, chunks);
        };
    }

    /** Generates a schedule that needs no virtual-stage count. */
    public Schedule generate(int ranks, int chunks) {
        return generate(ranks, chunks, 2);
    }

    private static void require(boolean ok, String parameter, int value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(parameter + " (" + value + ") " + rule);
        }
    }

    private Schedule dualPipe(int ranks, int chunks) {
        require(ranks % 2 == 0, "ranks", ranks, "must be even for dualpipe (rank r pairs with rank P-1-r)");
        require(chunks % 2 == 0, "chunks", chunks, "must be even for dualpipe (half flow in each direction)");
        require(chunks >= 2 * ranks, "chunks", chunks, "must be >= 2 * ranks (" + 2 * ranks + ") for dualpipe");
        int halfRanks = ranks / 2;
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            int halfRank = Math.min(rank, ranks - 1 - rank);
            boolean middle = rank == halfRanks - 1 || rank == halfRanks;
            ops.add(DualPipeSteps.replay(halfRanks, halfRank, chunks / 2, middle, rank >= halfRanks));
        }
        return new Schedule(cliName, chunks, PipelineLayout.dualPipe(ranks, chunks / 2), ops);
    }

    private Schedule dualPipeV(int ranks, int chunks) {
        require(chunks >= 2 * ranks, "chunks", chunks, "must be >= 2 * ranks (" + 2 * ranks + ") for dualpipev");
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            ops.add(DualPipeSteps.replay(ranks, rank, chunks, rank == ranks - 1, false));
        }
        return new Schedule(cliName, chunks, PipelineLayout.dualPipeV(ranks, chunks), ops);
    }

    private Schedule oneFOneB(int ranks, int chunks) {
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            List<Op> r = new ArrayList<>(2 * chunks);
            int warmup = Math.min(ranks - 1 - rank, chunks);
            for (int mb = 0; mb < warmup; mb++) {
                r.add(Op.forward(0, mb));
            }
            for (int i = 0; i < chunks - warmup; i++) {
                r.add(Op.forward(0, warmup + i));
                r.add(Op.backward(0, i));
            }
            for (int mb = chunks - warmup; mb < chunks; mb++) {
                r.add(Op.backward(0, mb));
            }
            ops.add(r);
        }
        return new Schedule(cliName, chunks, PipelineLayout.oneStagePerRank(ranks, chunks), ops);
    }

    private Schedule zeroBubbleH1(int ranks, int chunks) {
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            List<Op> r = new ArrayList<>(3 * chunks);
            ArrayDeque<Op> deferred = new ArrayDeque<>();
            // Rank r keeps r weight gradients in hand (the first rank computes each at once,
            // the last holds P-1), so input gradients travel back up the pipe without waiting
            // behind weight gradients, and the cool-down waits are filled with the deferred ones.
            // Activations held stay at P on every rank, 1F1B's peak.
            int warmup = Math.min(ranks - 1 - rank, chunks);
            for (int mb = 0; mb < warmup; mb++) {
                r.add(Op.forward(0, mb));
            }
            for (int i = 0; i < chunks; i++) {
                if (warmup + i < chunks) {
                    r.add(Op.forward(0, warmup + i));
                }
                r.add(Op.backwardInput(0, i));
                deferred.add(Op.weight(0, i));
                if (deferred.size() > rank) {
                    r.add(deferred.poll());
                }
            }
            r.addAll(deferred);
            ops.add(r);
        }
        return new Schedule(cliName, chunks, PipelineLayout.oneStagePerRank(ranks, chunks), ops);
    }

    private Schedule gpipe(int ranks, int chunks) {
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            List<Op> r = new ArrayList<>(2 * chunks);
            for (int mb = 0; mb < chunks; mb++) {
                r.add(Op.forward(0, mb));
            }
            for (int mb = 0; mb < chunks; mb++) {
                r.add(Op.backward(0, mb));
            }
            ops.add(r);
        }
        return new Schedule(cliName, chunks, PipelineLayout.oneStagePerRank(ranks, chunks), ops);
    }

    /**
     * Megatron-LM's interleaved schedule: virtual micro-batch {@code k} runs chunk
     * {@code (k / P) % v} of micro-batch {@code (k / (P·v))·P + k % P}; backwards walk the chunks
     * in reverse; rank {@code r} warms up with {@code 2(P-r-1) + (v-1)P} forwards.
     */
    private Schedule interleaved(int ranks, int chunks, int v) {
        require(v >= 2, "virtual-stages", v, "must be >= 2 for interleaved (use 1f1b for one stage per rank)");
        require(chunks % ranks == 0, "chunks", chunks,
                "must be a multiple of ranks (" + ranks + ") for interleaved (micro-batches go in groups of P)");
        int total = v * chunks;
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            List<Op> r = new ArrayList<>(2 * total);
            int warmup = Math.min((ranks - rank - 1) * 2 + (v - 1) * ranks, total);
            for (int k = 0; k < warmup; k++) {
                r.add(virtual(true, k, ranks, v));
            }
            for (int i = 0; i < total - warmup; i++) {
                r.add(virtual(true, warmup + i, ranks, v));
                r.add(virtual(false, i, ranks, v));
            }
            for (int k = total - warmup; k < total; k++) {
                r.add(virtual(false, k, ranks, v));
            }
            ops.add(r);
        }
        return new Schedule(cliName, chunks, PipelineLayout.interleaved(ranks, v, chunks), ops);
    }

    /**
     * PyTorch's {@code ScheduleZBVZeroBubble._calculate_single_rank_operations}: rank {@code r}
     * holds stage {@code r} (chunk 0) and stage {@code 2P-1-r} (chunk 1), as DualPipeV. It warms
     * up with {@code 2(P-r)-1} chunk-0 forwards, then {@code r} pairs F1 F0, then {@code P-r}
     * triples F1 b1 W1; the steady phase repeats F0 b0 W0 F1 b1 W1 (the chunk-0 forward only
     * while micro-batches remain); the cool-down runs {@code r} pairs b0 b1, {@code P-r} pairs
     * b0 W0, then the remaining chunk-1 and chunk-0 weight gradients. Like torch, it plans
     * {@code max(2P-1, C)} micro-batches and drops the ops of those beyond {@code C}, so small
     * steps keep the same shape. The order torch ran in the 4-rank, 20-micro-batch trace of
     * {@code gpu-traces/torch_zbv} is this one, op for op (tested).
     */
    private Schedule zeroBubbleV(int ranks, int chunks) {
        int planned = Math.max(2 * ranks - 1, chunks);
        List<List<Op>> ops = new ArrayList<>(ranks);
        for (int rank = 0; rank < ranks; rank++) {
            List<Op> r = new ArrayList<>(6 * planned);
            int f0 = 0;
            int f1 = 0;
            int b0 = 0;
            int b1 = 0;
            for (int i = 0; i < 2 * (ranks - rank) - 1; i++) {
                r.add(Op.forward(0, f0++));
            }
            for (int i = 0; i < rank; i++) {
                r.add(Op.forward(1, f1++));
                r.add(Op.forward(0, f0++));
            }
            for (int i = 0; i < ranks - rank; i++) {
                r.add(Op.forward(1, f1++));
                r.add(Op.backwardInput(1, b1));
                r.add(Op.weight(1, b1++));
            }
            while (f1 < f0 || f0 < planned) {
                if (f0 < planned) {
                    r.add(Op.forward(0, f0++));
                }
                r.add(Op.backwardInput(0, b0));
                r.add(Op.weight(0, b0++));
                r.add(Op.forward(1, f1++));
                r.add(Op.backwardInput(1, b1));
                r.add(Op.weight(1, b1++));
            }
            int w0 = b0;
            int w1 = b1;
            for (int i = 0; i < rank; i++) {
                r.add(Op.backwardInput(0, b0++));
                r.add(Op.backwardInput(1, b1++));
            }
            for (int i = 0; i < ranks - rank; i++) {
                r.add(Op.backwardInput(0, b0++));
                r.add(Op.weight(0, w0++));
            }
            while (w1 < b1) {
                r.add(Op.weight(1, w1++));
            }
            while (w0 < b0) {
                r.add(Op.weight(0, w0++));
            }
            r.removeIf(op -> op.microBatch() >= chunks);
            ops.add(r);
        }
        return new Schedule(cliName, chunks, PipelineLayout.dualPipeV(ranks, chunks), ops);
    }

    private static Op virtual(boolean forward, int k, int ranks, int v) {
        int group = (k / ranks) % v;
        int mb = (k / (ranks * v)) * ranks + k % ranks;
        return forward ? Op.forward(group, mb) : Op.backward(v - 1 - group, mb);
    }
}
