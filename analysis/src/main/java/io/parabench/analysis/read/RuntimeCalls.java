package io.parabench.analysis.read;

/**
 * The CPU side of GPU work: {@code cuda_runtime}/{@code cuda_driver} events (kernel launches,
 * memcpy calls) that carry a {@code correlation} id, which the profiler also writes on the GPU
 * event they caused. With them a GPU kernel can be attributed to the CPU annotation (e.g. a
 * pipeline op {@code sim:B s1 mb3}) that was open on the launching thread, even when the
 * profiler recorded no GPU-side copy of that annotation (autograd's backward thread), and the
 * launch delay and CPU duration of each launch can be measured. Primitive columns (36 bytes a
 * call), filled by {@link TraceReader}, read-only afterwards; index {@code i} in file order.
 */
public final class RuntimeCalls {
    private final long[] startNs;
    private final long[] endNs;
    private final long[] correlation;
    private final int[] pid;
    private final int[] tid;
    private final int[] name;
    private final int size;

    RuntimeCalls(long[] startNs, long[] endNs, long[] correlation, int[] pid, int[] tid, int[] name) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.correlation = correlation;
        this.pid = pid;
        this.tid = tid;
        this.name = name;
        this.size = startNs.length;
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

    public long correlation(int i) {
        return correlation[i];
    }

    public int pid(int i) {
        return pid[i];
    }

    public int tid(int i) {
        return tid[i];
    }

    /**
     * Id of the call's name ({@code cudaLaunchKernel}, {@code cudaMemcpyAsync}, …) in the trace's
     * {@link NameTable}; a call without a name has the empty name.
     */
    public int nameId(int i) {
        return name[i];
    }
}
