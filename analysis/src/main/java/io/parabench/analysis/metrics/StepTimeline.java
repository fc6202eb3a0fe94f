package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Set;

/**
 * The computation kernels of one pipeline rank, kept as the step window of {@link PipelineMetrics}
 * needs them, so that the window and the rank's busy time inside it can be worked out without the
 * trace: what a per-rank summary carries from a Spark task to the driver.
 *
 * <p>The step window depends on every rank (it starts at the earliest step annotation of any rank,
 * S, and spans the computation kernels starting at or after S), so a rank cannot know it alone.
 * It measures itself from a threshold T known to be ≥ S — its own earliest step annotation start,
 * or S itself once known, or {@code Long.MIN_VALUE} for the whole trace — and keeps:
 * <ul>
 *   <li>A = first start and B = last end of its computation kernels starting at or after T;</li>
 *   <li>the kernels starting before T (their starts, and the latest end from each on), from which
 *       its first start and last end after any S ≤ T follow;</li>
 *   <li>its computation union outside [A, B) as intervals, and inside it as one total: every window
 *       [a, b) built over all ranks has a ≤ A and b ≥ B (A and B are among the candidates the
 *       window is the min and max of), so the inside always counts whole.</li>
 * </ul>
 * Size: O(kernels before T + union intervals outside [A, B)), a few intervals for a trace whose
 * step annotation opens the profile; the full union is kept only in memory ({@link #computationIn}),
 * for charts, and dropped by {@link #compact()}.
 *
 * <p>Immutable; serialisable.
 */
