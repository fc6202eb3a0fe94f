package io.parabench.analysis.read;

import java.util.Arrays;

/**
 * The CPU side of GPU work: {@code cuda_runtime}/{@code cuda_driver} events (kernel launches,
 * memcpy calls) that carry a {@code correlation} id, which the profiler also writes on the GPU
 * event they caused. With them a GPU kernel can be attributed to the CPU annotation (e.g. a
 * pipeline op {@code sim:B s1 mb3}) that was open on the launching thread, even when the
 * profiler recorded no GPU-side copy of that annotation (autograd's backward thread).
 * Each call keeps its start, end and name (launch statistics and queue lengths select the launch
 * calls by name). Primitive columns, filled by {@link TraceReader}, read-only afterwards.
 */
public final class RuntimeCalls {
    private long[] startNs = new long[256];
    private long[] endNs = new long[256];
    private int[] name = new int[256];
    private long[] correlation = new long[256];
    private int[] pid = new int[256];
    private int[] tid = new int[256];
    private int size;

    void add(long start, long end, int nameId, long correlationId, int pidValue, int tidValue) {
        if (size == startNs.length) {
            int capacity = size + (size >> 1);
            startNs = Arrays.copyOf(startNs, capacity);
            endNs = Arrays.copyOf(endNs, capacity);
            name = Arrays.copyOf(name, capacity);
            correlation = Arrays.copyOf(correlation, capacity);
            pid = Arrays.copyOf(pid, capacity);
            tid = Arrays.copyOf(tid, capacity);
        }
        startNs[size] = start;
        endNs[size] = end;
        name[size] = nameId;
        correlation[size] = correlationId;
        pid[size] = pidValue;
        tid[size] = tidValue;
        size++;
    }

    public int size() {
        return size;
    }

    public long startNs(int i) {
        return startNs[i];
    }

    /** End of the call on the CPU ({@code ts + dur}): launch statistics need the call's duration. */
    public long endNs(int i) {
        return endNs[i];
    }

    /** Id of the call's name ({@code cudaLaunchKernel}, {@code cudaMemcpyAsync}, …) in the trace's {@link NameTable}. */
    public int nameId(int i) {
        return name[i];
    }

    public long correlation(int i) {
        return correlation[i];
    }

    public int pid(int i) {
        return pid[i];
    }

    public int tid(int i) {
        return tid[i];
    }
}
