package io.parabench.analysis.predict;

import io.parabench.analysis.metrics.PipelineRank;
import io.parabench.analysis.read.GpuEvents;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How the host issued the GPU work of a step, read off the device timeline of a trace without
 * runtime calls (the suite's emulator writes none): the launch interval and the device-side gap
 * between back-to-back work of one stream.
 *
 * <p>Gap: the smallest positive time between one stream's work and its next. Launch interval:
 * when the host binds, every piece of work starts when it is issued, on an idle device (more
 * than the gap after everything before it ended), one launch after the previous piece, which
 * started the same way. The most frequent start-to-start interval between two such consecutive
 * idle starts is taken when it accounts for a quarter of them (at least 3), else 0: the host
 * did not bind the step. Work that waited for data starts idle too, but right after it the
 * device is busy, so such starts do not come in pairs; on a step of millisecond kernels the host
 * is left out, at {@code train}'s default size (kernels of 1 to 6 µs, an 8.4 µs eager launch)
 * most work starts one launch apart.
 *
 * @param launchUs    host time per launch, or 0 when the host never bound the step
 * @param kernelGapUs gap between back-to-back work of one stream
 */
record LaunchTiming(double launchUs, double kernelGapUs) {
    static final LaunchTiming NONE = new LaunchTiming(0, 0);

    /** The device's events (kernels, copies, memsets) by start time, ties in file order. */
    private static int[] byStart(GpuEvents e, int device) {
        return IntStream.range(0, e.size()).filter(i -> e.device(i) == device).boxed()
                .sorted(Comparator.comparingLong(e::startNs).thenComparingInt(Integer::intValue))
                .mapToInt(Integer::intValue).toArray();
    }

    static LaunchTiming of(List<PipelineRank> ranks) {
        long gap = Long.MAX_VALUE;
        Map<Long, Integer> intervals = new HashMap<>();
        int candidates = 0;
        for (PipelineRank rank : ranks) {
            GpuEvents e = rank.trace().gpuEvents();
            for (int device : rank.devices()) {
                int[] order = byStart(e, device);
                Map<Integer, Long> streamEnd = new HashMap<>();
                for (int n = 0; n < order.length; n++) {
                    int i = order[n];
                    Long before = streamEnd.get(e.stream(i));
                    if (before != null && e.startNs(i) > before) {
                        gap = Math.min(gap, e.startNs(i) - before);
                    }
                    streamEnd.put(e.stream(i), e.endNs(i));
                }
            }
        }
        if (gap == Long.MAX_VALUE) {
            return NONE;
        }
        for (PipelineRank rank : ranks) {
            GpuEvents e = rank.trace().gpuEvents();
            for (int device : rank.devices()) {
                int[] order = byStart(e, device);
                long busyUntil = Long.MIN_VALUE;
                boolean previousIdle = false;
                for (int n = 0; n < order.length; n++) {
                    int i = order[n];
                    boolean idle = n > 0 && e.startNs(i) > busyUntil + gap;
                    if (idle && previousIdle) {
                        candidates++;
                        intervals.merge(e.startNs(i) - e.startNs(order[n - 1]), 1, Integer::sum);
                    }
                    previousIdle = idle;
                    busyUntil = Math.max(busyUntil, e.endNs(i));
                }
            }
        }
        long launch = 0;
        int best = 0;
        for (Map.Entry<Long, Integer> en : intervals.entrySet()) {
            if (en.getValue() > best || (en.getValue() == best && en.getKey() < launch)) {
                best = en.getValue();
                launch = en.getKey();
            }
        }
        boolean bound = best >= 3 && best * 4 >= candidates && launch > 0;
        return new LaunchTiming(bound ? launch / 1000.0 : 0, gap / 1000.0);
    }
}
