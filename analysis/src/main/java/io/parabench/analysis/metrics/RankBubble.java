package io.parabench.analysis.metrics;

/**
 * One rank's share of a pipeline step.
 *
 * @param rank          pipeline rank
 * @param computeBusyNs union of the rank's computation kernels inside the step window
 * @param bubbleNs      step window − computeBusyNs
 * @param computation   the rank's computation time inside the window (for Gantt charts); null when
 *                      it was computed from compact per-rank summaries, which keep no intervals
 */
public record RankBubble(int rank, long computeBusyNs, long bubbleNs, IntervalSet computation) implements java.io.Serializable {
    public double computeBusyUs() {
        return computeBusyNs / 1000.0;
    }

    public double bubbleUs() {
        return bubbleNs / 1000.0;
    }
}
