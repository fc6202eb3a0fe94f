package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.RuntimeCalls;

import java.util.ArrayList;
import java.util.List;

/**
 * Holistic Trace Analysis's idle-time breakdown of one stream
 * ({@code hta/analyzers/breakdown_analysis.py:_analyze_idle_time_for_stream}): each gap between
 * consecutive GPU events of the stream (in start order; gap = start − previous event's end) is
 * <ul>
 *   <li><b>host wait</b> when the runtime call that launched the event started after the
 *       previous event ended — the CPU did not enqueue work fast enough;</li>
 *   <li>else <b>kernel wait</b> when the gap is shorter than the consecutive-kernel delay
 *       (HTA's {@code consecutive_kernel_delay}: 30, which HTA's docstring calls ns but compares
 *       with its microsecond timestamps, so 30 µs) — launch overhead between back-to-back
 *       kernels;</li>
 *   <li>else <b>other</b> (waiting on another stream, a synchronisation, the tail of a step).</li>
 * </ul>
 * An event without a launching runtime call in the trace is never host wait.
 *
 * @param stream         stream id
 * @param hostWaitNs     summed host-wait gaps
 * @param kernelWaitNs   summed kernel-wait gaps
 * @param otherNs        summed other gaps
 */
public record StreamIdle(int stream, long hostWaitNs, long kernelWaitNs, long otherNs) implements java.io.Serializable {
    public long idleNs() {
        return hostWaitNs + kernelWaitNs + otherNs;
    }

    /** Category ÷ the stream's idle time; NaN when the stream never idles. */
    public double ratio(long categoryNs) {
        long idle = idleNs();
        return idle != 0 ? (double) categoryNs / idle : Double.NaN;
    }

    /** The breakdown of every stream of a device, by stream id. */
    static List<StreamIdle> of(DeviceEvents d, long kernelWaitNs) {
        TraceDevices owner = d.owner();
        GpuEvents e = d.trace().gpuEvents();
        RuntimeCalls calls = d.trace().runtimeCalls();
        TimeBase time = owner.options().timeBase();
        Buckets streams = d.byStream();
        List<StreamIdle> out = new ArrayList<>();
        for (int b = 0; b < streams.size(); b++) {
            long host = 0;
            long kernel = 0;
            long other = 0;
            long previousEnd = 0;
            boolean first = true;
            for (int k : streams.positions(b)) {
                if (!first) {
                    long gap = d.startNs(k) - previousEnd;
                    int call = owner.runtimeCallOf(e.correlation(d.index(k)));
                    if (call >= 0 && time.startNs(calls.startNs(call)) > previousEnd) {
                        host += gap;
                    } else if (gap < kernelWaitNs) {
                        kernel += gap;
                    } else {
                        other += gap;
                    }
                }
                first = false;
                previousEnd = d.endNs(k);
            }
            out.add(new StreamIdle(streams.key(b), host, kernel, other));
        }
        return out;
    }
}
