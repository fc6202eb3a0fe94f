package io.parabench.analysis.predict;

import io.parabench.pipeline.Timeline;

/**
 * A schedule simulated with costs measured from a profiled step.
 *
 * @param kind      schedule kind ({@code zbv}, …) or {@code replay}/{@code custom}
 * @param timeline  the simulated step (µs)
 * @param stageSize one of its stages, in stages of the profiled pipeline (DualPipeV split from
 *                  1F1B: 0.5; {@code --stage-cost measured}: 1)
 */
public record Prediction(String kind, Timeline timeline, double stageSize) {
    public int ranks() {
        return timeline.ranks();
    }

    public int chunks() {
        return timeline.schedule().chunks();
    }

    public double stepUs() {
        return timeline.makespan();
    }

    public double bubbleRate() {
        return timeline.bubbleRate();
    }

    /**
     * The largest peak over the ranks of the activations held, in micro-batch activations of one
     * profiled stage: what a rank's activation memory must hold, comparable across targets.
     */
    public double peakActivations() {
        int peak = 0;
        for (int r = 0; r < timeline.ranks(); r++) {
            peak = Math.max(peak, timeline.peakActivations(r));
        }
        return peak * stageSize;
    }

    /** Parameters a rank holds, in stages of the profiled pipeline (DualPipe keeps two copies). */
    public double parameters() {
        return timeline.parameterStages() * stageSize;
    }
}
