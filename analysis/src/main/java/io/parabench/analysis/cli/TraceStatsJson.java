package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.Distribution;
import io.parabench.analysis.metrics.KernelBreakdown;
import io.parabench.analysis.metrics.KernelStat;
import io.parabench.analysis.metrics.LaunchSummary;
import io.parabench.analysis.metrics.StreamIdle;
import io.parabench.analysis.metrics.Temporal;

import java.util.Locale;
import java.util.Map;

/**
 * The JSON of Holistic Trace Analysis's analyses for one device, beside the device's other keys
 * in {@code trace-stats --format json}: {@code temporal}, {@code kernels}, {@code idle_breakdown},
 * {@code launch_stats} and {@code queue_length}. Times in µs; ratios in 0..1 (HTA prints
 * percentages); {@code std} is the sample standard deviation, as HTA's.
 */
final class TraceStatsJson {
    private TraceStatsJson() {
    }

    static void putHtaAnalyses(ObjectNode node, DeviceMetrics d) {
        Temporal t = d.temporal();
        ObjectNode temporal = node.putObject("temporal");
        temporal.put("kernel_time_us", us(t.kernelTimeNs()));
        temporal.put("idle_us", us(t.idleNs()));
        temporal.put("compute_us", us(t.computeNs()));
        temporal.put("non_compute_us", us(t.nonComputeNs()));
        putNumber(temporal, "idle_share", t.share(t.idleNs()));
        putNumber(temporal, "compute_share", t.share(t.computeNs()));
        putNumber(temporal, "non_compute_share", t.share(t.nonComputeNs()));
        ObjectNode mix = temporal.putObject("class_mix_us");
        t.classMixNs().forEach((classes, ns) -> mix.put(classes.toLowerCase(Locale.ROOT).replace(' ', '_'), us(ns)));

        KernelBreakdown b = d.breakdown();
        ArrayNode kernels = node.putArray("kernels");
        for (KernelStat k : b.rows()) {
            ObjectNode row = kernels.addObject();
            row.put("name", k.name());
            row.put("class", k.kind().name().toLowerCase(Locale.ROOT));
            row.put("count", k.count());
            row.put("sum_us", us(k.totalNs()));
            row.put("mean_us", k.meanNs() / 1000.0);
            row.put("min_us", us(k.minNs()));
            row.put("max_us", us(k.maxNs()));
            row.put("std_us", k.stdNs() / 1000.0);
            putNumber(row, "share", b.share(k));
        }
        node.put("kernels_std", "sample");
        node.put("kernels_not_listed", b.namesCut());

        ArrayNode idle = node.putArray("idle_breakdown");
        for (StreamIdle s : d.idleBreakdown()) {
            ObjectNode row = idle.addObject();
            row.put("stream", s.stream());
            row.put("host_wait_us", us(s.hostWaitNs()));
            row.put("kernel_wait_us", us(s.kernelWaitNs()));
            row.put("other_us", us(s.otherNs()));
            row.put("idle_us", us(s.idleNs()));
        }

        LaunchSummary l = d.launches();
        ObjectNode launch = node.putObject("launch_stats");
        launch.put("launches", l.launches());
        launch.put("runtime_cutoff_us", us(l.runtimeCutoffNs()));
        launch.put("launch_delay_cutoff_us", us(l.delayCutoffNs()));
        launch.put("runtime_outliers", l.runtimeOutliers());
        launch.put("launch_delay_outliers", l.delayOutliers());
        launch.put("kernels_shorter_than_launch", l.shortKernels());
        putDistribution(launch.putObject("cpu_duration_us"), l.cpuDurationNs(), 1000.0);
        putDistribution(launch.putObject("gpu_duration_us"), l.gpuDurationNs(), 1000.0);
        putDistribution(launch.putObject("launch_delay_us"), l.launchDelayNs(), 1000.0);

        ArrayNode queues = node.putArray("queue_length");
        for (Map.Entry<Integer, Distribution> q : d.queueLength().entrySet()) {
            ObjectNode row = queues.addObject();
            row.put("stream", q.getKey());
            putDistribution(row, q.getValue(), 1.0);
        }
    }

    private static void putDistribution(ObjectNode node, Distribution x, double unit) {
        node.put("count", x.count());
        putNumber(node, "mean", x.mean() / unit);
        putNumber(node, "std", x.std() / unit);
        putNumber(node, "min", x.min() / unit);
        putNumber(node, "p25", x.p25() / unit);
        putNumber(node, "p50", x.p50() / unit);
        putNumber(node, "p75", x.p75() / unit);
        putNumber(node, "p90", x.p90() / unit);
        putNumber(node, "p99", x.p99() / unit);
        putNumber(node, "max", x.max() / unit);
    }

    /** A number, or null where it is undefined (NaN: no data); JSON has no NaN. */
    static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }
}
