package io.parabench.analysis.metrics;

import java.util.Arrays;

/**
 * A set of time as disjoint, sorted, non-empty half-open intervals {@code [start, end)} in
 * nanoseconds: the union of some events. Every "busy" metric is the {@link #totalNs()} of one.
 *
 * <p>Built in O(n log n) from unsorted, overlapping intervals by sorting starts and ends
 * separately and sweeping a depth counter, so no per-interval objects are made. Immutable.
 */
public final class IntervalSet {
    private static final IntervalSet EMPTY = new IntervalSet(new long[0], new long[0], 0);

    private final long[] starts;
    private final long[] ends;
    private final int size;

    private IntervalSet(long[] starts, long[] ends, int size) {
        this.starts = starts;
        this.ends = ends;
        this.size = size;
    }

    public static IntervalSet empty() {
        return EMPTY;
    }

    /**
     * The union of the first {@code n} intervals {@code [starts[i], ends[i])}. The arrays are
     * sorted and overwritten in place (callers pass scratch copies): the k-th merged interval
     * is written at index k, which the sweep has always consumed by then, so no second pair of
     * arrays is needed.
     */
    static IntervalSet unionOf(long[] starts, long[] ends, int n) {
        Arrays.sort(starts, 0, n);
        Arrays.sort(ends, 0, n);
        long[] outS = starts;
        long[] outE = ends;
        int out = 0;
        int depth = 0;
        long open = 0;
        int i = 0;
        int j = 0;
        while (j < n) {
            // starts before ends at equal times, so touching intervals merge into one
            if (i < n && starts[i] <= ends[j]) {
                if (depth++ == 0) {
                    open = starts[i];
                }
                i++;
            } else {
                if (--depth == 0 && ends[j] > open) {
                    outS[out] = open;
                    outE[out] = ends[j];
                    out++;
                }
                j++;
            }
        }
        return new IntervalSet(Arrays.copyOf(outS, out), Arrays.copyOf(outE, out), out);
    }

    /** The union of explicit intervals given as {start0, end0, start1, end1, …} (for tests and small sets). */
    public static IntervalSet of(long... startEndPairs) {
        if (startEndPairs.length % 2 != 0) {
            throw new IllegalArgumentException("interval bounds (" + startEndPairs.length + " values) must come in pairs");
        }
        int n = startEndPairs.length / 2;
        long[] s = new long[n];
        long[] e = new long[n];
        for (int k = 0; k < n; k++) {
            s[k] = startEndPairs[2 * k];
            e[k] = startEndPairs[2 * k + 1];
            if (e[k] < s[k]) {
                throw new IllegalArgumentException("interval end (" + e[k] + ") must be >= start (" + s[k] + ")");
            }
        }
        return unionOf(s, e, n);
    }

    public int size() {
        return size;
    }

    public long start(int i) {
        return starts[i];
    }

    public long end(int i) {
        return ends[i];
    }

    /** Total length in nanoseconds. */
    public long totalNs() {
        long total = 0;
        for (int k = 0; k < size; k++) {
            total += ends[k] - starts[k];
        }
        return total;
    }

    /** Length of the time in both sets. */
    public long overlapNs(IntervalSet other) {
        long total = 0;
        int i = 0;
        int j = 0;
        while (i < size && j < other.size) {
            long lo = Math.max(starts[i], other.starts[j]);
            long hi = Math.min(ends[i], other.ends[j]);
            if (hi > lo) {
                total += hi - lo;
            }
            if (ends[i] < other.ends[j]) {
                i++;
            } else {
                j++;
            }
        }
        return total;
    }

    /** The part of this set inside {@code [from, to)}. */
    public IntervalSet clip(long from, long to) {
        long[] s = new long[Math.max(1, size)];
        long[] e = new long[Math.max(1, size)];
        int n = 0;
        for (int k = 0; k < size; k++) {
            long lo = Math.max(starts[k], from);
            long hi = Math.min(ends[k], to);
            if (hi > lo) {
                s[n] = lo;
                e[n] = hi;
                n++;
            }
        }
        return new IntervalSet(s, e, n);
    }

    /** The time in {@code [from, to)} not in this set: the idle gaps (pipeline bubbles). */
    public IntervalSet gaps(long from, long to) {
        long[] s = new long[size + 1];
        long[] e = new long[size + 1];
        int n = 0;
        long cursor = from;
        for (int k = 0; k < size && cursor < to; k++) {
            if (ends[k] <= cursor) {
                continue;
            }
            if (starts[k] > cursor) {
                s[n] = cursor;
                e[n] = Math.min(starts[k], to);
                n++;
            }
            cursor = Math.max(cursor, ends[k]);
        }
        if (cursor < to) {
            s[n] = cursor;
            e[n] = to;
            n++;
        }
        return new IntervalSet(s, e, n);
    }

    /**
     * The same set with gaps shorter than {@code minGapNs} filled: what a chart a few thousand
     * pixels wide can show, with a bounded number of intervals.
     */
    public IntervalSet bridgeGaps(long minGapNs) {
        long[] s = new long[Math.max(1, size)];
        long[] e = new long[Math.max(1, size)];
        int n = 0;
        for (int k = 0; k < size; k++) {
            if (n > 0 && starts[k] - e[n - 1] < minGapNs) {
                e[n - 1] = ends[k];
            } else {
                s[n] = starts[k];
                e[n] = ends[k];
                n++;
            }
        }
        return new IntervalSet(s, e, n);
    }

    /** Equal when both hold exactly the same time. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IntervalSet)) {
            return false;
        }
        IntervalSet other = (IntervalSet) o;
        return size == other.size && Arrays.equals(starts, 0, size, other.starts, 0, size)
                && Arrays.equals(ends, 0, size, other.ends, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int k = 0; k < size; k++) {
            h = 31 * h + Long.hashCode(starts[k]);
            h = 31 * h + Long.hashCode(ends[k]);
        }
        return h;
    }

    @Override
    public String toString() {
        return size + " intervals, " + totalNs() + " ns";
    }
}
