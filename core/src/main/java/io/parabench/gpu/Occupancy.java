package io.parabench.gpu;

import java.util.Arrays;

/**
 * The kernels and copies one stream has placed on the virtual clock, in time order (a stream is
 * in order, so starts and ends never decrease), each with the share of each shared resource it
 * used on average: what later work on the device's other streams contends with.
 *
 * <p>Primitive columns, grown by doubling; no allocation per placed kernel once warm. Not
 * thread-safe, like its stream.
 */
final class Occupancy {
    /** Shared resources a kernel or copy uses a share of. */
    static final int HBM = 0;
    static final int NVLINK = 1;
    static final int NETWORK = 2;
    static final int COPY_ENGINES = 3;
    /** SMs of the device not reserved by any stream, which {@link Device#sharedStream()}s share. */
    static final int SHARED_SMS = 4;
    /**
     * SMs a resident communication kernel holds, as a share of the device's SMs. Not a share
     * others split: a kernel beside it runs on the SMs left, at the rate its own clock gives for
     * that many ({@link Device}).
     */
    static final int HELD_SMS = 5;
    static final int RESOURCES = 6;

    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private double[] shares = new double[16 * RESOURCES];
    private int size;

    void add(long start, long end, double[] share) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, 2 * size);
            ends = Arrays.copyOf(ends, 2 * size);
            shares = Arrays.copyOf(shares, 2 * size * RESOURCES);
        }
        starts[size] = start;
        ends[size] = end;
        System.arraycopy(share, 0, shares, size * RESOURCES, RESOURCES);
        size++;
    }

    /** Index of the first entry ending after {@code t}, or {@code size()} if none. */
    int firstEndingAfter(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    int size() {
        return size;
    }

    long start(int i) {
        return starts[i];
    }

    long end(int i) {
        return ends[i];
    }

    double share(int i, int resource) {
        return shares[i * RESOURCES + resource];
    }
}
