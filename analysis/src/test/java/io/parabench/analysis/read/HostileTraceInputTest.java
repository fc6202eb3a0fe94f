package io.parabench.analysis.read;

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
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace-input cases of issue 11 (hostile and careless input), each as the regression test
 * named after it: bounded time, no silent overflow, counted drops, one clear message with the
 * file, the byte offset and the event.
 */
class HostileTraceInputTest {
    private static Trace parse(String json) throws IOException {
        return TraceReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "hostile.json");
    }

    private static String kernel(String ts, String dur) {
        return "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":7,\"ts\":" + ts + ",\"dur\":" + dur + "}";
    }

    private static IllegalArgumentException rejected(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json));
    }

    // Issue 11 item 1: "ts":1e100000000 sent the reader into BigDecimal for minutes.
    @Test
    void shouldRejectAHugeExponentInTsAtOnce() {
        String json = "{\"traceEvents\":[" + kernel("1", "1") + "," + kernel("1e100000000", "1") + "]}";
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rejected(json));
        assertTrue(e.getMessage().contains("hostile.json"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + json.indexOf("1e100000000")), e.getMessage());
        assertTrue(e.getMessage().contains("traceEvents[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("ts (1e100000000) must be a finite number of microseconds within ±4.6e15"),
                e.getMessage());
    }

    @Test
    void shouldReadATinyExponentAsZeroAtOnce() throws IOException {
        Trace t = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> parse("{\"traceEvents\":[" + kernel("1e-100000000", "2.5e0") + "]}"));
        assertEquals(0L, t.gpuEvents().startNs(0));
        assertEquals(2_500L, t.gpuEvents().endNs(0));
    }

    @ParameterizedTest
    @CsvSource({
            "4611686018427387.903, 4611686018427387903",   // 2^62 - 1 ns: the largest time kept
            "-4611686018427387.903, -4611686018427387903",
            "1740461679471346.5, 1740461679471346500",
            "0.0005, 1",
            "-0.0005, -1",
            "0.00049999999999999999999999, 0",
            "1.5e3, 1500000",
            "15E-1, 1500",
            "123456789012345678901234567890e-27, 123457",  // more digits than a long holds, in range
            "0e999999999, 0",
    })
    void shouldParseMicrosecondsInFixedPoint(String text, long ns) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(ns, MicrosText.toNanos(b, 0, b.length));
    }

    @ParameterizedTest
    @CsvSource({
            "4611686018427387.904",  // 2^62 ns
            "-4611686018427387.904",
            "9e15",
            "-9e15",
            "8e15",
            "1e100000000",
            "99999999999999999999",
            "4611686018427387903.5e-3",
    })
    void shouldRejectTimesBeyondTwoToTheSixtyTwoNanoseconds(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(MicrosText.OUT_OF_RANGE, MicrosText.toNanos(b, 0, b.length));
    }

    @ParameterizedTest
    @CsvSource({"NaN", "Infinity", "-Infinity", "''", "1e", "."})
    void shouldRejectTextThatIsNoFiniteNumber(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(MicrosText.NOT_A_NUMBER, MicrosText.toNanos(b, 0, b.length));
    }

    // Issue 11 item 7: ts 1.74e15 with dur 8e15 overflowed to a 106 µs span with exit 0.
    @Test
    void shouldRejectADurationThatWouldOverflowTheEnd() {
        IllegalArgumentException e = rejected("{\"traceEvents\":[" + kernel("1.74e15", "8e15") + "]}");
        assertTrue(e.getMessage().contains("dur (8e15) must be a finite number of microseconds within ±4.6e15"),
                e.getMessage());
        assertTrue(e.getMessage().contains("traceEvents[0]"), e.getMessage());
    }

    @Test
    void shouldRejectAnEndPastTheRangeEvenWhenTsAndDurAreEachInIt() {
        IllegalArgumentException e = rejected("{\"traceEvents\":[" + kernel("4e15", "1e15") + "]}");
        assertTrue(e.getMessage().contains("past the supported 2^62 ns"), e.getMessage());
    }

    // Issue 11 item 2/7: ts -9e15 and +9e15 made a span of -446744073709550616 (long overflow).
    @Test
    void shouldRejectTimesWhoseSpanWouldOverflow() {
        IllegalArgumentException e = rejected("{\"traceEvents\":[" + kernel("-9e15", "1") + "," + kernel("9e15", "1") + "]}");
        assertTrue(e.getMessage().contains("ts (-9e15)"), e.getMessage());
        assertTrue(e.getMessage().contains("traceEvents[0]"), e.getMessage());
    }

    @Test
    void shouldKeepTheWidestSpanThatStillFitsInALong() throws IOException {
        Trace t = parse("{\"traceEvents\":[" + kernel("-4.6e15", "1") + "," + kernel("4.6e15", "1") + "]}");
        assertEquals(9_200_000_000_000_000_000L + 1000, t.gpuEvents().endNs(1) - t.gpuEvents().startNs(0));
    }

    // Issue 11 item 7: events without ts or with negative dur were dropped without a count.
    @Test
    void shouldCountTheEventsItDrops() throws IOException {
        Trace t = parse("{\"traceEvents\":["
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"no ts\",\"pid\":0,\"tid\":7,\"dur\":1},"
                + kernel("5", "-1") + ","
                + kernel("6", "-0.5") + ","
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"pid\":0,\"tid\":7,\"ts\":1,\"dur\":1},"
                + "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"a\",\"tid\":7,\"ts\":1,\"dur\":1},"
                + "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"not counted: not kept anyway\",\"dur\":1},"
                + "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0},"
                + kernel("7", "1")
                + "]}");
        assertEquals(1, t.gpuEvents().size());
        assertEquals(new DroppedEvents(1, 2, 2), t.dropped());
        assertEquals(5, t.dropped().total());
    }

    // Issue 11 item 7: a single file big2m.json was labelled rank 2 from its name.
    @Test
    void shouldNotTakeARankFromANumberThatIsNotARank(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big2m.json");
        Files.writeString(file, "{\"traceEvents\":[" + kernel("1", "1") + "]}");
        assertEquals(-1, TraceReader.read(file).get(0).rank());
        Path named = dir.resolve("job_rank2.json");
        Files.writeString(named, "{\"traceEvents\":[" + kernel("1", "1") + "]}");
        assertEquals(2, TraceReader.read(named).get(0).rank());
    }

    // Issue 11 item 8: rank99999999999.json failed with 'For input string'.
    @Test
    void shouldRejectARankTooLargeForAnInt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rank99999999999.json");
        Files.writeString(file, "{\"traceEvents\":[]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(file));
        assertEquals("trace file name (rank99999999999.json) states rank 99999999999, which must be at most 2147483647",
                e.getMessage());
        IllegalArgumentException inDir = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(dir));
        assertFalse(inDir.getMessage().contains("For input string"), inDir.getMessage());
    }

    @Test
    void shouldRejectADistributedRankOutOfRange() {
        IllegalArgumentException e = rejected("{\"distributedInfo\":{\"rank\":-3},\"traceEvents\":[]}");
        assertTrue(e.getMessage().contains("distributedInfo.rank (-3) must be a whole number from 0 to 2147483647"),
                e.getMessage());
    }

    // Issue 11 item 8: a .gz cut to its header said "null".
    @Test
    void shouldSayAGzipFileIsCutInItsHeader(@TempDir Path dir) throws IOException {
        byte[] gz = gzip("{\"traceEvents\":[]}".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("cut.json.gz");
        Files.write(file, Arrays.copyOf(gz, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(file));
        assertTrue(e.getMessage().contains("gzip header starting at compressed byte 0 is cut off after 6 bytes"),
                e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    // Issue 11 item 8: trailing garbage after the gzip data was ignored.
    @Test
    void shouldRejectTrailingGarbageAfterGzipData(@TempDir Path dir) throws IOException {
        byte[] gz = gzip(("{\"traceEvents\":[" + kernel("1", "1") + "]}").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("trailing.json.gz");
        byte[] withGarbage = Arrays.copyOf(gz, gz.length + 5);
        System.arraycopy("junk!".getBytes(StandardCharsets.US_ASCII), 0, withGarbage, gz.length, 5);
        Files.write(file, withGarbage);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(file));
        assertTrue(e.getMessage().contains("unexpected data at compressed byte " + gz.length
                + " after the end of the gzip data"), e.getMessage());
    }

    @Test
    void shouldReadConcatenatedGzipMembers(@TempDir Path dir) throws IOException {
        byte[] a = gzip(("{\"traceEvents\":[" + kernel("1", "1") + ",").getBytes(StandardCharsets.UTF_8));
        byte[] b = gzip((kernel("2", "1") + "]}").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("members.json.gz");
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Files.write(file, both);
        assertEquals(2, TraceReader.read(file).get(0).gpuEvents().size());
    }

    @Test
    void shouldRejectAGzipMemberWithABadChecksum(@TempDir Path dir) throws IOException {
        byte[] gz = gzip("{\"traceEvents\":[]}".getBytes(StandardCharsets.UTF_8));
        gz[gz.length - 8] ^= 1;
        Path file = dir.resolve("crc.json.gz");
        Files.write(file, gz);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceReader.read(file));
        assertTrue(e.getMessage().contains("fails its CRC-32 check"), e.getMessage());
    }

    // Issue 11 item 8: control characters were reported "at byte offset -1".
    @Test
    void shouldGiveTheByteOffsetOfAControlCharacter() {
        String json = "{\"traceEvents\":[" + kernel("1", "1") + ",{\"ph\":\"X\",\"name\":\"a\u0001b\"}]}";
        IllegalArgumentException e = rejected(json);
        assertTrue(e.getMessage().contains("byte offset " + json.indexOf('\u0001')), e.getMessage());
        assertTrue(e.getMessage().contains("traceEvents[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("control character 0x01"), e.getMessage());
    }

    @Test
    void shouldGiveTheByteOffsetOfAControlCharacterOutsideStrings() {
        String json = "{\"traceEvents\":[\u0002]}";
        IllegalArgumentException e = rejected(json);
        assertTrue(e.getMessage().contains("byte offset 16"), e.getMessage());
        assertTrue(e.getMessage().contains("byte 0x02"), e.getMessage());
    }

    // Issue 12 item 4: no input may make the reader recurse without bound.
    @Test
    void shouldSkipAMillionNestedArraysWithoutRecursion() throws IOException {
        int depth = 1_000_000;
        String json = "{\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":7,\"ts\":1,"
                + "\"dur\":1,\"args\":{\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}}]}";
        Trace t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> parse(json));
        assertEquals(1, t.gpuEvents().size());
        IllegalArgumentException e = rejected("{\"traceEvents\":[" + "{\"a\":".repeat(depth));
        assertTrue(e.getMessage().contains("byte offset " + (16 + 5L * depth)), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"traceEvents\":[{\"ph\":\"X\",\"x\":01}]}|expected ',' or '}' in an event, found a number",
            "{\"traceEvents\":[{\"ph\":\"X\",\"x\":1.}]}|a number needs a digit after '.'",
            "{\"traceEvents\":[{\"ph\":\"X\",\"x\":tru}]}|expected 'true', found '}'",
            "{\"traceEvents\":[{\"ph\":\"X\",\"x\":\"\\q\"}]}|invalid escape '\\q' in a string",
            "{\"traceEvents\":[{\"ph\":\"X\",\"x\":\"\\u12G4\"}]}|\\u needs four hex digits",
            "{\"traceEvents\":[{\"ph\":\"X\" \"x\":1}]}|expected ',' or '}' in an event, found a string",
            "{\"traceEvents\":[{\"ph\":\"X\",\"x\":[1 2]}]}|expected ',' or ']', found a number",
            "{\"traceEvents\":[1,]}|expected a value, found ']'",
    })
    void shouldRejectBrokenJsonWithItsOffset(String json, String expected) {
        IllegalArgumentException e = rejected(json);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
    }

    @Test
    void shouldDecodeEscapedNamesAndInternThemOnce() throws IOException {
        Trace t = parse("{\"traceEvents\":["
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"caf\\u00e9 \\\"k\\\" \\ud83d\\ude80\",\"pid\":0,\"tid\":7,\"ts\":1,\"dur\":1},"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"café \\\"k\\\" 🚀\",\"pid\":0,\"tid\":7,\"ts\":2,\"dur\":1}"
                + "]}");
        assertEquals(2, t.gpuEvents().size());
        assertEquals(1, t.names().size());
        assertEquals("café \"k\" 🚀", t.names().name(t.gpuEvents().nameId(0)));
        assertEquals(0, t.names().find("café \"k\" 🚀"));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }
}
