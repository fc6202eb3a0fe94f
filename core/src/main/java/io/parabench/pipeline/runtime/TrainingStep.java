package io.parabench.pipeline.runtime;

import io.parabench.gpu.Launch;

import java.util.List;

/**
 * What one pipelined training step computed and how it lay on the virtual clock.
 *
 * @param losses       MSE loss of each micro-batch (NaN after a timing-only run), numbered over the whole step (for DualPipe,
 *                     direction 0's micro-batches first, then direction 1's)
 * @param gradients    per model stage, the weight gradients summed in micro-batch order (empty
 *                     after a timing-only run)
 * @param stepNs       virtual time at which the last stream of the last device went idle
 * @param opLaunches   per rank, each schedule op's span on the compute stream (its
 *                     {@code user_annotation}), in schedule order
 * @param copyLaunches per rank, every activation or gradient copy it sent on its comm stream
 * @param peakBytes    per rank, the device's peak memory
 */
public record TrainingStep(float[] losses, List<StageGradients> gradients, long stepNs,
                           List<List<Launch>> opLaunches, List<List<Launch>> copyLaunches, long[] peakBytes) {

    public int ranks() {
        return opLaunches.size();
    }

    /**
     * Virtual time rank {@code r}'s compute stream spent running ops. An op's span holds only its
     * kernels, back to back: waits for inputs happen before the span opens.
     */
    public long computeBusyNs(int rank) {
        long busy = 0;
        for (Launch l : opLaunches.get(rank)) {
            busy += l.durationNs();
        }
        return busy;
    }

    /** Fraction of the step rank {@code r}'s compute stream sat idle: {@code 1 − busy / step}. */
    public double bubble(int rank) {
        return stepNs == 0 ? 0 : 1 - (double) computeBusyNs(rank) / stepNs;
    }

    /** Mean of the loss over micro-batches, summed in micro-batch order. */
    public double meanLoss() {
        double sum = 0;
        for (float l : losses) {
            sum += l;
        }
        return sum / losses.length;
    }
}
