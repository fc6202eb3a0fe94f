package io.parabench.analysis.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file cut into byte ranges read in parallel gives exactly the trace of one sequential read:
 * the same events in the same order, the same name ids, the same errors with the same event
 * index — also when a cut lands inside an event. A gzip file inflated on a second thread
 * ({@link ReadAheadInput}) gives the trace and the errors of inflating on the caller's.
 */
class ParallelTraceReadTest {
    /** A Kineto-like trace: CPU ops with args, launches, kernels on two streams, flows, annotations. */
    private static String trace(int steps, String nestedArgs) {
        StringBuilder sb = new StringBuilder("{\n  \"schemaVersion\": 1,\n  \"traceEvents\": [\n");
        for (int i = 0; i < steps; i++) {
            long ts = 1_740_461_679_470_000L + i * 10L;
            sb.append("  {\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"aten::mm\", \"pid\": 11, \"tid\": 11, \"ts\": ")
                    .append(ts).append(", \"dur\": 3, \"args\": {\"External id\": ").append(i)
                    .append(", \"Input Dims\": [[4096, 7168], []]").append(i % 7 == 0 ? nestedArgs : "").append("}},\n");
            sb.append("  {\"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"cudaLaunchKernel\", \"pid\": 11, \"tid\": 11,")
                    .append(" \"ts\": ").append(ts + 1).append(", \"dur\": 2, \"args\": {\"correlation\": ").append(i).append("}},\n");
            sb.append("  {\"ph\": \"s\", \"id\": ").append(i).append(", \"pid\": 11, \"tid\": 11, \"ts\": ").append(ts + 1)
                    .append(", \"cat\": \"ac2g\", \"name\": \"ac2g\"},\n");
            sb.append("  {\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"kernel_").append(i % 13).append("\", \"pid\": 0,")
                    .append(" \"tid\": ").append(7 + i % 2 * 20).append(", \"ts\": ").append(ts + 5).append(".").append(i % 1000)
                    .append(", \"dur\": 4.5, \"args\": {\"stream\": ").append(7 + i % 2 * 20)
                    .append(", \"correlation\": ").append(i).append(", \"grid\": [").append(1 + i % 50).append(", 2, 1]}},\n");
            if (i % 100 == 0) {
                sb.append("  {\"ph\": \"X\", \"cat\": \"user_annotation\", \"name\": \"step ").append(i / 100)
                        .append("\", \"pid\": 11, \"tid\": 11, \"ts\": ").append(ts).append(", \"dur\": 1000},\n");
            }
        }
        sb.append("  {\"ph\": \"i\", \"name\": \"end\", \"pid\": 0, \"tid\": 0, \"ts\": 1}\n  ],\n");
        sb.append("  \"deviceProperties\": [{\"id\": 0, \"name\": \"NVIDIA H800\", \"numSms\": 132}],\n");
        sb.append("  \"distributedInfo\": {\"rank\": 3}\n}\n");
        return sb.toString();
    }

