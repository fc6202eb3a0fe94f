package io.parabench.analysis.rank;

import java.io.Serializable;

/**
 * The step annotation a pipeline is measured from, decided over all ranks: its pattern (null for
 * the whole trace) and S, its earliest start on any rank ({@code Long.MIN_VALUE} for the whole
 * trace). See {@link io.parabench.analysis.metrics.PipelineMetrics} for the definition.
 *
 * @param pattern     step pattern, or null
 * @param stepStartNs S
 */
public record StepChoice(String pattern, long stepStartNs) implements Serializable {
    /** The whole trace: no step annotation. */
    public static final StepChoice WHOLE_TRACE = new StepChoice(null, Long.MIN_VALUE);
}
