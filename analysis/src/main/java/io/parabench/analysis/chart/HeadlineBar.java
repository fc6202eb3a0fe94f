package io.parabench.analysis.chart;

/**
 * One bar of a benchmark headline chart: a value of one series (legend entry) in one category
 * (axis position), with its 99.9% confidence interval when it was timed.
 *
 * @param series   legend entry, e.g. {@code dualpipe} or {@code vector}
 * @param category axis position, e.g. {@code P=16, 128 mb}
 * @param value    the value (score, rate, exact metric)
 * @param error    half-width of the 99.9% confidence interval; 0 for exact (computed) values,
 *                 NaN when JMH gave none (one iteration)
 * @param judged   false when the interval is too wide to tell a change of the gate's threshold:
 *                 drawn pale, "too short to judge"
 */
public record HeadlineBar(String series, String category, double value, double error, boolean judged) {
    public HeadlineBar {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("bar " + series + " / " + category + ": value (" + value
                    + ") must be finite");
        }
    }

    /** A computed value: no interval, always judged. */
    public static HeadlineBar exact(String series, String category, double value) {
        return new HeadlineBar(series, category, value, 0, true);
    }
}
