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
public final class SmOccupancy {
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

    /**
     * Builds the timeline of {@code n} kernels.
     *
     * @param sms  SMs each kernel occupies (already {@link #kernelSms})
     * @param comm whether each kernel is communication
     */
    static SmOccupancy of(int numSms, long[] starts, long[] ends, int[] sms, boolean[] comm, int n,
                          long spanStartNs, long spanEndNs) {
        long[] t = new long[2 * n];
        for (int i = 0; i < n; i++) {
            t[2 * i] = starts[i];
            t[2 * i + 1] = ends[i];
        }
        int[] order = IndexSort.order(t, 2 * n);
        long[] times = new long[2 * n + 1];
        double[] compute = new double[2 * n];
        double[] communication = new double[2 * n];
        int segments = 0;
        long compLevel = 0;
        long commLevel = 0;
        double area = 0;
        for (int k = 0; k < order.length; ) {
            long now = t[order[k]];
            while (k < order.length && t[order[k]] == now) {
                int event = order[k] / 2;
                int delta = order[k] % 2 == 0 ? sms[event] : -sms[event];
                if (comm[event]) {
                    commLevel += delta;
                } else {
                    compLevel += delta;
                }
                k++;
            }
            if (k == order.length) {
                times[segments] = now;
                break;
            }
            long next = t[order[k]];
            long commCapped = Math.min(commLevel, numSms);
            long compCapped = Math.min(compLevel, numSms - commCapped);
            times[segments] = now;
            compute[segments] = compCapped;
            communication[segments] = commCapped;
            segments++;
            area += (double) (compCapped + commCapped) * (next - now);
        }
        long span = spanEndNs - spanStartNs;
        double average = span > 0 && numSms > 0 ? area / span / numSms : Double.NaN;
        if (n == 0) {
            return new SmOccupancy(numSms, new long[0], new double[0], new double[0], average);
        }
        if (segments > MAX_EXACT_SEGMENTS) {
            return resampled(numSms, times, compute, communication, segments, average);
        }
        return new SmOccupancy(numSms, java.util.Arrays.copyOf(times, segments + 1),
                java.util.Arrays.copyOf(compute, segments), java.util.Arrays.copyOf(communication, segments), average);
    }

    private static SmOccupancy resampled(int numSms, long[] times, double[] compute, double[] comm, int segments,
                                         double average) {
        long from = times[0];
        long to = times[segments];
        int bins = RESAMPLED_BINS;
        long[] edges = new long[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = from + (long) ((double) (to - from) * b / bins);
        }
        double[] binCompute = new double[bins];
        double[] binComm = new double[bins];
        int b = 0;
        for (int s = 0; s < segments; s++) {
            long lo = times[s];
            long hi = times[s + 1];
            while (b < bins && edges[b + 1] <= lo) {
                b++;
            }
            for (int c = b; c < bins && edges[c] < hi; c++) {
                long overlap = Math.min(hi, edges[c + 1]) - Math.max(lo, edges[c]);
                if (overlap > 0) {
                    binCompute[c] += compute[s] * overlap;
                    binComm[c] += comm[s] * overlap;
                }
            }
        }
        for (int c = 0; c < bins; c++) {
            long width = edges[c + 1] - edges[c];
            binCompute[c] = width > 0 ? binCompute[c] / width : 0;
            binComm[c] = width > 0 ? binComm[c] / width : 0;
        }
        return new SmOccupancy(numSms, edges, binCompute, binComm, average);
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
