package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;

/**
 * The GPU events of one device, in start order, with their class and their times on the
 * analysis's {@link TimeBase}: what every per-device analysis reads. Built by
 * {@link TraceDevices#device(int)}; read-only.
 */
public final class DeviceEvents {
    private static final KernelClass[] CLASSES = KernelClass.values();
    private final TraceDevices owner;
    private final int device;
    private final int[] index;
    private final long[] startNs;
    private final long[] endNs;
    private final byte[] cls;

    DeviceEvents(TraceDevices owner, int device, int[] index, long[] startNs, long[] endNs, byte[] cls) {
        this.owner = owner;
        this.device = device;
        this.index = index;
        this.startNs = startNs;
        this.endNs = endNs;
        this.cls = cls;
    }

    public TraceDevices owner() {
        return owner;
    }

    public Trace trace() {
        return owner.trace();
    }

    public int device() {
        return device;
    }

    /** Number of events. */
    public int size() {
        return index.length;
    }

    /** The k-th event's index in the trace's {@link GpuEvents}. */
    public int index(int k) {
        return index[k];
    }

    public long startNs(int k) {
        return startNs[k];
    }

    public long endNs(int k) {
        return endNs[k];
    }

    public KernelClass kind(int k) {
        return CLASSES[cls[k]];
    }

    int classOrdinal(int k) {
        return cls[k];
    }

    public int stream(int k) {
        return trace().gpuEvents().stream(index[k]);
    }

    public int nameId(int k) {
        return trace().gpuEvents().nameId(index[k]);
    }

    /** Union of the events that {@code selected} accepts. */
    IntervalSet union(Selected selected) {
        long[] s = new long[index.length];
        long[] e = new long[index.length];
        int m = 0;
        for (int k = 0; k < index.length; k++) {
            if (selected.test(k) && endNs[k] > startNs[k]) {
                s[m] = startNs[k];
                e[m] = endNs[k];
                m++;
            }
        }
        return IntervalSet.unionOf(s, e, m);
    }

    /**
     * Busy time of the events {@code selected} accepts as Holistic Trace Analysis merges them
     * ({@code hta/utils/utils.py:merge_kernel_intervals}): in start order, an event opens a new
     * group when it starts after the latest end so far; the total is the sum over groups of
     * (latest end − first start), and {@code merged[1]} is the last group's end. Equal to
     * {@link #union}'s total for well-formed events; unlike it, an isolated event that
     * {@link TimeBase#HTA} rounded to a negative duration counts negatively, as in HTA.
     *
     * @return {first start, last group's end, total}, or null when nothing is selected
     */
    long[] mergedTotal(Selected selected) {
        long total = 0;
        long groupStart = 0;
        long groupEnd = Long.MIN_VALUE;
        long first = Long.MIN_VALUE;
        boolean any = false;
        for (int k = 0; k < index.length; k++) {
            if (!selected.test(k)) {
                continue;
            }
            if (!any) {
                any = true;
                first = startNs[k];
                groupStart = startNs[k];
                groupEnd = endNs[k];
            } else if (startNs[k] > groupEnd) {
                total += groupEnd - groupStart;
                groupStart = startNs[k];
                groupEnd = endNs[k];
            } else {
                groupEnd = Math.max(groupEnd, endNs[k]);
            }
        }
        if (!any) {
            return null;
        }
        total += groupEnd - groupStart;
        return new long[]{first, groupEnd, total};
    }

    /** Union of the events of one class. */
    public IntervalSet union(KernelClass kind) {
        return union(k -> cls[k] == kind.ordinal());
    }

    /** Union of all events. */
    public IntervalSet union() {
        return union(k -> true);
    }

    /** First start (the events are in start order); MAX_VALUE when empty. */
    public long firstStartNs() {
        return index.length == 0 ? Long.MAX_VALUE : startNs[0];
    }

    /** Last end over all events; MIN_VALUE when empty. */
    public long lastEndNs() {
        long last = Long.MIN_VALUE;
        for (long e : endNs) {
            last = Math.max(last, e);
        }
        return last;
    }

    /** Positions 0..size()-1 grouped by stream, each stream's in start order. */
    Buckets byStream() {
        return Buckets.of(index.length, this::stream);
    }

    interface Selected {
        boolean test(int k);
    }
}
