package io.parabench.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.parabench.output.PendingFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a Chrome trace in the PyTorch-profiler (Kineto) schema, one event at a time.
 *
 * <p>This is the suite's single timeline writer: the simulator, the emulated GPUs and the
 * pipeline runtime all write through it, so the analysis module reads their output exactly as
 * it reads a trace recorded on a real GPU. Layout:
 * <pre>{@code
 * {"schemaVersion": 1,
 *  "deviceProperties": [{"id": 0, "name": "...", "numSms": 132}, ...],
 *  "distributedInfo": {"rank": 0, "world_size": 4},          // optional
 *  "traceEvents": [ {"ph": "M", ...}, {"ph": "X", ...}, ... ]}
 * }</pre>
 * Times are virtual nanoseconds on input and written as microseconds with the nanoseconds kept
 * as three decimals ({@code 1234.567}); the text is formatted here, never by {@code double}
 * printing, so a trace is byte-identical across runs and JVMs.
 *
 * <p>Streaming: events go straight to a buffered stream, so a long run never holds its trace
 * in memory. When writing to a path, the events go to a temporary file beside it that is moved
 * into place by {@link #close()}; a failed run leaves no half-written trace.
 *
 * <p>Not thread-safe: one writer per trace, fed from one thread.
 */
public final class ChromeTraceWriter implements Closeable {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final JsonGenerator json;
    private final PendingFile file;
    private boolean closed;

    private ChromeTraceWriter(JsonGenerator json, PendingFile file) {
        this.json = json;
        this.file = file;
    }

    /**
     * Opens a writer onto {@code out}; the header (device properties, optional distributed
     * info) is written at once. The caller keeps ownership of {@code out} and must close it.
     *
     * @param rank      this trace's rank for {@code distributedInfo}, or -1 to omit it
     * @param worldSize the world size for {@code distributedInfo} (ignored when rank is -1)
     */
    public static ChromeTraceWriter open(OutputStream out, List<DeviceProperties> devices, int rank, int worldSize) {
        try {
            JsonGenerator gen = JSON.createGenerator(out, JsonEncoding.UTF8);
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            ChromeTraceWriter writer = new ChromeTraceWriter(gen, null);
            writer.writeHeader(devices, rank, worldSize);
            return writer;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Opens a writer onto a file, written to a temporary sibling and moved into place on close. */
    public static ChromeTraceWriter open(Path path, List<DeviceProperties> devices, int rank, int worldSize) {
        PendingFile file = PendingFile.open(path);
        try {
            JsonGenerator gen = JSON.createGenerator(file.stream(), JsonEncoding.UTF8);
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            ChromeTraceWriter writer = new ChromeTraceWriter(gen, file);
            writer.writeHeader(devices, rank, worldSize);
            return writer;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot write trace " + path + ": "
                    + io.getMessage(), io) : (RuntimeException) e;
        }
    }

    private void writeHeader(List<DeviceProperties> devices, int rank, int worldSize) throws IOException {
        json.writeStartObject();
        json.writeNumberField("schemaVersion", 1);
        json.writeArrayFieldStart("deviceProperties");
        for (DeviceProperties d : devices) {
            json.writeStartObject();
            json.writeNumberField("id", d.id());
            json.writeStringField("name", d.name());
            json.writeNumberField("numSms", d.numSms());
            json.writeEndObject();
        }
        json.writeEndArray();
        if (rank >= 0) {
            json.writeObjectFieldStart("distributedInfo");
            json.writeNumberField("rank", rank);
            json.writeNumberField("world_size", worldSize);
            json.writeEndObject();
        }
        json.writeArrayFieldStart("traceEvents");
    }

    /** Names a process (a device, or a simulated rank) with an {@code M} metadata event. */
    public void processName(int pid, String name) {
        metadata("process_name", pid, 0, name);
    }

    /** Names a thread (a stream) with an {@code M} metadata event. */
    public void threadName(int pid, int tid, String name) {
        metadata("thread_name", pid, tid, name);
    }

    private void metadata(String kind, int pid, int tid, String name) {
        try {
            json.writeStartObject();
            json.writeStringField("ph", "M");
            json.writeStringField("name", kind);
            json.writeNumberField("pid", pid);
            json.writeNumberField("tid", tid);
            json.writeObjectFieldStart("args");
            json.writeStringField("name", name);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Writes a complete ({@code ph:"X"}) event without {@code args}, e.g. a user annotation. */
    public void complete(EventCategory cat, String name, int pid, int tid, long startNs, long durationNs) {
        complete(cat, name, pid, tid, startNs, durationNs, null);
    }

    /**
     * Writes a complete ({@code ph:"X"}) event.
     *
     * @param kernel kernel arguments, or null for events without them (annotations)
     */
    public void complete(EventCategory cat, String name, int pid, int tid, long startNs, long durationNs,
                         KernelArgs kernel) {
        try {
            beginComplete(cat, name, pid, tid, startNs, durationNs);
            if (kernel != null) {
                writeKernelArgs(kernel);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Writes a complete ({@code ph:"X"}) copy event, {@code cat:"gpu_memcpy"}, with its args.
     * (A separate name, not a {@code complete} overload, keeps {@code complete(…, null)} unambiguous.)
     */
    public void memcpy(String name, int pid, int tid, long startNs, long durationNs, MemcpyArgs copy) {
        if (copy == null) {
            throw new IllegalArgumentException("memcpy args of " + name + " must not be null");
        }
        try {
            beginComplete(EventCategory.GPU_MEMCPY, name, pid, tid, startNs, durationNs);
            json.writeObjectFieldStart("args");
            json.writeNumberField("device", copy.device());
            json.writeNumberField("stream", copy.stream());
            json.writeNumberField("bytes", copy.bytes());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Opens a complete event and writes its common fields; the caller adds args and closes it. */
    private void beginComplete(EventCategory cat, String name, int pid, int tid, long startNs, long durationNs)
            throws IOException {
        if (durationNs < 0) {
            throw new IllegalArgumentException("event duration (" + durationNs + " ns) of " + name + " must be >= 0");
        }
        json.writeStartObject();
        json.writeStringField("ph", "X");
        json.writeStringField("cat", cat.traceName());
        json.writeStringField("name", name);
        json.writeNumberField("pid", pid);
        json.writeNumberField("tid", tid);
        json.writeFieldName("ts");
        json.writeNumber(micros(startNs));
        json.writeFieldName("dur");
        json.writeNumber(micros(durationNs));
    }

    private void writeKernelArgs(KernelArgs k) throws IOException {
        json.writeObjectFieldStart("args");
        json.writeNumberField("device", k.device());
        json.writeNumberField("stream", k.stream());
        json.writeArrayFieldStart("grid");
        json.writeNumber(k.gridX());
        json.writeNumber(1);
        json.writeNumber(1);
        json.writeEndArray();
        json.writeArrayFieldStart("block");
        json.writeNumber(k.blockX());
        json.writeNumber(1);
        json.writeNumber(1);
        json.writeEndArray();
        if (k.sms() >= 0) {
            json.writeNumberField("sms", k.sms());
        }
        if (k.flops() >= 0) {
            json.writeNumberField("flops", k.flops());
        }
        if (k.bytes() >= 0) {
            json.writeNumberField("bytes", k.bytes());
        }
        json.writeEndObject();
    }

    /**
     * Formats nanoseconds as microseconds with the nanoseconds as three decimals (trailing
     * {@code .000} dropped), without floating point, as Kineto writes times.
     */
    public static String micros(long ns) {
        long whole = ns / 1000;
        long frac = Math.abs(ns % 1000);
        String sign = ns < 0 && whole == 0 ? "-" : "";
        if (frac == 0) {
            return sign + whole;
        }
        String f = frac < 10 ? "00" + frac : frac < 100 ? "0" + frac : Long.toString(frac);
        return sign + whole + "." + f;
    }

    /** Ends the JSON document and, for a file, moves it into place (on failure nothing is left). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            json.writeEndArray();
            json.writeEndObject();
            json.close();
            if (file != null) {
                file.commit();
            }
        } catch (IOException e) {
            if (file != null) {
                file.close();
            }
            throw new UncheckedIOException(e.getMessage() != null && e.getMessage().startsWith("cannot write") ? e.getMessage()
                    : "cannot finish trace: " + e.getMessage(), e);
        }
    }

    /** Abandons a file trace: the temporary file is deleted and nothing appears at the target. Never throws. */
    public void abort() {
        closed = true;
        try {
            json.close();
        } catch (IOException | RuntimeException ignored) {
            // the trace is abandoned; the failure that led here is the one worth reporting
        }
        if (file != null) {
            file.close();
        }
    }
}
