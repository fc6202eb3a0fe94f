package io.parabench.analysis.predict;

import java.util.Locale;

/** How a measured per-stage cost carries over to a target with another number of stages. */
public enum StageCost {
    /** The same model re-cut evenly: DualPipeV's 2P stages each cost half a 1F1B stage. */
    SPLIT,
    /** Each stage keeps its measured cost: a target with more stages is a proportionally bigger model. */
    MEASURED;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
