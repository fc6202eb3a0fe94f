package io.parabench.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable pipeline schedule: for every rank, the ordered list of operations it runs in one
 * training step, plus the {@link PipelineLayout} that says which stage each (rank, chunk) is.
 * The simulator and the pipeline runtime both consume this one object.
 *
 * @param kind    the generator's name ({@code dualpipe}, {@code 1f1b}, …) or {@code custom}
 * @param chunks  micro-batches in the step, as the generators count them (for DualPipe, both
 *                directions together, as DeepSeek's {@code num_chunks})
 * @param layout  stage placement
 * @param ops     per rank, the operations in order
 */
public record Schedule(String kind, int chunks, PipelineLayout layout, List<List<Op>> ops) {

    public Schedule {
        if (ops.size() != layout.ranks()) {
            throw new IllegalArgumentException("schedule has " + ops.size() + " rank lists; layout has "
                    + layout.ranks() + " ranks");
        }
        List<List<Op>> copy = new ArrayList<>(ops.size());
        for (List<Op> rankOps : ops) {
            copy.add(List.copyOf(rankOps));
        }
        ops = List.copyOf(copy);
    }

    public int ranks() {
        return layout.ranks();
    }

    public List<Op> ops(int rank) {
        return ops.get(rank);
    }

    /** Operations over all ranks; an overlapped pair counts once. */
    public int opCount() {
        int n = 0;
        for (List<Op> rankOps : ops) {
            n += rankOps.size();
        }
        return n;
    }

    /**
     * Peak number of stage-micro-batch activations held by {@code rank}: one is held from its
     * forward until its full backward or, when split, its weight gradient; counted after each
     * op, an overlapped F&B counting its forward first. It depends on the op order alone, so a
     * planner can drop what does not fit before simulating anything.
     */
    public int peakActivations(int rank) {
        int held = 0;
        int peak = 0;
        for (Op op : ops.get(rank)) {
            switch (op.kind()) {
                case FORWARD -> held++;
                case BACKWARD, WEIGHT -> held--;
                case BACKWARD_INPUT -> { }
                case FORWARD_BACKWARD -> {
                    held++;
                    peak = Math.max(peak, held);
                    held--;
                }
            }
            peak = Math.max(peak, held);
        }
        return peak;
    }

    /** Per rank, the tokens of its operations (the {@code ops} of the JSON form). */
    public List<List<String>> tokens() {
        List<List<String>> tokens = new ArrayList<>(ops.size());
        for (List<Op> rankOps : ops) {
            List<String> t = new ArrayList<>(rankOps.size());
            for (Op op : rankOps) {
                t.add(op.token());
            }
            tokens.add(t);
        }
        return tokens;
    }

    /** Parses per-rank token lists against a layout. */
    public static Schedule parse(String kind, int chunks, PipelineLayout layout, List<List<String>> tokens) {
        List<List<Op>> ops = new ArrayList<>(tokens.size());
        for (List<String> rankTokens : tokens) {
            List<Op> rankOps = new ArrayList<>(rankTokens.size());
            for (String token : rankTokens) {
                rankOps.add(Op.parse(token));
            }
            ops.add(rankOps);
        }
        return new Schedule(kind, chunks, layout, ops);
    }
}
