package io.parabench.analysis.predict;

import java.util.List;

/**
 * The outcome of a plan search.
 *
 * @param best       the fitting configuration with the least predicted time per micro-batch
 *                   (ties: less memory, then search order), or null when nothing fits
 * @param pareto     fitting configurations no other one beats on both time per micro-batch and
 *                   memory, by memory ascending
 * @param configurations configurations in the search space that the generators accept
 * @param fitting    those whose memory fits
 * @param simulated  those the search simulated (the others could be ruled out by a bound)
 */
public record Plan(Candidate best, List<Candidate> pareto, int configurations, int fitting, int simulated) {
    public Plan {
        pareto = List.copyOf(pareto);
    }

    /**
     * One configuration of the search.
     *
     * @param kind          schedule kind
     * @param chunks        micro-batches
     * @param virtualStages stages per rank (interleaved), else 0
     * @param memory        the rank's memory need in the limit's unit
     * @param prediction    the simulated step
     */
    public record Candidate(String kind, int chunks, int virtualStages, double memory, Prediction prediction) {
        /** Predicted step time ÷ micro-batches (µs). */
        public double usPerMicroBatch() {
            return prediction.stepUs() / chunks;
        }
    }
}
