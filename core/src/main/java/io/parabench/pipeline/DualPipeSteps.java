package io.parabench.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The eight steps of DeepSeek's reference {@code DualPipe.step()} and {@code DualPipeV.step()}
 * (github.com/deepseek-ai/DualPipe, {@code dualpipe.py} and {@code dualpipev.py}), replayed for
 * one rank to record the order of its compute operations.
 *
 * <p>Both reference classes run the same steps; they differ only in the numbers plugged in.
 * DualPipe works on half the ranks and half the chunks (each rank is the {@code half_rank}-th
 * from its end of the pipe, and ranks in the second half swap phases 0 and 1 so that the phase
 * becomes the direction); DualPipeV uses the rank and all chunks directly and never swaps.
 * Communication calls of the reference are left out: they do not change the compute order.
 *
 * <p>Weight gradients deferred by a zero-bubble backward ({@code enable_zb=True}) are queued
 * first-in first-out, as {@code WeightGradStore} does, and each weight step pops the oldest.
 */
final class DualPipeSteps {
    private final boolean swapPhases;
    private final List<Op> ops = new ArrayList<>();
    private final int[] nextForward = new int[2];
    private final int[] nextBackward = new int[2];
    private final ArrayDeque<Op> deferredWeights = new ArrayDeque<>();

    private DualPipeSteps(boolean swapPhases) {
        this.swapPhases = swapPhases;
    }

    /**
     * Replays {@code step()} for one rank.
     *
     * @param n            {@code num_half_ranks} (DualPipe) or {@code num_ranks} (DualPipeV)
     * @param h            {@code half_rank} (DualPipe) or {@code rank} (DualPipeV)
     * @param chunks       {@code half_num_chunks} (DualPipe) or {@code num_chunks} (DualPipeV)
     * @param turningRank  {@code is_middle_rank} (DualPipe) or {@code is_last_rank} (DualPipeV):
     *                     the rank whose first main-step pair is not overlapped
     * @param swapPhases   {@code is_in_second_half} (DualPipe only)
     */
    static List<Op> replay(int n, int h, int chunks, boolean turningRank, boolean swapPhases) {
        DualPipeSteps s = new DualPipeSteps(swapPhases);
        // Step 1: nF0
        for (int i = 0; i < (n - h - 1) * 2; i++) {
            s.forward(0);
        }
        // Step 2: nF0F1
        for (int i = 0; i < h + 1; i++) {
            s.forward(0);
            s.forward(1);
        }
        // Step 3: nB1W1F1 (zero bubble)
        for (int i = 0; i < n - h - 1; i++) {
            s.backward(1, true);
            s.weight();
            s.forward(1);
        }
        // Step 4 (main step): nF0B1F1B0
        int step4 = chunks - 2 * n + h + 1;
        for (int i = 0; i < step4; i++) {
            if (i == 0 && turningRank) {
                // the reference does not overlap these two, to shrink the bubble further
                s.forward(0);
                s.backward(1, false);
            } else {
                s.forwardBackward(0, 1);
            }
            s.forwardBackward(1, 0);
        }
        // Step 5: nB1F1B0
        for (int i = 0; i < n - h - 1; i++) {
            s.backward(1, false);
            s.forwardBackward(1, 0);
        }
        // Step 6: nB1B0, the second half of the chunks with zero bubble
        int step6 = h + 1;
        boolean zeroBubble = false;
        for (int i = 0; i < step6; i++) {
            if (i == step6 / 2 && h % 2 == 1) {
                zeroBubble = true;
            }
            s.backward(1, zeroBubble);
            if (i == step6 / 2 && h % 2 == 0) {
                zeroBubble = true;
            }
            s.backward(0, zeroBubble);
        }
        // Step 7: nWB0 (zero bubble)
        for (int i = 0; i < n - h - 1; i++) {
            s.weight();
            s.backward(0, true);
        }
        // Step 8: nW
        for (int i = 0; i < h + 1; i++) {
            s.weight();
        }
        if (!s.deferredWeights.isEmpty()) {
            throw new IllegalStateException("weight gradients left over: " + s.deferredWeights);
        }
        return s.ops;
    }

    private int chunk(int phase) {
        return swapPhases ? phase ^ 1 : phase;
    }

    private void forward(int phase) {
        int c = chunk(phase);
        ops.add(Op.forward(c, nextForward[c]++));
    }

    private void backward(int phase, boolean zeroBubble) {
        int c = chunk(phase);
        int mb = nextBackward[c]++;
        if (zeroBubble) {
            ops.add(Op.backwardInput(c, mb));
            deferredWeights.add(Op.weight(c, mb));
        } else {
            ops.add(Op.backward(c, mb));
        }
    }

    private void forwardBackward(int forwardPhase, int backwardPhase) {
        int f = chunk(forwardPhase);
        int b = chunk(backwardPhase);
        ops.add(Op.forwardBackward(f, nextForward[f]++, b, nextBackward[b]++));
    }

    private void weight() {
        Op w = deferredWeights.poll();
        if (w == null) {
            throw new IllegalStateException("weight step with no deferred weight gradient");
        }
        ops.add(w);
    }
}
