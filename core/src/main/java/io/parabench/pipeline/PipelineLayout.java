package io.parabench.pipeline;

import java.util.Arrays;

/**
 * Where the stages of a pipeline live: which (rank, local chunk) runs each stage, and how many
 * micro-batches flow through it.
 *
 * <p>A layout has one or more <em>flows</em>. A flow is a chain of stages that micro-batches
 * pass through in order (forward from stage 0 to the last, backward the other way). 1F1B, ZB1P
 * and GPipe have one flow of {@code P} stages, one per rank; interleaved 1F1B one flow of
 * {@code v·P} stages, stage {@code c·P + r} on rank {@code r}; DualPipeV one flow of {@code 2P}
 * stages folded into a V (stage {@code s < P} on rank {@code s} chunk 0, stage {@code s >= P} on
 * rank {@code 2P-1-s} chunk 1); DualPipe two flows, one per direction, each of {@code P} stages
 * (direction 0 enters at rank 0, direction 1 at rank {@code P-1}), with half the micro-batches
 * each. Every (rank, local chunk) runs exactly one stage of one flow.
 *
 * <p>Immutable and thread-safe.
 */
public final class PipelineLayout {
    private final int ranks;
    private final int chunksPerRank;
    private final int[] flowOfSlot;
    private final int[] stageOfSlot;
    private final int[][] rankOfStage;
    private final int[][] chunkOfStage;
    private final int[] microBatches;

    private PipelineLayout(int ranks, int chunksPerRank, int[][] rankOfStage, int[][] chunkOfStage, int[] microBatches) {
        this.ranks = ranks;
        this.chunksPerRank = chunksPerRank;
        this.rankOfStage = rankOfStage;
        this.chunkOfStage = chunkOfStage;
        this.microBatches = microBatches;
        this.flowOfSlot = new int[ranks * chunksPerRank];
        this.stageOfSlot = new int[ranks * chunksPerRank];
        Arrays.fill(flowOfSlot, -1);
        for (int flow = 0; flow < rankOfStage.length; flow++) {
            for (int stage = 0; stage < rankOfStage[flow].length; stage++) {
                int slot = rankOfStage[flow][stage] * chunksPerRank + chunkOfStage[flow][stage];
                if (flowOfSlot[slot] >= 0) {
                    throw new IllegalStateException("two stages placed on rank " + rankOfStage[flow][stage]
                            + " chunk " + chunkOfStage[flow][stage]);
                }
                flowOfSlot[slot] = flow;
                stageOfSlot[slot] = stage;
            }
        }
    }

    /** One stage per rank, stage {@code r} on rank {@code r} (1F1B, ZB1P, GPipe). */
    public static PipelineLayout oneStagePerRank(int ranks, int microBatches) {
        return interleaved(ranks, 1, microBatches);
    }

    /** {@code v} stages per rank, stage {@code c·P + r} on rank {@code r}, chunk {@code c}. */
    public static PipelineLayout interleaved(int ranks, int virtualStages, int microBatches) {
        int stages = ranks * virtualStages;
        int[] rank = new int[stages];
        int[] chunk = new int[stages];
        for (int s = 0; s < stages; s++) {
            rank[s] = s % ranks;
            chunk[s] = s / ranks;
        }
        return new PipelineLayout(ranks, virtualStages, new int[][]{rank}, new int[][]{chunk}, new int[]{microBatches});
    }

    /** DualPipe: two directions of {@code P} stages, {@code microBatchesPerDirection} each. */
    public static PipelineLayout dualPipe(int ranks, int microBatchesPerDirection) {
        int[][] rank = new int[2][ranks];
        int[][] chunk = new int[2][ranks];
        for (int s = 0; s < ranks; s++) {
            rank[0][s] = s;
            chunk[0][s] = 0;
            rank[1][s] = ranks - 1 - s;
            chunk[1][s] = 1;
        }
        return new PipelineLayout(ranks, 2, rank, chunk, new int[]{microBatchesPerDirection, microBatchesPerDirection});
    }

    /** DualPipeV: one flow of {@code 2P} stages folded into a V over the ranks. */
    public static PipelineLayout dualPipeV(int ranks, int microBatches) {
        int[] rank = new int[2 * ranks];
        int[] chunk = new int[2 * ranks];
        for (int s = 0; s < 2 * ranks; s++) {
            rank[s] = s < ranks ? s : 2 * ranks - 1 - s;
            chunk[s] = s < ranks ? 0 : 1;
        }
        return new PipelineLayout(ranks, 2, new int[][]{rank}, new int[][]{chunk}, new int[]{microBatches});
    }

    /**
     * The layout in which rank {@code r} holds exactly the stages {@code held.get(r)} of one
     * flow: one stage per rank (stage r on rank r), a V (stages r and 2P−1−r) or interleaved
     * (stages c·P + r).
     *
     * @param what names the input in the error when no layout places the stages so
     */
    public static PipelineLayout ofPlacement(java.util.List<? extends java.util.SortedSet<Integer>> held, int stages,
                                             int microBatches, String what) {
        int ranks = held.size();
        java.util.List<PipelineLayout> candidates = new java.util.ArrayList<>();
        if (ranks > 0 && stages % ranks == 0) {
            candidates.add(interleaved(ranks, stages / ranks, microBatches));
            if (stages == 2 * ranks) {
                candidates.add(dualPipeV(ranks, microBatches));
            }
        }
        for (PipelineLayout layout : candidates) {
            boolean fits = true;
            for (int r = 0; r < ranks && fits; r++) {
                java.util.TreeSet<Integer> expected = new java.util.TreeSet<>();
                for (int c = 0; c < layout.chunksPerRank; c++) {
                    expected.add(layout.stageOfSlot[r * layout.chunksPerRank + c]);
                }
                fits = expected.equals(held.get(r));
            }
            if (fits) {
                return layout;
            }
        }
        throw new IllegalArgumentException(what + ": stages held per rank " + held + " must be one stage per rank,"
                + " a V (stages r and 2P-1-r on rank r) or interleaved (stages c*P+r on rank r)");
    }

    public int ranks() {
        return ranks;
    }

    /** Local chunks (stages) each rank holds: its parameters, in stages. */
    public int chunksPerRank() {
        return chunksPerRank;
    }

    public int flows() {
        return rankOfStage.length;
    }

    public int stages(int flow) {
        return rankOfStage[flow].length;
    }

    public int microBatches(int flow) {
        return microBatches[flow];
    }

    /** The flow that (rank, chunk) belongs to. */
    public int flow(int rank, int chunk) {
        return flowOfSlot[slot(rank, chunk)];
    }

    /** The stage index within its flow that (rank, chunk) runs. */
    public int stage(int rank, int chunk) {
        return stageOfSlot[slot(rank, chunk)];
    }

    public int rankOf(int flow, int stage) {
        return rankOfStage[flow][stage];
    }

    public int chunkOf(int flow, int stage) {
        return chunkOfStage[flow][stage];
    }

    /** Stages of all flows together: the model's stage count (DualPipe counts each direction). */
    public int totalStages() {
        int n = 0;
        for (int[] flow : rankOfStage) {
            n += flow.length;
        }
        return n;
    }

    private int slot(int rank, int chunk) {
        if (rank < 0 || rank >= ranks || chunk < 0 || chunk >= chunksPerRank) {
            throw new IllegalArgumentException("chunk (" + chunk + ") on rank " + rank + " must be in 0.."
                    + (chunksPerRank - 1) + " on ranks 0.." + (ranks - 1));
        }
        return rank * chunksPerRank + chunk;
    }
}
