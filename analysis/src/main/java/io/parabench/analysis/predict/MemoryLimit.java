package io.parabench.analysis.predict;

/**
 * What a rank's memory can hold, in one of two forms: a count of activations (in profiled-stage
 * units, as {@link Prediction#peakActivations()}), or bytes: a cap, the bytes of one profiled
 * stage's activations for one micro-batch, and the bytes of one profiled stage's parameters
 * (with their gradients and optimizer state, as the user counts them).
 *
 * @param maxActivations activations a rank may hold, or NaN when the limit is in bytes
 * @param capBytes       bytes a rank may use, or NaN
 * @param activationBytes bytes of one profiled-stage micro-batch activation
 * @param parameterBytes  bytes of one profiled stage's parameters
 */
public record MemoryLimit(double maxActivations, double capBytes, double activationBytes, double parameterBytes) {
    public MemoryLimit {
        if (Double.isNaN(maxActivations) == Double.isNaN(capBytes)) {
            throw new IllegalArgumentException("give either --max-activations or --memory-cap"
                    + " (with --activation-bytes and --param-bytes), not both");
        }
        if (!Double.isNaN(maxActivations) && !(maxActivations > 0)) {
            throw new IllegalArgumentException("--max-activations (" + maxActivations + ") must be > 0");
        }
        if (!Double.isNaN(capBytes) && (!(capBytes > 0) || !(activationBytes > 0) || !(parameterBytes >= 0))) {
            throw new IllegalArgumentException("--memory-cap (" + capBytes + " bytes) and --activation-bytes ("
                    + activationBytes + ") must be > 0 and --param-bytes (" + parameterBytes + ") >= 0");
        }
    }

    public static MemoryLimit activations(double max) {
        return new MemoryLimit(max, Double.NaN, Double.NaN, Double.NaN);
    }

    public static MemoryLimit bytes(double cap, double activationBytes, double parameterBytes) {
        return new MemoryLimit(Double.NaN, cap, activationBytes, parameterBytes);
    }

    public boolean inBytes() {
        return Double.isNaN(maxActivations);
    }

    /** The memory a rank needs for peak activations and parameters, in this limit's unit. */
    public double need(double peakActivations, double parameters) {
        return inBytes() ? peakActivations * activationBytes + parameters * parameterBytes : peakActivations;
    }

    public double limit() {
        return inBytes() ? capBytes : maxActivations;
    }
}
