package io.parabench.analysis.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.CriticalPath;
import io.parabench.analysis.metrics.DeviceEvents;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.QueueLength;
import io.parabench.analysis.metrics.SmOccupancy;
import io.parabench.analysis.metrics.TraceDevices;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;
import io.parabench.output.AtomicFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One merged, annotated Chrome trace of every rank, for Perfetto (ui.perfetto.dev) or
 * chrome://tracing: each rank's device is a process ({@code rank R device D}) with one thread per
 * stream holding its GPU events (name, category, class and correlation id kept), and beside them
 * counter tracks — SM occupancy (computation and communication SMs) and the queue length of
 * each stream — and, for a pipeline, a flow arrow for every point-to-point transfer from the
 * late sender's kernel to the receiver's ({@link CriticalPath#edges}). Written through
 * {@link AtomicFile}, gzip-compressed when the name ends in {@code .gz}.
 *
 * <p>Streams the events out with Jackson's generator, one device at a time: memory beyond the
 * traces themselves is one device's view.
 */
public final class PerfettoTrace {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private PerfettoTrace() {
    }

    /**
     * Writes the annotated trace.
     *
     * @param edges point-to-point transfers to draw as flows (empty without a pipeline)
     */
    public static void write(Path out, List<Trace> traces, TraceSummary summary, List<CriticalPath.Edge> edges,
                             AnalysisOptions options) {
        boolean gzip = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        AtomicFile.write(out, raw -> {
            OutputStream sink = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            try (JsonGenerator g = JSON.createGenerator(sink)) {
                g.writeStartObject();
                g.writeStringField("displayTimeUnit", "ns");
                g.writeArrayFieldStart("traceEvents");
                Map<Long, Integer> pids = new HashMap<>();
                int pid = 0;
                for (Trace t : traces) {
                    TraceDevices prepared = TraceDevices.of(t, options);
                    for (int device : prepared.devices()) {
                        pids.put(key(t.rank(), device), pid);
                        DeviceMetrics metrics = find(summary, t.rank(), device);
                        writeDevice(g, prepared.device(device), pid, t.rank(), metrics);
                        pid++;
                    }
                }
                int id = 0;
                for (CriticalPath.Edge e : edges) {
                    Integer from = pids.get(key(rankOf(traces, e.fromRank()), e.fromDevice()));
                    Integer to = pids.get(key(rankOf(traces, e.toRank()), e.toDevice()));
                    if (from == null || to == null) {
                        continue;
                    }
                    flow(g, "s", id, from, e.fromStream(), e.sendStartNs());
                    // "f" binds to the slice enclosing its time: a nanosecond before the receive ends
                    flow(g, "f", id, to, e.toStream(), e.waitEndNs() - 1);
                    id++;
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (gzip) {
                ((GZIPOutputStream) sink).finish();
            }
        });
    }

    /**
     * A single file of several devices is one rank per device ({@code PipelineRank}); its trace's
     * rank is not the pipeline rank then.
     */
    private static int rankOf(List<Trace> traces, int pipelineRank) {
        return traces.size() == 1 ? traces.get(0).rank() : pipelineRank;
    }

    private static long key(int rank, int device) {
        return ((long) rank << 32) ^ (device & 0xffffffffL);
    }

    private static DeviceMetrics find(TraceSummary summary, int rank, int device) {
        for (DeviceMetrics d : summary.devices()) {
            if (d.rank() == rank && d.device() == device) {
                return d;
            }
        }
        return null;
    }

    private static void writeDevice(JsonGenerator g, DeviceEvents d, int pid, int rank, DeviceMetrics metrics)
            throws IOException {
        String process = (rank >= 0 ? "rank " + rank + " " : "") + "device " + d.device();
        metadata(g, "process_name", pid, 0, process);
        metadata(g, "process_sort_index", pid, 0, null);
        GpuEvents e = d.trace().gpuEvents();
        java.util.TreeSet<Integer> streams = new java.util.TreeSet<>();
        for (int k = 0; k < d.size(); k++) {
            int i = d.index(k);
            streams.add(e.stream(i));
            g.writeStartObject();
            g.writeStringField("ph", "X");
            g.writeStringField("cat", switch (e.kind(i)) {
                case KERNEL -> "kernel";
                case MEMCPY -> "gpu_memcpy";
                case MEMSET -> "gpu_memset";
            });
            g.writeStringField("name", d.trace().names().name(e.nameId(i)));
            g.writeNumberField("pid", pid);
            g.writeNumberField("tid", e.stream(i));
            micros(g, "ts", e.startNs(i));
            micros(g, "dur", e.endNs(i) - e.startNs(i));
            g.writeObjectFieldStart("args");
            g.writeStringField("class", d.kind(k).name().toLowerCase(Locale.ROOT));
            g.writeNumberField("stream", e.stream(i));
            if (e.correlation(i) >= 0) {
                g.writeNumberField("correlation", e.correlation(i));
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        for (int s : streams) {
            metadata(g, "thread_name", pid, s, "stream " + s);
        }
        if (metrics != null && metrics.smOccupancy() != null) {
            SmOccupancy occ = metrics.smOccupancy();
            for (int k = 0; k < occ.segments(); k++) {
                counter(g, "SM occupancy", pid, occ.timeNs(k), "computation", occ.computeSms(k), "communication",
                        occ.commSms(k));
            }
            if (occ.segments() > 0) {
                counter(g, "SM occupancy", pid, occ.timeNs(occ.segments()), "computation", 0, "communication", 0);
            }
        }
        for (QueueLength q : QueueLength.of(d)) {
            for (int k = 0; k < q.timeNs().length; k++) {
                counter(g, "queue length stream " + q.stream(), pid, q.timeNs()[k], "outstanding ops", q.length()[k],
                        null, 0);
            }
        }
    }

    private static void metadata(JsonGenerator g, String name, int pid, int tid, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeStringField("name", name);
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        if (value != null) {
            g.writeStringField("name", value);
        } else {
            g.writeNumberField("sort_index", pid);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void counter(JsonGenerator g, String name, int pid, long ns, String series, double value,
                                String series2, double value2) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "C");
        g.writeStringField("name", name);
        g.writeNumberField("pid", pid);
        micros(g, "ts", ns);
        g.writeObjectFieldStart("args");
        g.writeNumberField(series, value);
        if (series2 != null) {
            g.writeNumberField(series2, value2);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void flow(JsonGenerator g, String phase, int id, int pid, int tid, long ns) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", phase);
        g.writeStringField("cat", "p2p");
        g.writeStringField("name", "p2p transfer");
        g.writeNumberField("id", id);
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        micros(g, "ts", ns);
        if (phase.equals("f")) {
            g.writeStringField("bp", "e");
        }
        g.writeEndObject();
    }

    /** Nanoseconds as microseconds with three decimals, written exactly (no double rounding). */
    private static void micros(JsonGenerator g, String field, long ns) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(new java.math.BigDecimal(java.math.BigInteger.valueOf(ns), 3));
    }
}
