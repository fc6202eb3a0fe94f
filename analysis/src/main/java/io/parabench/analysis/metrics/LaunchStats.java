package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.NameTable;
import io.parabench.analysis.read.RuntimeCalls;

import java.util.Arrays;
import java.util.Set;

/**
 * Holistic Trace Analysis's CUDA launch statistics of one device
 * ({@code hta/analyzers/cuda_kernel_analysis.py:cuda_kernel_launch_stats}): every GPU event
 * launched by a {@code cudaLaunchKernel}, {@code cudaLaunchKernelExC}, {@code cudaMemcpyAsync}
 * or {@code cudaMemsetAsync} call of the trace (joined on the correlation id) gives one launch
 * with
 * <ul>
 *   <li>CPU duration = the runtime call's duration;</li>
 *   <li>GPU duration = the GPU event's duration;</li>
 *   <li>launch delay = GPU start − (call start + call duration), clipped at 0.</li>
 * </ul>
 * Outliers as HTA's charts count them: runtime outliers have a CPU duration above the runtime
 * cutoff (50 µs by default), delay outliers a launch delay above the delay cutoff (100 µs);
 * short kernels run shorter on the GPU than their launch call on the CPU, among calls not above
 * the runtime cutoff — work too small to pay for its launch.
 *
 * <p>Launches are kept as primitive columns (16 bytes each plus the correlation id) in GPU start
 * order, so HTA's per-launch rows can be compared one by one.
 */
public final class LaunchStats {
    /** HTA's launch calls (its {@code cudaLaunchKernel}/{@code ExC} and memory-call ids). */
    static final Set<String> LAUNCH_CALLS = Set.of("cudaLaunchKernel", "cudaLaunchKernelExC", "cudaMemcpyAsync",
            "cudaMemsetAsync");

    private final long[] correlation;
    private final long[] cpuNs;
    private final long[] gpuNs;
    private final long[] delayNs;
    private final long runtimeCutoffNs;
    private final long delayCutoffNs;

    private LaunchStats(long[] correlation, long[] cpuNs, long[] gpuNs, long[] delayNs, long runtimeCutoffNs,
                        long delayCutoffNs) {
        this.correlation = correlation;
        this.cpuNs = cpuNs;
        this.gpuNs = gpuNs;
        this.delayNs = delayNs;
        this.runtimeCutoffNs = runtimeCutoffNs;
        this.delayCutoffNs = delayCutoffNs;
    }

    static LaunchStats of(DeviceEvents d, long runtimeCutoffNs, long delayCutoffNs) {
        return of(d, runtimeCutoffNs, delayCutoffNs, LAUNCH_CALLS);
    }

    /** Launches of the device whose runtime call is named one of {@code callNames}. */
    static LaunchStats of(DeviceEvents d, long runtimeCutoffNs, long delayCutoffNs, Set<String> callNames) {
        TraceDevices owner = d.owner();
        GpuEvents e = d.trace().gpuEvents();
        RuntimeCalls calls = d.trace().runtimeCalls();
        boolean[] isLaunch = owner.namesIn(callNames);
        TimeBase time = owner.options().timeBase();
        int n = 0;
        long[] corr = new long[d.size()];
        long[] cpu = new long[d.size()];
        long[] gpu = new long[d.size()];
        long[] delay = new long[d.size()];
        for (int k = 0; k < d.size(); k++) {
            int i = d.index(k);
            int call = owner.runtimeCallOf(e.correlation(i));
            if (call < 0 || !isLaunch[calls.nameId(call)]) {
                continue;
            }
            long callStart = time.startNs(calls.startNs(call));
            long callEnd = time.endNs(calls.startNs(call), calls.endNs(call) - calls.startNs(call));
            corr[n] = e.correlation(i);
            cpu[n] = callEnd - callStart;
            gpu[n] = d.endNs(k) - d.startNs(k);
            delay[n] = Math.max(0, d.startNs(k) - callStart - cpu[n]);
            n++;
        }
        return new LaunchStats(Arrays.copyOf(corr, n), Arrays.copyOf(cpu, n), Arrays.copyOf(gpu, n),
                Arrays.copyOf(delay, n), runtimeCutoffNs, delayCutoffNs);
    }

    static boolean[] launchNames(NameTable names, Set<String> callNames) {
        boolean[] out = new boolean[names.size()];
        for (String call : callNames) {
            int id = names.find(call);
            if (id >= 0) {
                out[id] = true;
            }
        }
        return out;
    }

    /** Number of launches. */
    public int count() {
        return correlation.length;
    }

    public long correlation(int i) {
        return correlation[i];
    }

    public long cpuDurationNs(int i) {
        return cpuNs[i];
    }

    public long gpuDurationNs(int i) {
        return gpuNs[i];
    }

    public long launchDelayNs(int i) {
        return delayNs[i];
    }

    public long runtimeCutoffNs() {
        return runtimeCutoffNs;
    }

    public long delayCutoffNs() {
        return delayCutoffNs;
    }

    /** Launches whose call took longer than the runtime cutoff. */
    public int runtimeOutliers() {
        int c = 0;
        for (long v : cpuNs) {
            c += v > runtimeCutoffNs ? 1 : 0;
        }
        return c;
    }

    /** Launches that waited longer than the delay cutoff. */
    public int delayOutliers() {
        int c = 0;
        for (long v : delayNs) {
            c += v > delayCutoffNs ? 1 : 0;
        }
        return c;
    }

    /** Launches (call within the runtime cutoff) whose GPU work is shorter than the call. */
    public int shortKernels() {
        int c = 0;
        for (int i = 0; i < cpuNs.length; i++) {
            c += cpuNs[i] <= runtimeCutoffNs && gpuNs[i] < cpuNs[i] ? 1 : 0;
        }
        return c;
    }

    public Distribution cpuDuration() {
        return Distribution.of(cpuNs);
    }

    public Distribution gpuDuration() {
        return Distribution.of(gpuNs);
    }

    public Distribution launchDelay() {
        return Distribution.of(delayNs);
    }
}
