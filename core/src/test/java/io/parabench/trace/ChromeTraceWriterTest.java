package io.parabench.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChromeTraceWriterTest {

    @Test
    void shouldFormatNanosecondsAsMicrosecondsWithoutFloatingPoint() {
        assertEquals("0", ChromeTraceWriter.micros(0));
        assertEquals("1", ChromeTraceWriter.micros(1000));
        assertEquals("0.001", ChromeTraceWriter.micros(1));
        assertEquals("1234.567", ChromeTraceWriter.micros(1_234_567));
        assertEquals("12.050", ChromeTraceWriter.micros(12_050));
        assertEquals("-0.500", ChromeTraceWriter.micros(-500));
        assertEquals("-1.500", ChromeTraceWriter.micros(-1500));
    }

    @Test
    void shouldWriteKinetoLayoutWithHeaderBeforeEvents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChromeTraceWriter w = ChromeTraceWriter.open(out, List.of(new DeviceProperties(0, "H800", 132)), 0, 2)) {
            w.processName(0, "GPU 0");
            w.threadName(0, 7, "stream 7");
            w.complete(EventCategory.KERNEL, "gemm", 0, 7, 1_500, 2_250, new KernelArgs(0, 7, 264, 128, 112, 1000, -1));
            w.complete(EventCategory.USER_ANNOTATION, "F0:1", 0, 1, 0, 10_000);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertEquals("{\"schemaVersion\":1,\"deviceProperties\":[{\"id\":0,\"name\":\"H800\",\"numSms\":132}],"
                + "\"distributedInfo\":{\"rank\":0,\"world_size\":2},\"traceEvents\":["
                + "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"GPU 0\"}},"
                + "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":0,\"tid\":7,\"args\":{\"name\":\"stream 7\"}},"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"gemm\",\"pid\":0,\"tid\":7,\"ts\":1.500,\"dur\":2.250,"
                + "\"args\":{\"device\":0,\"stream\":7,\"grid\":[264,1,1],\"block\":[128,1,1],\"sms\":112,\"flops\":1000}},"
                + "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"F0:1\",\"pid\":0,\"tid\":1,\"ts\":0,\"dur\":10}]}",
                json);
    }

    @Test
    void shouldWriteMemcpyArgs() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChromeTraceWriter w = ChromeTraceWriter.open(out, List.of(), -1, 0)) {
            w.memcpy("Memcpy DtoD (Device -> Device)", 1, 3, 2_000, 1_001,
                    new MemcpyArgs(1, 3, 4096));
        }
        assertEquals("{\"schemaVersion\":1,\"deviceProperties\":[],\"traceEvents\":["
                + "{\"ph\":\"X\",\"cat\":\"gpu_memcpy\",\"name\":\"Memcpy DtoD (Device -> Device)\",\"pid\":1,"
                + "\"tid\":3,\"ts\":2,\"dur\":1.001,\"args\":{\"device\":1,\"stream\":3,\"bytes\":4096}}]}",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldOnlyPublishFileOnClose(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        ChromeTraceWriter w = ChromeTraceWriter.open(trace, List.of(new DeviceProperties(0, "rank 0", 0)), -1, 0);
        w.complete(EventCategory.USER_ANNOTATION, "F0:0", 0, 0, 0, 1000);
        assertFalse(Files.exists(trace), "trace must not appear before close");
        w.close();
        assertTrue(Files.readString(trace).endsWith("]}"));
    }

    @Test
    void shouldLeaveNothingBehindWhenAborted(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        ChromeTraceWriter w = ChromeTraceWriter.open(trace, List.of(new DeviceProperties(0, "rank 0", 0)), -1, 0);
        w.abort();
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void shouldRejectNegativeDuration() {
        ChromeTraceWriter w = ChromeTraceWriter.open(new ByteArrayOutputStream(), List.of(), -1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.complete(EventCategory.KERNEL, "k", 0, 0, 0, -1));
        assertTrue(e.getMessage().contains("-1 ns"));
    }

    /** Issue 11 case 3: a failed move left the .tmp file; abort() skipped the delete when the flush threw. */
    @Test
    void shouldLeaveNoTemporaryFileWhenFinishingOrAbortingFails(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("t.json");
        ChromeTraceWriter w = ChromeTraceWriter.open(target, List.of(new DeviceProperties(0, "H800", 132)), -1, 0);
        w.complete(EventCategory.KERNEL, "gemm", 0, 7, 0, 1000);
        Files.createDirectories(target.resolve("in-the-way"));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, w::close);
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(List.of("t.json"), s.map(p -> p.getFileName().toString()).toList());
        }
        ChromeTraceWriter aborted = ChromeTraceWriter.open(dir.resolve("a.json"), List.of(), -1, 0);
        aborted.abort();
        aborted.abort();
        assertFalse(Files.exists(dir.resolve("a.json")));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
