package io.parabench.analysis.read;

/**
 * The named ranges of one trace file: {@code user_annotation} events (CPU side, e.g.
 * {@code ProfilerStep#3}, {@code attn(F)}, {@code sim:F s1 mb3}) and {@code gpu_user_annotation}
 * events (the same ranges projected on a device timeline by the profiler), as primitive
 * columns. Read-only once {@link TraceReader} has filled it.
 */
public final class Annotations {
    private final long[] startNs;
    private final long[] endNs;
    private final int[] name;
    private final int[] pid;
    private final int[] tid;
    private final byte[] onGpu;
    private final int size;

    Annotations(long[] startNs, long[] endNs, int[] name, int[] pid, int[] tid, byte[] onGpu) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.name = name;
        this.pid = pid;
        this.tid = tid;
        this.onGpu = onGpu;
        this.size = startNs.length;
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
        return onGpu[i] != 0;
    }
}
