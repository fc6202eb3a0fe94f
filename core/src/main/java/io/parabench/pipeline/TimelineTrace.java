package io.parabench.pipeline;

import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a simulated {@link Timeline} as a Chrome trace in the suite's one schema, so that the
 * analysis module reads it like a trace from real GPUs.
 *
 * <p>Each rank is one device ({@code pid} = rank, named "rank r", no SMs). Each op becomes a
 * {@code kernel} event on stream 0, which analysis counts as computation, and a
 * {@code user_annotation} of the same name on thread 1, like the per-op annotations of a real
 * pipeline run. Names are op tokens ({@code F0:3}, {@code F1:4&B0:3}). One time unit of the
 * cost model is written as one microsecond.
 */
public final class TimelineTrace {
    /** Stream of the op kernels. */
    public static final int COMPUTE_STREAM = 0;
    /** Thread of the op annotations. */
    public static final int ANNOTATION_THREAD = 1;

    private TimelineTrace() {
    }

    public static void write(Timeline timeline, Path path) {
        ChromeTraceWriter writer = ChromeTraceWriter.open(path, devices(timeline), -1, 0);
        try {
            writeEvents(timeline, writer);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        writer.close();
    }

    public static void write(Timeline timeline, OutputStream out) {
        try (ChromeTraceWriter writer = ChromeTraceWriter.open(out, devices(timeline), -1, 0)) {
            writeEvents(timeline, writer);
        }
    }

    private static List<DeviceProperties> devices(Timeline timeline) {
        List<DeviceProperties> devices = new ArrayList<>(timeline.ranks());
        for (int r = 0; r < timeline.ranks(); r++) {
            devices.add(new DeviceProperties(r, "rank " + r, 0));
        }
        return devices;
    }

    private static void writeEvents(Timeline timeline, ChromeTraceWriter writer) {
        for (int r = 0; r < timeline.ranks(); r++) {
            writer.processName(r, "rank " + r);
            writer.threadName(r, COMPUTE_STREAM, "stream " + COMPUTE_STREAM);
            writer.threadName(r, ANNOTATION_THREAD, "pipeline ops");
        }
        for (int r = 0; r < timeline.ranks(); r++) {
            List<Op> ops = timeline.schedule().ops(r);
            for (int i = 0; i < ops.size(); i++) {
                long startNs = toNs(timeline.start(r, i));
                long durNs = toNs(timeline.end(r, i)) - startNs;
                String name = ops.get(i).token();
                writer.complete(EventCategory.KERNEL, name, r, COMPUTE_STREAM, startNs, durNs);
                writer.complete(EventCategory.USER_ANNOTATION, name, r, ANNOTATION_THREAD, startNs, durNs);
            }
        }
    }

    /** Time units (µs) to whole nanoseconds; ends are rounded the same way, so ops never overlap. */
    private static long toNs(double units) {
        return Math.round(units * 1000.0);
    }
}
