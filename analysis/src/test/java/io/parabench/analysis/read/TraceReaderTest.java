package io.parabench.analysis.read;

import io.parabench.gpu.BlockShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReaderTest {
    private static final String SMALL = "{\"schemaVersion\":1,"
            + "\"deviceProperties\":[{\"id\":0,\"name\":\"NVIDIA H800\",\"numSms\":132,\"warpSize\":32}],"
            + "\"traceEvents\":["
            + "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"python3\"}},"
            + "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::mm\",\"pid\":11,\"tid\":11,\"ts\":1,\"dur\":2,\"args\":{\"a\":[1,{\"b\":2}]}},"
            + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"gemm\",\"pid\":0,\"tid\":7,\"ts\":1740461679471346.5,\"dur\":52.0004,"
            + "\"args\":{\"stream\":7,\"grid\":[2,56,1],\"block\":[384,1,1],\"nested\":{\"x\":[1,2]}}},"
            + "{\"ph\":\"X\",\"cat\":\"gpu_memcpy\",\"name\":\"Memcpy DtoD\",\"pid\":0,\"tid\":\"9\",\"ts\":\"10.25\",\"dur\":3},"
            + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"emulated\",\"pid\":0,\"tid\":3,\"ts\":5,\"dur\":1,\"args\":{\"sms\":20}},"
            + "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"attn(F)\",\"pid\":11,\"tid\":11,\"ts\":2,\"dur\":4},"
            + "{\"ph\":\"X\",\"cat\":\"gpu_user_annotation\",\"name\":\"attn(F)\",\"pid\":0,\"tid\":7,\"ts\":3,\"dur\":4},"
            + "{\"ph\":\"i\",\"name\":\"marker\",\"pid\":0,\"tid\":0,\"ts\":4},"
            + "{\"ph\":\"f\",\"cat\":\"ac2g\",\"id\":3,\"pid\":0,\"tid\":7,\"ts\":4},"
            + "{\"ph\":\"X\",\"cat\":\"new_kind\",\"name\":\"x\",\"pid\":0,\"tid\":7,\"ts\":4,\"dur\":1},"
            + "42, [1,2]"
            + "],\"distributedInfo\":{\"backend\":\"nccl\",\"rank\":5,\"world_size\":64}}";

    private static Trace parse(String json) throws IOException {
        return TraceReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void shouldKeepRuntimeCallsWithTheirNameEndAndCorrelation() throws IOException {
        Trace t = parse("{\"traceEvents\":["
                + "{\"ph\":\"X\",\"cat\":\"cuda_runtime\",\"name\":\"cudaLaunchKernel\",\"pid\":11,\"tid\":12,"
                + "\"ts\":10.5,\"dur\":4.25,\"args\":{\"cbid\":211,\"correlation\":23}},"
                + "{\"ph\":\"X\",\"cat\":\"cuda_driver\",\"name\":\"cuLaunchKernelEx\",\"pid\":11,\"tid\":12,"
                + "\"ts\":20,\"dur\":1,\"args\":{\"correlation\":24}},"
                + "{\"ph\":\"X\",\"cat\":\"cuda_runtime\",\"name\":\"cudaEventQuery\",\"pid\":11,\"tid\":12,"
                + "\"ts\":30,\"dur\":1,\"args\":{\"cbid\":138}}"
                + "]}");
        RuntimeCalls calls = t.runtimeCalls();
        assertEquals(2, calls.size(), "a call without a correlation id launches nothing and is dropped");
        assertEquals("cudaLaunchKernel", t.names().name(calls.nameId(0)));
        assertEquals(10_500L, calls.startNs(0));
        assertEquals(14_750L, calls.endNs(0));
        assertEquals(23L, calls.correlation(0));
        assertEquals(12, calls.tid(0));
        assertEquals("cuLaunchKernelEx", t.names().name(calls.nameId(1)));
        assertEquals(21_000L, calls.endNs(1));
    }

    @Test
    void shouldKeepGpuEventsAndAnnotationsAndSkipEverythingElse() throws IOException {
        Trace t = parse(SMALL);
        assertEquals(5, t.rank());
        assertEquals(132, t.numSms(0));
        assertEquals("NVIDIA H800", t.devices().get(0).name());
        GpuEvents e = t.gpuEvents();
        assertEquals(3, e.size());
        assertEquals("gemm", t.names().name(e.nameId(0)));
        assertEquals(1740461679471346500L, e.startNs(0), "epoch microseconds keep their nanoseconds exactly");
        assertEquals(1740461679471346500L + 52000L, e.endNs(0), "a fourth decimal rounds");
        assertEquals(112, e.gridBlocks(0));
        assertEquals(GpuEvents.UNKNOWN, e.sms(0));
        assertEquals(7, e.stream(0));
        assertEquals(GpuEventKind.MEMCPY, e.kind(1));
        assertEquals(10250L, e.startNs(1), "numeric strings are read too");
        assertEquals(9, e.stream(1), "tid stands for the stream when args have none");
        assertEquals(20, e.sms(2));
        assertEquals(GpuEvents.UNKNOWN, e.gridBlocks(2));
        Annotations a = t.annotations();
        assertEquals(2, a.size());
        assertFalse(a.onGpu(0));
        assertTrue(a.onGpu(1));
        assertEquals(4000L, a.endNs(0) - a.startNs(0));
        assertEquals(-1, t.names().find("aten::mm"), "CPU op names are never interned");
        assertEquals(SMALL.length(), t.bytesRead());
    }

    @Test
    void shouldReadWhatABlockHoldsOnItsSm() throws IOException {
        // the PyTorch profiler's kernel args: block, registers per thread, shared memory (bytes)
        Trace t = parse("{\"traceEvents\":["
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"sgemm\",\"pid\":0,\"tid\":7,\"ts\":0,\"dur\":5,"
                + "\"args\":{\"grid\":[16,16,1],\"block\":[256,1,1],\"registers per thread\":254,"
                + "\"shared memory\":67584}},"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"nccl\",\"pid\":0,\"tid\":7,\"ts\":5,\"dur\":5,"
                + "\"args\":{\"grid\":[8,1,1],\"block\":[640,1,1],\"registers per thread\":96,"
                + "\"shared memory\":103808}},"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"emulated\",\"pid\":0,\"tid\":7,\"ts\":10,\"dur\":5,"
                + "\"args\":{\"grid\":[132,1,1],\"block\":[128,1,1]}}]}");
        GpuEvents e = t.gpuEvents();
        assertEquals(256, e.gridBlocks(0));
        assertEquals(new BlockShape(256, 254, 67_584), e.blockShape(0));
        // 103,808 B is kept in the SM's 128 B allocation unit: 811 units
        assertEquals(new BlockShape(640, 96, 103_808), e.blockShape(1));
        assertNull(e.blockShape(2), "no registers given: resources unknown");
    }

    @Test
    void shouldReadGzipByMagicBytesWhateverTheName(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(SMALL.getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve("plain-name.json");
        Files.write(file, bytes.toByteArray());
        List<Trace> traces = TraceReader.read(file);
        assertEquals(1, traces.size());
        assertEquals(3, traces.get(0).gpuEvents().size());
    }

    @Test
    void shouldAcceptABareArrayOfEvents() throws IOException {
        Trace t = parse("[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":1,\"tid\":2,\"ts\":3,\"dur\":4}]");
        assertEquals(1, t.gpuEvents().size());
        assertEquals(-1, t.rank());
    }

    @Test
    void shouldNameTheByteOffsetOfATruncatedTrace() {
        String cut = SMALL.substring(0, 400);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(cut));
        assertTrue(e.getMessage().contains("byte offset 400"), e.getMessage());
        assertTrue(e.getMessage().contains("test.json"), e.getMessage());
    }

    @Test
    void shouldNameTheByteOffsetOfMalformedJson() {
        String broken = "{\"traceEvents\":[{\"ph\":\"X\",,}]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(broken));
        assertTrue(e.getMessage().contains("byte offset 26"), e.getMessage());
    }

    @Test
    void shouldReportATruncatedGzipFile(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(SMALL.getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = bytes.toByteArray();
        Path file = dir.resolve("cut.json.gz");
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(file));
        assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
        assertTrue(e.getMessage().contains("cut.json.gz"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "42|a number",
            "\"trace\"|a string",
            "null|null",
            "{\"traceEvents\":{}}|traceEvents must be an array",
            "{\"schemaVersion\":1}|must have a traceEvents array",
            "''|is empty",
            "{\"traceEvents\":[]} []|after the end of the trace",
            "{\"traceEvents\":[{\"ts\":99999999999999999999}]}|ts (99999999999999999999) must be a finite number of microseconds within ±4.6e15 (2^62 ns)",
            "{\"traceEvents\":[{\"ts\":true}]}|ts must be a number of microseconds, found a boolean",
    })
    void shouldRejectAWrongTopLevel(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldRejectADirectoryWithoutTraces(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a trace");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(dir));
        assertTrue(e.getMessage().contains("must contain at least one *.json or *.json.gz"), e.getMessage());
    }

    @Test
    void shouldRejectAMissingPath(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceReader.read(dir.resolve("absent.json")));
        assertTrue(e.getMessage().contains("must be an existing file or directory"), e.getMessage());
    }

    @Test
    void shouldTakeRanksFromFileNamesAndOrderByRank(@TempDir Path dir) throws IOException {
        String body = "{\"traceEvents\":[]}";
        Files.writeString(dir.resolve("host_rank10.json"), body);
        Files.writeString(dir.resolve("host_rank2.json"), body);
        List<Trace> traces = TraceReader.read(dir);
        assertEquals(List.of(2, 10), traces.stream().map(Trace::rank).toList());
    }

    @Test
    void shouldRejectRepeatedRanks(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a_rank1.json"), "{\"traceEvents\":[]}");
        Files.writeString(dir.resolve("b.json"), "{\"distributedInfo\":{\"rank\":1},\"traceEvents\":[]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(dir));
        assertTrue(e.getMessage().contains("rank (1) must appear once"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "rank3.json, 3",
            "1f1b_rank0.json.gz, 0",
            "trace-rank_12.pt.trace.json, 12",
            "worker7.json, -1",
            "big2m.json, -1",
            "trace.json, -1",
    })
    void shouldFindTheRankInAFileName(String name, int rank) {
        assertEquals(rank, TraceReader.rankFromFileName(name));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "12, 12000",
            "12.5, 12500",
            "12.0005, 12001",
            "12.0004999, 12000",
            "-1.25, -1250",
            "4952220849826.723, 4952220849826723",
    })
    void shouldParseMicrosecondsAsExactNanoseconds(String text, long ns) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(ns, MicrosText.toNanos(bytes, 0, bytes.length));
    }

    @Test
    void shouldParseExponentsThroughTheSlowPath() throws IOException {
        Trace t = parse("{\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":1,"
                + "\"ts\":1.5e3,\"dur\":2E-3}]}");
        assertEquals(1_500_000L, t.gpuEvents().startNs(0));
        assertEquals(2L, t.gpuEvents().endNs(0) - t.gpuEvents().startNs(0));
    }
}
