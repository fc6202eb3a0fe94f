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

    /**
     * The step window and each rank's bubble from the ranks' computation timelines (the
     * definition above); the one place both the in-memory analysis and the per-rank reduce
     * compute it.
     *
     * @param stepAnnotation the step pattern in use, or null for the whole trace
     * @param stepStartNs    earliest start of that annotation over all ranks ({@code Long.MIN_VALUE}
     *                       for the whole trace); at most every timeline's threshold
     * @param ranks          rank numbers, in the order of {@code timelines}
     * @param timelines      each rank's computation kernels
     * @throws IllegalArgumentException when no computation kernel starts after the step start
     */
    public static PipelineMetrics of(String stepAnnotation, long stepStartNs, List<Integer> ranks,
                                     List<StepTimeline> timelines) {
        long windowStart = Long.MAX_VALUE;
        long windowEnd = Long.MIN_VALUE;
        for (StepTimeline t : timelines) {
            windowStart = Math.min(windowStart, t.firstStartAfter(stepStartNs));
            windowEnd = Math.max(windowEnd, t.lastEndAfter(stepStartNs));
        }
        if (windowStart == Long.MAX_VALUE) {
            throw new IllegalArgumentException("trace has no computation kernels"
                    + (stepAnnotation == null ? "" : " after the step annotation (" + stepAnnotation + ")")
                    + "; no pipeline step to measure");
        }
        java.util.ArrayList<RankBubble> out = new java.util.ArrayList<>();
        for (int k = 0; k < timelines.size(); k++) {
            StepTimeline t = timelines.get(k);
            long busy = t.busyIn(windowStart, windowEnd);
            out.add(new RankBubble(ranks.get(k), busy, windowEnd - windowStart - busy,
                    t.hasIntervals() ? t.computationIn(windowStart, windowEnd) : null));
        }
        return new PipelineMetrics(stepAnnotation, windowStart, windowEnd, out);
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