    private static void assertSameTrace(Trace a, Trace b) {
        assertEquals(a.rank(), b.rank());
        assertEquals(a.devices(), b.devices());
        assertEquals(a.bytesRead(), b.bytesRead());
        assertEquals(a.dropped(), b.dropped());
        assertEquals(a.names().size(), b.names().size());
        for (int id = 0; id < a.names().size(); id++) {
            assertEquals(a.names().name(id), b.names().name(id));
        }
        GpuEvents x = a.gpuEvents();
        GpuEvents y = b.gpuEvents();
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.startNs(i), y.startNs(i));
            assertEquals(x.endNs(i), y.endNs(i));
            assertEquals(x.nameId(i), y.nameId(i));
            assertEquals(x.stream(i), y.stream(i));
            assertEquals(x.gridBlocks(i), y.gridBlocks(i));
            assertEquals(x.correlation(i), y.correlation(i));
        }
        RuntimeCalls r = a.runtimeCalls();
        RuntimeCalls s = b.runtimeCalls();
        assertEquals(r.size(), s.size());
        for (int i = 0; i < r.size(); i++) {
            assertEquals(r.startNs(i), s.startNs(i));
            assertEquals(r.endNs(i), s.endNs(i));
            assertEquals(r.correlation(i), s.correlation(i));
            assertEquals(r.nameId(i), s.nameId(i));
        }
        assertEquals(a.annotations().size(), b.annotations().size());
        for (int i = 0; i < a.annotations().size(); i++) {
            assertEquals(a.annotations().nameId(i), b.annotations().nameId(i));
            assertEquals(a.annotations().startNs(i), b.annotations().startNs(i));
        }
    }

    @Test
    void shouldReadTheSameTraceInParallelAsSequentially(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.json");
        Files.writeString(file, trace(3000, ""));
        long size = Files.size(file);
        long[] starts = TraceReader.eventBoundaries(file, size, 4);
        assertEquals(4, starts.length, "four ranges");
        for (int k = 0; k < 3; k++) {
            TracePart part = new TracePart(ColumnBlocks.ofHeap());
            assertEquals(null, TraceReader.scanRange(file, starts, k, part).failure());
            assertTrue(part.reachedNext, "range " + k + " ends where range " + (k + 1) + " starts");
            assertEquals(starts[k + 1], part.endOffset);
        }
        Trace sequential = TraceReader.readFile(file, 1);
        Trace parallel = TraceReader.readFile(file, 4, 1);
        assertEquals(3000, sequential.gpuEvents().size());
        assertEquals(3000, sequential.runtimeCalls().size());
        assertEquals(30, sequential.annotations().size());
        assertEquals(3, parallel.rank());
        assertEquals(132, parallel.numSms(0));
        assertSameTrace(sequential, parallel);
    }

    @Test
    void shouldReadOnWhenACutLandsInsideAnEvent(@TempDir Path dir) throws IOException {
        // Arrays of objects inside args: "}, {" that is no event boundary, everywhere.
        String nested = ", \"shapes\": [" + "{\"a\": 1}, {\"b\": 2}, ".repeat(200) + "{\"c\": 3}]";
        Path file = dir.resolve("t.json");
        Files.writeString(file, trace(1500, nested));
        Trace sequential = TraceReader.readFile(file, 1);
        for (int threads = 2; threads <= 5; threads++) {
            assertSameTrace(sequential, TraceReader.readFile(file, threads, 1));
        }
    }

    @Test
    void shouldReportAnErrorInALaterRangeAsASequentialReadDoes(@TempDir Path dir) throws IOException {
        String json = trace(3000, "");
        int at = json.lastIndexOf("\"dur\": 4.5");
        String broken = json.substring(0, at) + "\"dur\": 4e99" + json.substring(at + "\"dur\": 4.5".length());
        Path file = dir.resolve("t.json");
        Files.write(file, broken.getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException sequential = assertThrows(IllegalArgumentException.class,
                () -> TraceReader.readFile(file, 1));
        IllegalArgumentException parallel = assertThrows(IllegalArgumentException.class,
                () -> TraceReader.readFile(file, 3, 1));
        assertEquals(sequential.getMessage(), parallel.getMessage());
        assertTrue(parallel.getMessage().contains("byte offset " + (at + "\"dur\": ".length())), parallel.getMessage());
        assertTrue(parallel.getMessage().contains("dur (4e99)"), parallel.getMessage());
    }

    @Test
    void shouldReadADirectoryOfRanksInParallel(@TempDir Path dir) throws IOException {
        for (int r = 0; r < 3; r++) {
            Files.writeString(dir.resolve("step_rank" + r + ".json"), trace(200 + r, "").replace(
                    "\"distributedInfo\": {\"rank\": 3}", "\"distributedInfo\": {\"rank\": " + r + "}"));
        }
        var traces = TraceReader.read(dir, 2);
        assertEquals(3, traces.size());
        for (int r = 0; r < 3; r++) {
            assertEquals(r, traces.get(r).rank());
            assertEquals(200 + r, traces.get(r).gpuEvents().size());
        }
    }

    private static byte[] gzip(String json) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldReadTheSameGzipTraceInflatingOnASecondThread(@TempDir Path dir) throws IOException {
        // several read-ahead chunks' worth, so chunks are handed over and reused while scanning
        String json = trace(12_000, "");
        assertTrue(json.length() > 3 * ReadAheadInput.CHUNK_BYTES, "longer than three chunks: " + json.length());
        Path file = dir.resolve("t.json.gz");
        Files.write(file, gzip(json));
        Trace sequential = TraceReader.readFile(file, 1);
        Trace inflatedAhead = TraceReader.readFile(file, 2);
        assertEquals(12_000, sequential.gpuEvents().size());
        assertEquals(json.length(), inflatedAhead.bytesRead());
        assertSameTrace(sequential, inflatedAhead);
    }

    @Test
    void shouldReportACutOrCorruptGzipFileAsWhenInflatingOnTheCallersThread(@TempDir Path dir) throws IOException {
        byte[] gz = gzip(trace(12_000, ""));
        byte[] corrupt = gz.clone();
        corrupt[gz.length - 8] ^= 1;  // CRC-32: found only after every byte was inflated and scanned
        byte[] malformed = gzip(trace(3000, "").replaceFirst("\"dur\": 4.5", "\"dur\": 4.5.5"));
        byte[][] files = {Arrays.copyOf(gz, gz.length / 2), Arrays.copyOf(gz, 6), corrupt, malformed};
        for (int f = 0; f < files.length; f++) {
            Path file = dir.resolve("bad" + f + ".json.gz");
            Files.write(file, files[f]);
            IllegalArgumentException sequential = assertThrows(IllegalArgumentException.class,
                    () -> TraceReader.readFile(file, 1));
            IllegalArgumentException inflatedAhead = assertThrows(IllegalArgumentException.class,
                    () -> TraceReader.readFile(file, 2));
            assertEquals(sequential.getMessage(), inflatedAhead.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceReader.readFile(dir.resolve("bad0.json.gz"), 2))
                .getMessage().contains("cannot be read past byte offset"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceReader.readFile(dir.resolve("bad2.json.gz"), 2))
                .getMessage().contains("fails its CRC-32 check"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceReader.readFile(dir.resolve("bad3.json.gz"), 2))
                .getMessage().contains("traceEvents["));
    }
}
