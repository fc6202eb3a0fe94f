package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.RuntimeCalls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Holistic Trace Analysis's queue length of one stream
 * ({@code hta/analyzers/trace_counters.py}): the number of operations launched on the stream
 * and not yet started. It steps up by one when a launch call (HTA's runtime launch events:
 * {@code cudaLaunchKernel}, {@code cudaLaunchKernelExC}, {@code cuLaunchKernel},
 * {@code cuLaunchKernelEx}, {@code cudaMemcpyAsync}, {@code cudaMemsetAsync} and their HIP and
 * MTIA names) starts, and down by one when the GPU event it launched starts; only calls whose
 * GPU event is in the trace count. The series holds one value per step, in time order (a call
 * before a GPU event at the same instant), and {@link #summary()} describes those values as HTA
 * does (not time-weighted).
 *
 * @param stream stream id
 * @param timeNs when each step happened
 * @param length the queue length after each step
 */
public record QueueLength(int stream, long[] timeNs, int[] length) {
    static final Set<String> LAUNCH_CALLS = Set.of("cudaLaunchKernel", "cudaLaunchKernelExC", "cuLaunchKernel",
            "cuLaunchKernelEx", "cudaMemcpyAsync", "cudaMemsetAsync", "runFunction - job_prep_and_submit_for_execution",
            "hipLaunchKernel", "hipExtModuleLaunchKernel", "hipMemsetAsync", "hipMemcpyAsync", "hipMemcpyWithStream");

    /** count, mean, sample std, min, percentiles and max of the queue length values. */
    public Distribution summary() {
        long[] values = new long[length.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = length[i];
        }
        return Distribution.of(values);
    }

    /** The queue length series of every stream of a device that has launched work, by stream. */
    public static List<QueueLength> of(DeviceEvents d) {
        TraceDevices owner = d.owner();
        GpuEvents e = d.trace().gpuEvents();
        RuntimeCalls calls = d.trace().runtimeCalls();
        boolean[] isLaunch = owner.namesIn(LAUNCH_CALLS);
        TimeBase time = owner.options().timeBase();
        Buckets streams = d.byStream();
        List<QueueLength> out = new ArrayList<>();
        for (int b = 0; b < streams.size(); b++) {
            int[] positions = streams.positions(b);
            long[] enqueued = new long[positions.length];
            long[] started = new long[positions.length];
            int n = 0;
            for (int k : positions) {
                int call = owner.runtimeCallOf(e.correlation(d.index(k)));
                if (call >= 0 && isLaunch[calls.nameId(call)]) {
                    enqueued[n] = time.startNs(calls.startNs(call));
                    started[n] = d.startNs(k);
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            // calls first, then GPU starts, so a stable sort puts a call before a start at the same instant
            long[] times = Arrays.copyOf(enqueued, 2 * n);
            System.arraycopy(started, 0, times, n, n);
            int[] order = StartOrder.sort(times);
            long[] at = new long[2 * n];
            int[] queue = new int[2 * n];
            int current = 0;
            for (int s = 0; s < 2 * n; s++) {
                current += order[s] < n ? 1 : -1;
                at[s] = times[order[s]];
                queue[s] = current;
            }
            out.add(new QueueLength(streams.key(b), at, queue));
        }
        return out;
    }
}
