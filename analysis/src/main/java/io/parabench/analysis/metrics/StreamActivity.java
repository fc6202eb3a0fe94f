package io.parabench.analysis.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The busy time of one stream of one device for one {@link KernelClass}: what a stream
 * timeline chart draws.
 *
 * @param stream stream id
 * @param kind   class of the kernels
 * @param busy   union of their intervals
 */
public record StreamActivity(int stream, KernelClass kind, IntervalSet busy) {
    /**
     * Activity of every (stream, class) pair of a device that has events, by stream then class:
     * one pass over the device's events grouped by stream (classes come with the events,
     * computed once per distinct name).
     */
    public static List<StreamActivity> of(DeviceEvents d) {
        Buckets streams = d.byStream();
        List<StreamActivity> out = new ArrayList<>();
        for (int b = 0; b < streams.size(); b++) {
            int[] positions = streams.positions(b);
            long[] s = new long[positions.length];
            long[] en = new long[positions.length];
            for (KernelClass kind : KernelClass.values()) {
                int m = 0;
                for (int k : positions) {
                    if (d.kind(k) == kind && d.endNs(k) > d.startNs(k)) {
                        s[m] = d.startNs(k);
                        en[m] = d.endNs(k);
                        m++;
                    }
                }
                if (m > 0) {
                    out.add(new StreamActivity(streams.key(b), kind, IntervalSet.unionOf(s, en, m)));
                }
            }
        }
        return out;
    }
}
