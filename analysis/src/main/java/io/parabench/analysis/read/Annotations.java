package io.parabench.analysis.read;

import java.util.Arrays;

/**
 * The named ranges of one trace file: {@code user_annotation} events (CPU side, e.g.
 * {@code ProfilerStep#3}, {@code attn(F)}, {@code sim:F s1 mb3}) and {@code gpu_user_annotation}
 * events (the same ranges projected on a device timeline by the profiler), as primitive
 * columns. Read-only once {@link TraceReader} has filled it.
 */
public final class Annotations {
    private long[] startNs = new long[64];
    private long[] endNs = new long[64];
    private int[] name = new int[64];
    private int[] pid = new int[64];
    private int[] tid = new int[64];
    private boolean[] onGpu = new boolean[64];
    private int size;

    void add(long start, long end, int nameId, int pidValue, int tidValue, boolean gpu) {
        if (size == startNs.length) {
            int capacity = size * 2;
            startNs = Arrays.copyOf(startNs, capacity);
            endNs = Arrays.copyOf(endNs, capacity);
            name = Arrays.copyOf(name, capacity);
            pid = Arrays.copyOf(pid, capacity);
            tid = Arrays.copyOf(tid, capacity);
            onGpu = Arrays.copyOf(onGpu, capacity);
        }
        startNs[size] = start;
        endNs[size] = end;
        name[size] = nameId;
        pid[size] = pidValue;
        tid[size] = tidValue;
        onGpu[size] = gpu;
        size++;
    }

    public int size() {
        return size;
    }

    public long startNs(int i) {
        return startNs[i];
    }

    public long endNs(int i) {
        return endNs[i];
    }

    public int nameId(int i) {
        return name[i];
    }

    /** The event's {@code pid}: a CPU process for user annotations, a device for GPU ones. */
    public int pid(int i) {
        return pid[i];
    }

    /** The event's {@code tid}: the CPU thread for user annotations, the stream for GPU ones. */
    public int tid(int i) {
        return tid[i];
    }

    /** True for {@code gpu_user_annotation} (device time), false for {@code user_annotation}. */
    public boolean onGpu(int i) {
        return onGpu[i];
    }
}
