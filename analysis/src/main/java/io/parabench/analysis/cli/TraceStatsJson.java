package io.parabench.analysis.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.Distribution;
import io.parabench.analysis.metrics.KernelBreakdown;
import io.parabench.analysis.metrics.KernelStat;
import io.parabench.analysis.metrics.LaunchSummary;
import io.parabench.analysis.metrics.StreamIdle;
import io.parabench.analysis.metrics.Temporal;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of Holistic Trace Analysis's analyses for one device, streamed, beside the device's other keys
 * in {@code trace-stats --format json}: {@code temporal}, {@code kernels}, {@code idle_breakdown},
 * {@code launch_stats} and {@code queue_length}. Times in µs; ratios in 0..1 (HTA prints
 * percentages); {@code std} is the sample standard deviation, as HTA's.
 */
final class TraceStatsJson {
    /** The keys {@link #putHtaAnalyses} adds to a device, in order. */
    static final java.util.List<String> HTA_KEYS = java.util.List.of("temporal", "kernels", "kernels_std",
            "kernels_not_listed", "idle_breakdown", "launch_stats", "queue_length");

    private TraceStatsJson() {
    }

    /** Writes the {@link #HTA_KEYS} of one device into the device's open object. */
    static void writeHtaAnalyses(JsonGenerator g, DeviceMetrics d) throws IOException {
        Temporal t = d.temporal();
        g.writeObjectFieldStart("temporal");
        g.writeNumberField("kernel_time_us", us(t.kernelTimeNs()));
        g.writeNumberField("idle_us", us(t.idleNs()));
        g.writeNumberField("compute_us", us(t.computeNs()));
        g.writeNumberField("non_compute_us", us(t.nonComputeNs()));
        writeNumber(g, "idle_share", t.share(t.idleNs()));
        writeNumber(g, "compute_share", t.share(t.computeNs()));
        writeNumber(g, "non_compute_share", t.share(t.nonComputeNs()));
        g.writeObjectFieldStart("class_mix_us");
        for (Map.Entry<String, Long> mix : t.classMixNs().entrySet()) {
            g.writeNumberField(mix.getKey().toLowerCase(Locale.ROOT).replace(' ', '_'), us(mix.getValue()));
        }
        g.writeEndObject();
        g.writeEndObject();

        KernelBreakdown b = d.breakdown();
        g.writeArrayFieldStart("kernels");
        for (KernelStat k : b.rows()) {
            g.writeStartObject();
            g.writeStringField("name", k.name());
            g.writeStringField("class", k.kind().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("count", k.count());
            g.writeNumberField("sum_us", us(k.totalNs()));
            g.writeNumberField("mean_us", k.meanNs() / 1000.0);
            g.writeNumberField("min_us", us(k.minNs()));
            g.writeNumberField("max_us", us(k.maxNs()));
            g.writeNumberField("std_us", k.stdNs() / 1000.0);
            writeNumber(g, "share", b.share(k));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("kernels_std", "sample");
        g.writeNumberField("kernels_not_listed", b.namesCut());

        g.writeArrayFieldStart("idle_breakdown");
        for (StreamIdle s : d.idleBreakdown()) {
            g.writeStartObject();
            g.writeNumberField("stream", s.stream());
            g.writeNumberField("host_wait_us", us(s.hostWaitNs()));
            g.writeNumberField("kernel_wait_us", us(s.kernelWaitNs()));
            g.writeNumberField("other_us", us(s.otherNs()));
            g.writeNumberField("idle_us", us(s.idleNs()));
            g.writeEndObject();
        }
        g.writeEndArray();

        LaunchSummary l = d.launches();
        g.writeObjectFieldStart("launch_stats");
        g.writeNumberField("launches", l.launches());
        g.writeNumberField("runtime_cutoff_us", us(l.runtimeCutoffNs()));
        g.writeNumberField("launch_delay_cutoff_us", us(l.delayCutoffNs()));
        g.writeNumberField("runtime_outliers", l.runtimeOutliers());
        g.writeNumberField("launch_delay_outliers", l.delayOutliers());
        g.writeNumberField("kernels_shorter_than_launch", l.shortKernels());
        writeDistribution(g, "cpu_duration_us", l.cpuDurationNs(), 1000.0);
        writeDistribution(g, "gpu_duration_us", l.gpuDurationNs(), 1000.0);
        writeDistribution(g, "launch_delay_us", l.launchDelayNs(), 1000.0);
        g.writeEndObject();

        g.writeArrayFieldStart("queue_length");
        for (Map.Entry<Integer, Distribution> q : d.queueLength().entrySet()) {
            g.writeStartObject();
            g.writeNumberField("stream", q.getKey());
            writeDistributionFields(g, q.getValue(), 1.0);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeDistribution(JsonGenerator g, String key, Distribution x, double unit) throws IOException {
        g.writeObjectFieldStart(key);
        writeDistributionFields(g, x, unit);
        g.writeEndObject();
    }

    private static void writeDistributionFields(JsonGenerator g, Distribution x, double unit) throws IOException {
        g.writeNumberField("count", x.count());
        writeNumber(g, "mean", x.mean() / unit);
        writeNumber(g, "std", x.std() / unit);
        writeNumber(g, "min", x.min() / unit);
        writeNumber(g, "p25", x.p25() / unit);
        writeNumber(g, "p50", x.p50() / unit);
        writeNumber(g, "p75", x.p75() / unit);
        writeNumber(g, "p90", x.p90() / unit);
        writeNumber(g, "p99", x.p99() / unit);
        writeNumber(g, "max", x.max() / unit);
    }

    /** A number, or null where it is undefined (NaN: no data); JSON has no NaN. */
    static void writeNumber(JsonGenerator g, String key, double value) throws IOException {
        if (Double.isNaN(value)) {
            g.writeNullField(key);
        } else {
            g.writeNumberField(key, value);
        }
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
