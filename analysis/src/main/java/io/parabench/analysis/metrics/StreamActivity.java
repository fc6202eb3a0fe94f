package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The busy time of one stream of one device for one {@link KernelClass}: what a stream
 * timeline chart draws.
 *
 * @param stream stream id
 * @param kind   class of the kernels
 * @param busy   union of their intervals
 */
public record StreamActivity(int stream, KernelClass kind, IntervalSet busy) {
    /** Activity of every (stream, class) pair of a device that has events, by stream then class. */
    public static List<StreamActivity> of(Trace trace, int device, KernelClassifier classifier) {
        GpuEvents e = trace.gpuEvents();
        byte[] nameClass = TraceMetrics.nameClasses(trace.names(), classifier);
        TreeSet<Integer> streams = new TreeSet<>();
        for (int i = 0; i < e.size(); i++) {
            if (e.device(i) == device) {
                streams.add(e.stream(i));
            }
        }
        List<StreamActivity> out = new ArrayList<>();
        long[] s = new long[e.size()];
        long[] en = new long[e.size()];
        for (int stream : streams) {
            for (KernelClass kind : KernelClass.values()) {
                int m = 0;
                for (int i = 0; i < e.size(); i++) {
                    if (e.device(i) == device && e.stream(i) == stream
                            && TraceMetrics.classOf(e, i, nameClass, classifier) == kind) {
                        s[m] = e.startNs(i);
                        en[m] = e.endNs(i);
                        m++;
                    }
                }
                if (m > 0) {
                    out.add(new StreamActivity(stream, kind, IntervalSet.unionOf(s, en, m)));
                }
            }
        }
        return out;
    }
}