public final class StepTimeline implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long thresholdNs;
    private final long firstStartNs;
    private final long lastEndNs;
    private final long[] earlyStartsNs;
    private final long[] earlyLatestEndNs;
    private final long[] outsideStartsNs;
    private final long[] outsideEndsNs;
    private final long insideNs;
    private final transient IntervalSet union;

    private StepTimeline(long thresholdNs, long firstStartNs, long lastEndNs, long[] earlyStartsNs,
                         long[] earlyLatestEndNs, long[] outsideStartsNs, long[] outsideEndsNs, long insideNs,
                         IntervalSet union) {
        this.thresholdNs = thresholdNs;
        this.firstStartNs = firstStartNs;
        this.lastEndNs = lastEndNs;
        this.earlyStartsNs = earlyStartsNs;
        this.earlyLatestEndNs = earlyLatestEndNs;
        this.outsideStartsNs = outsideStartsNs;
        this.outsideEndsNs = outsideEndsNs;
        this.insideNs = insideNs;
        this.union = union;
    }

    /**
     * The computation kernels of {@code devices} in {@code trace}, measured from {@code thresholdNs}.
     * Classes as in {@link TraceMetrics}: memcpy/memset and communication kernels are not computation.
     */
    public static StepTimeline of(Trace trace, Set<Integer> devices, KernelClassifier classifier, long thresholdNs) {
        return of(TraceDevices.of(trace, new AnalysisOptions(classifier, null, 1)), devices, thresholdNs);
    }

    /**
     * The same from a trace already prepared (names classified and events grouped by device once),
     * so a file of many devices costs O(its events), not O(devices × events).
     */
    public static StepTimeline of(TraceDevices trace, Set<Integer> devices, long thresholdNs) {
        GpuEvents e = trace.trace().gpuEvents();
        int[] events = trace.eventsOf(devices);
        long[] s = new long[events.length];
        long[] en = new long[events.length];
        long[] earlyS = new long[16];
        long[] earlyE = new long[16];
        int m = 0;
        int early = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i : events) {
            if (trace.classOf(i) == KernelClass.COMPUTATION) {
                s[m] = e.startNs(i);
                en[m] = e.endNs(i);
                if (s[m] >= thresholdNs) {
                    first = Math.min(first, s[m]);
                    last = Math.max(last, en[m]);
                } else {
                    if (early == earlyS.length) {
                        earlyS = Arrays.copyOf(earlyS, early * 2);
                        earlyE = Arrays.copyOf(earlyE, early * 2);
                    }
                    earlyS[early] = s[m];
                    earlyE[early] = en[m];
                    early++;
                }
                m++;
            }
        }
        long[][] sorted = sortedByStart(earlyS, earlyE, early);
        IntervalSet union = IntervalSet.unionOf(s, en, m);
        boolean any = first <= last;
        IntervalSet before = any ? union.clip(Long.MIN_VALUE, first) : union;
        IntervalSet after = any ? union.clip(last, Long.MAX_VALUE) : IntervalSet.empty();
        long[] outS = new long[before.size() + after.size()];
        long[] outE = new long[outS.length];
        for (int k = 0; k < before.size(); k++) {
            outS[k] = before.start(k);
            outE[k] = before.end(k);
        }
        for (int k = 0; k < after.size(); k++) {
            outS[before.size() + k] = after.start(k);
            outE[before.size() + k] = after.end(k);
        }
        return new StepTimeline(thresholdNs, first, last, sorted[0], sorted[1], outS, outE,
                any ? union.clip(first, last).totalNs() : 0, union);
    }

    /** Sorts the early kernels by start and turns their ends into "latest end from here on". */
    private static long[][] sortedByStart(long[] s, long[] e, int n) {
        long[] packed = new long[n];
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (x, y) -> Long.compare(s[x], s[y]));
        long[] starts = new long[n];
        long[] latest = new long[n];
        for (int k = 0; k < n; k++) {
            starts[k] = s[order[k]];
            packed[k] = e[order[k]];
        }
        long max = Long.MIN_VALUE;
        for (int k = n - 1; k >= 0; k--) {
            max = Math.max(max, packed[k]);
            latest[k] = max;
        }
        return new long[][] {starts, latest};
    }

    /** The threshold T this timeline was measured from. */
    public long thresholdNs() {
        return thresholdNs;
    }

    /**
     * First start of a computation kernel starting at or after {@code stepStartNs}, or
     * {@code Long.MAX_VALUE} when none does.
     *
     * @throws IllegalStateException when {@code stepStartNs} is after the threshold
     */
    public long firstStartAfter(long stepStartNs) {
        requireAtMostThreshold(stepStartNs);
        int k = lowerBound(stepStartNs);
        return k < earlyStartsNs.length ? Math.min(firstStartNs, earlyStartsNs[k]) : firstStartNs;
    }

    /**
     * Last end of the computation kernels starting at or after {@code stepStartNs}, or
     * {@code Long.MIN_VALUE} when none does.
     *
     * @throws IllegalStateException when {@code stepStartNs} is after the threshold
     */
    public long lastEndAfter(long stepStartNs) {
        requireAtMostThreshold(stepStartNs);
        int k = lowerBound(stepStartNs);
        return k < earlyStartsNs.length ? Math.max(lastEndNs, earlyLatestEndNs[k]) : lastEndNs;
    }

    private void requireAtMostThreshold(long stepStartNs) {
        if (stepStartNs > thresholdNs) {
            throw new IllegalStateException("step start (" + stepStartNs + " ns) must be <= the threshold this rank"
                    + " was measured from (" + thresholdNs + " ns)");
        }
    }

    /** Index of the first early kernel starting at or after {@code t}. */
    private int lowerBound(long t) {
        int lo = 0;
        int hi = earlyStartsNs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (earlyStartsNs[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * |union of computation kernels ∩ [fromNs, toNs)|.
     *
     * @throws IllegalStateException when the window does not cover [A, B) (see the class comment)
     */
    public long busyIn(long fromNs, long toNs) {
        if (firstStartNs <= lastEndNs && (fromNs > firstStartNs || toNs < lastEndNs)) {
            throw new IllegalStateException("window [" + fromNs + ", " + toNs + ") must cover the rank's own step ["
                    + firstStartNs + ", " + lastEndNs + ")");
        }
        long total = insideNs;
        for (int k = 0; k < outsideStartsNs.length; k++) {
            long lo = Math.max(outsideStartsNs[k], fromNs);
            long hi = Math.min(outsideEndsNs[k], toNs);
            if (hi > lo) {
                total += hi - lo;
            }
        }
        return total;
    }

    /**
     * The union of computation kernels inside [fromNs, toNs), for charts.
     *
     * @throws IllegalStateException after {@link #compact()} or deserialisation
     */
    public IntervalSet computationIn(long fromNs, long toNs) {
        if (union == null) {
            throw new IllegalStateException("a compact step timeline keeps no intervals to chart");
        }
        return union.clip(fromNs, toNs);
    }

    /** The same timeline without the full union: what travels between machines. */
    public StepTimeline compact() {
        return union == null ? this : new StepTimeline(thresholdNs, firstStartNs, lastEndNs, earlyStartsNs,
                earlyLatestEndNs, outsideStartsNs, outsideEndsNs, insideNs, null);
    }

    /** Whether {@link #computationIn} can answer. */
    public boolean hasIntervals() {
        return union != null;
    }
}
