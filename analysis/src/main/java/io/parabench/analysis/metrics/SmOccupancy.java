package io.parabench.analysis.metrics;

/**
 * SM occupancy of one device over time, split into computation and communication.
 *
 * <p>Definition: a kernel occupies the SM count the emulator recorded ({@code args.sms}) when
 * present, else min(grid blocks, numSms); a kernel with neither is assumed to fill the device.
 * Concurrent kernels add up, capped at numSms; when the cap bites, communication keeps its SMs
 * (DeepEP's kernels hold a fixed SM reservation) and computation gets the rest. memcpy and
 * memset run on copy engines and occupy none. {@link #averageRatio()} is the time-weighted
 * average of the total over the device span, divided by numSms.
 *
 * <p>The timeline is a step function: segment {@code k} covers {@code [timeNs(k), timeNs(k+1))}.
 * Traces with more than {@value #MAX_EXACT_SEGMENTS} steps are resampled into
 * {@value #RESAMPLED_BINS} equal bins holding time-weighted averages, which is all a chart can
 * show and keeps the summary small; the average is always computed from the exact steps.
 *
 * <p>Immutable.
 */
public final class SmOccupancy implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    static final int MAX_EXACT_SEGMENTS = 4000;
    static final int RESAMPLED_BINS = 2000;

    private final int numSms;
    private final long[] timesNs;
    private final double[] computeSms;
    private final double[] commSms;
    private final double averageRatio;

    private SmOccupancy(int numSms, long[] timesNs, double[] computeSms, double[] commSms, double averageRatio) {
        this.numSms = numSms;
        this.timesNs = timesNs;
        this.computeSms = computeSms;
        this.commSms = commSms;
        this.averageRatio = averageRatio;
    }

    /** SMs one kernel occupies, per the definition above. */
    static int kernelSms(int recordedSms, int gridBlocks, int numSms) {
        if (recordedSms >= 0) {
            return Math.min(recordedSms, numSms);
        }
        if (gridBlocks >= 0) {
            return Math.min(gridBlocks, numSms);
        }
        return numSms;
    }

    /** Bits of a packed key that hold the kernel's SM count and class. */
    private static final int CODE_BITS = 12;
    private static final long COMM_FLAG = 1L << (CODE_BITS - 1);
    private static final long SMS_MASK = COMM_FLAG - 1;
    /** Longest span a packed key can hold: 2^51 ns, about 26 days. */
    static final long MAX_SPAN_NS = 1L << (63 - CODE_BITS);

    /**
     * Packs one kernel boundary into a sortable long: time since {@code originNs} in the high
     * bits, then the communication flag and the SM count (capped at 2047). Sorting these keys
     * orders boundaries by time with no index arrays, so a timeline costs 16 bytes per kernel.
     */
    static long key(long timeNs, long originNs, int sms, boolean comm) {
        long relative = timeNs - originNs;
        if (relative < 0 || relative >= MAX_SPAN_NS) {
            throw new IllegalArgumentException("kernel time (" + timeNs + " ns) must lie within 2^51 ns after the"
                    + " device's first GPU event (" + originNs + " ns) to chart SM occupancy");
        }
        return relative << CODE_BITS | (comm ? COMM_FLAG : 0) | Math.min(sms, SMS_MASK);
    }

    /**
     * Builds the timeline from packed kernel starts and ends ({@link #key}); sorts the arrays
     * in place. Two sweeps: the first counts the steps and the area, the second fills the
     * exact steps or the resampled bins.
     */
    static SmOccupancy of(int numSms, long originNs, long[] startKeys, long[] endKeys, int n,
                          long spanStartNs, long spanEndNs) {
        java.util.Arrays.sort(startKeys, 0, n);
        java.util.Arrays.sort(endKeys, 0, n);
        Sweep count = new Sweep(numSms, startKeys, endKeys, n, null);
        long span = spanEndNs - spanStartNs;
        double average = span > 0 && numSms > 0 ? count.area / span / numSms : Double.NaN;
        if (count.segments == 0) {
            return new SmOccupancy(numSms, new long[0], new double[0], new double[0], average);
        }
        if (count.segments <= MAX_EXACT_SEGMENTS) {
            Sweep exact = new Sweep(numSms, startKeys, endKeys, n, new Exact(count.segments, originNs));
            Exact e = (Exact) exact.sink;
            e.times[count.segments] = originNs + count.lastTime;
            return new SmOccupancy(numSms, e.times, e.compute, e.comm, average);
        }
        Bins bins = new Bins(originNs + count.firstTime, originNs + count.lastTime, originNs);
        new Sweep(numSms, startKeys, endKeys, n, bins);
        return new SmOccupancy(numSms, bins.edges, bins.finish(bins.compute), bins.finish(bins.comm), average);
    }

    /** Receives the steps of a sweep, times relative to the origin. */
    private interface Sink {
        void segment(int k, long from, long to, long compute, long comm);
    }

    private static final class Exact implements Sink {
        final long[] times;
        final double[] compute;
        final double[] comm;
        final long origin;

        Exact(int segments, long origin) {
            times = new long[segments + 1];
            compute = new double[segments];
            comm = new double[segments];
            this.origin = origin;
        }

        @Override
        public void segment(int k, long from, long to, long c, long m) {
            times[k] = origin + from;
            compute[k] = c;
            comm[k] = m;
        }
    }

    /** Time-weighted averages in {@value #RESAMPLED_BINS} equal bins. */
    private static final class Bins implements Sink {
        final long[] edges = new long[RESAMPLED_BINS + 1];
        final double[] compute = new double[RESAMPLED_BINS];
        final double[] comm = new double[RESAMPLED_BINS];
        final long origin;
        int bin;

        Bins(long from, long to, long origin) {
            for (int b = 0; b <= RESAMPLED_BINS; b++) {
                edges[b] = from + (long) ((double) (to - from) * b / RESAMPLED_BINS);
            }
            this.origin = origin;
        }

        @Override
        public void segment(int k, long from, long to, long c, long m) {
            long lo = origin + from;
            long hi = origin + to;
            while (bin < RESAMPLED_BINS && edges[bin + 1] <= lo) {
                bin++;
            }
            for (int b = bin; b < RESAMPLED_BINS && edges[b] < hi; b++) {
                long overlap = Math.min(hi, edges[b + 1]) - Math.max(lo, edges[b]);
                if (overlap > 0) {
                    compute[b] += (double) c * overlap;
                    comm[b] += (double) m * overlap;
                }
            }
        }

        double[] finish(double[] sums) {
            for (int b = 0; b < RESAMPLED_BINS; b++) {
                long width = edges[b + 1] - edges[b];
                sums[b] = width > 0 ? sums[b] / width : 0;
            }
            return sums;
        }
    }

    /** One pass over the sorted boundaries: levels between consecutive distinct times. */
    private static final class Sweep {
        final Sink sink;
        int segments;
        double area;
        long firstTime = -1;
        long lastTime;

        Sweep(int numSms, long[] starts, long[] ends, int n, Sink sink) {
            this.sink = sink;
            long compLevel = 0;
            long commLevel = 0;
            int i = 0;
            int j = 0;
            while (i < n || j < n) {
                long now = Math.min(i < n ? starts[i] >>> CODE_BITS : Long.MAX_VALUE, j < n ? ends[j] >>> CODE_BITS : Long.MAX_VALUE);
                if (firstTime < 0) {
                    firstTime = now;
                }
                while (i < n && starts[i] >>> CODE_BITS == now) {
                    if ((starts[i] & COMM_FLAG) != 0) {
                        commLevel += starts[i] & SMS_MASK;
                    } else {
                        compLevel += starts[i] & SMS_MASK;
                    }
                    i++;
                }
                while (j < n && ends[j] >>> CODE_BITS == now) {
                    if ((ends[j] & COMM_FLAG) != 0) {
                        commLevel -= ends[j] & SMS_MASK;
                    } else {
                        compLevel -= ends[j] & SMS_MASK;
                    }
                    j++;
                }
                lastTime = now;
                if (i == n && j == n) {
                    break;
                }
                long next = Math.min(i < n ? starts[i] >>> CODE_BITS : Long.MAX_VALUE, j < n ? ends[j] >>> CODE_BITS : Long.MAX_VALUE);
                long commCapped = Math.min(commLevel, numSms);
                long compCapped = Math.min(compLevel, numSms - commCapped);
                if (sink != null) {
                    sink.segment(segments, now, next, compCapped, commCapped);
                }
                segments++;
                area += (double) (compCapped + commCapped) * (next - now);
            }
        }
    }

    public int numSms() {
        return numSms;
    }

    /** Number of steps; times run from index 0 to {@code segments()} inclusive. */
    public int segments() {
        return computeSms.length;
    }

    public long timeNs(int k) {
        return timesNs[k];
    }

    /** SMs held by computation kernels during segment {@code k} (an average when resampled). */
    public double computeSms(int k) {
        return computeSms[k];
    }

    /** SMs held by communication kernels during segment {@code k}. */
    public double commSms(int k) {
        return commSms[k];
    }

    /** Time-weighted average occupied SMs over the device span ÷ numSms; NaN without numSms. */
    public double averageRatio() {
        return averageRatio;
    }
}
