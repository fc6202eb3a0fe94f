package io.parabench.analysis.metrics;

/**
 * Which clock the analyses read event times on.
 *
 * <p>{@link #EXACT} keeps the trace's nanoseconds. {@link #HTA} rounds the way Holistic Trace
 * Analysis does when it loads a trace with fractional microseconds
 * ({@code hta/common/trace_parser.py:round_down_time_stamps}): the start up and the end
 * ({@code ts + dur}, added in double precision as pandas does) down to whole microseconds, so
 * an event shorter than a microsecond can get a duration of 0 or −1. With it, every figure can
 * be compared with HTA's one for one; without it they differ by up to about 2 µs per event.
 */
public enum TimeBase {
    /** The trace's own times, in nanoseconds. */
    EXACT,
    /** HTA's whole microseconds: start rounded up, end rounded down. */
    HTA;

    /** The start of an event that runs from {@code startNs} for {@code durNs}. */
    public long startNs(long startNs) {
        if (this == EXACT) {
            return startNs;
        }
        return Math.floorDiv(startNs, 1000) * 1000 + (Math.floorMod(startNs, 1000) == 0 ? 0 : 1000);
    }

    /** The end of an event that runs from {@code startNs} for {@code durNs}. */
    public long endNs(long startNs, long durNs) {
        if (this == EXACT) {
            return startNs + durNs;
        }
        // ts and dur are doubles of their decimal text in pandas; ts + dur is rounded to a double
        double ts = Math.floorDiv(startNs, 1000) + Math.floorMod(startNs, 1000) / 1000.0;
        double end = ts + durNs / 1000.0;
        return (long) Math.floor(end) * 1000;
    }
}
