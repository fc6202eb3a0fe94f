package io.parabench.analysis.metrics;

import java.util.List;

/**
 * Pipeline bubbles of one step across ranks.
 *
 * <p>Definitions: the step window begins at the earliest start, over all ranks, of the step
 * annotation ({@code --step NAME}; by default {@code ProfilerStep#…} when present, else
 * {@code sim:STEP} when present, else the whole trace) and runs from the first to the last
 * computation kernel starting after it, over all ranks (ranks of one host share a clock). Per
 * rank, bubble = window − union of its computation kernels clipped to the window.
 * Communication kernels do not count as busy: blocking NCCL send/recv kernels spin while they
 * wait. {@code bubble_rate} = mean bubble ÷ window.
 *
 * @param stepAnnotation the step annotation pattern used, or null for the whole trace
 * @param windowStartNs  first computation kernel start in the window
 * @param windowEndNs    last computation kernel end in the window
 * @param ranks          per-rank busy and bubble, by rank
 */
public record PipelineMetrics(String stepAnnotation, long windowStartNs, long windowEndNs, List<RankBubble> ranks) {
    public PipelineMetrics {
        ranks = List.copyOf(ranks);
        for (RankBubble r : ranks) {
            if (r.bubbleNs() < 0 || r.computeBusyNs() > windowEndNs - windowStartNs) {
                throw new IllegalStateException("rank " + r.rank() + " is busy longer than the step window");
            }
        }
    }

    public long stepNs() {
        return windowEndNs - windowStartNs;
    }

    public double stepUs() {
        return stepNs() / 1000.0;
    }

    /** Mean bubble ÷ window; NaN for an empty window. */
    public double bubbleRate() {
        if (ranks.isEmpty() || stepNs() == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (RankBubble r : ranks) {
            sum += r.bubbleNs();
        }
        return sum / ranks.size() / stepNs();
    }
}
