package io.parabench.analysis.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The numbered cases of issue 11 (hostile and careless input) that belong to the command line,
 * each as the exact command the issue ran. Before the fix: OutOfMemoryError after 74-120 s and
 * a stack trace with exit 1, or a library message ("Illegal Capacity: -2"), or exit 0 with
 * nothing. Now: exit 2, one line naming the parameter, in a 256 MiB JVM, within the deadline.
 */
class HostileInputRegressionTest {
    /** A forked JVM starts in ~1 s; a size check answers at once. Generous for a loaded CI box. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static String oneLine(CommandRun r) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        assertEquals("", r.out(), "nothing on stdout");
        return lines.get(0);
    }

    private static String forked(String... args) {
        return oneLine(ForkedCli.run(DEADLINE, args));
    }

    private static void assertMentions(String line, String... parts) {
        for (String part : parts) {
            assertTrue(line.contains(part), "'" + part + "' in: " + line);
        }
    }

    // ---- case 1: a 90-byte trace pinned a core for minutes -----------------------------------------

    /** The trace shape: one kernel whose {@code ts} is {@code ts}. */
    private static Path oneKernel(Path dir, String ts, String dur) throws IOException {
        return Files.writeString(dir.resolve("t.json"), "{\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\","
                + "\"pid\":0,\"tid\":7,\"ts\":" + ts + ",\"dur\":" + dur + "}]}");
    }

    @Test
    void case1_aHugeExponentInTsIsOneLineAtOnce(@TempDir Path dir) throws IOException {
        // before: > 120 s in BigInteger.multiplyToomCook3 for 1e100000000, 14.7 s for 1e10000000
        for (String ts : List.of("1e100000000", "1e10000000")) {
            Path trace = oneKernel(dir, ts, "1");
            CommandRun r = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> CommandRun.run("trace-stats", trace.toString(), "--format", "json"), () -> "ts " + ts);
            assertMentions(oneLine(r), "t.json at byte offset", "ts (" + ts + ") must be a finite number of microseconds");
        }
    }

    // ---- case 2: OutOfMemoryError and stack traces instead of one line ----------------------------

    @Test
    void case2_timesWhoseSpanOverflowsALongAreOneLine(@TempDir Path dir) throws IOException {
        // before: IllegalStateException "… span -446744073709550616" with a stack trace and exit 1
        Path trace = Files.writeString(dir.resolve("t.json"), "{\"traceEvents\":["
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":7,\"ts\":-9e15,\"dur\":1},"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":7,\"ts\":9e15,\"dur\":1}]}");
        assertMentions(oneLine(CommandRun.run("trace-stats", trace.toString())), "parabench trace-stats:", "t.json",
                "ts (-9e15) must be a finite number of microseconds within ±4.6e15");
    }

    @Test
    void case2_scheduleWithHundredThousandRanksAndChunks() {
        assertMentions(forked("schedule", "--kind", "1f1b", "--ranks", "100000", "--chunks", "100000"),
                "parabench schedule: --ranks (100000) must be in 1..4096");
        assertMentions(forked("schedule", "--kind", "1f1b", "--ranks", "4096", "--chunks", "100000"),
                "needs ~", "the heap has 2", "lower --ranks or --chunks, or raise -Xmx");
    }

    @Test
    void case2_simulateWithHugeSizes() {
        assertMentions(forked("simulate", "--kind", "zb1p", "--ranks", "1000", "--chunks", "100000"),
                "parabench simulate: zb1p schedule of 1000 ranks x 100000 micro-batches", "needs ~");
    }

    @Test
    void case2_eplbWithABillionReplicasStepsOrLayers(@TempDir Path dir) throws IOException {
        Path weights = Files.writeString(dir.resolve("w.json"), "[[600,560,120,120,20,10,10,10]]");
        assertMentions(forked("eplb", "--weights", weights.toString(), "--replicas", "1000000000", "--groups", "1",
                "--nodes", "1", "--gpus", "8"), "on 1000000000 replicas needs ~", "lower --replicas");
        assertMentions(forked("eplb", "--simulate", "2000000000", "--experts", "16", "--replicas", "16", "--groups", "1",
                "--nodes", "1", "--gpus", "8"), "--simulate x --layers x --experts (2000000000 x 1 x 16");
        assertMentions(forked("eplb", "--simulate", "10", "--layers", "100000000", "--experts", "16", "--replicas", "16",
                "--groups", "1", "--nodes", "1", "--gpus", "8"), "must be at most");
    }

    @Test
    void case2_moeAtItsDocumentedMaximums() {
        assertMentions(forked("moe", "--gpus", "64", "--tokens", "4096", "--width", "1024", "--hidden", "1024",
                "--experts", "256", "--top-k", "16", "--replicas", "4096"), "parabench moe: MoE layer of 64 GPUs", "needs ~");
    }

    @Test
    void case2_trainBeyondTheHeap() {
        assertMentions(forked("train", "--kind", "gpipe", "--ranks", "4", "--chunks", "16", "--width", "1024",
                "--hidden", "1024", "--tokens", "1024"), "parabench train: a gpipe step of 4 model stages", "needs ~");
    }

    /** The emulated GPU's own memory (141 GB on an H200), not the Java heap: timing-only holds no data, so only the device refuses. */
    @Test
    void case2_trainBeyondTheEmulatedDevicesMemory() {
        CommandRun r = assertTimeoutPreemptively(DEADLINE, () -> CommandRun.run("train", "--timing-only", "--kind", "gpipe",
                "--ranks", "2", "--chunks", "16", "--width", "32768", "--hidden", "32768", "--tokens", "32768",
                "--device", "h200"));
        assertMentions(oneLine(r), "parabench train: device 0 out of memory: allocating", "of 141000000000 bytes in use");
    }

    // ---- case 7: silently wrong numbers --------------------------------------------------------

    @Test
    void case7_simulateWithCostsOf1e308() {
        CommandRun r = CommandRun.run("simulate", "--kind", "1f1b", "--ranks", "4", "--chunks", "8", "--f", "1e308",
                "--b", "1e308", "--format", "json");
        assertEquals("parabench simulate: --f (1.0E308) must be at most 1.0E12 (sums over a step must stay finite)",
                oneLine(r));
    }

    // ---- case 8: unhelpful messages ------------------------------------------------------------

    @Test
    void case8_chunksOfIntMax() {
        assertMentions(oneLine(CommandRun.run("schedule", "--kind", "1f1b", "--ranks", "2", "--chunks", "2147483647")),
                "1f1b schedule of 2 ranks x 2147483647 micro-batches", "needs ~");
    }

    @Test
    void case8_virtualStagesOfIntMax() {
        assertMentions(oneLine(CommandRun.run("schedule", "--kind", "interleaved", "--ranks", "2", "--chunks", "4",
                "--virtual-stages", "2147483647")), "x 2147483647 virtual stages", "lower --ranks, --chunks or --virtual-stages");
    }

    @Test
    void case8_moeSkewOf1e308() {
        assertEquals("parabench moe: --skew (1.0E308) must be a finite number in -1000..1000 (a shift of 1000 already"
                + " routes every token to the first experts)", oneLine(CommandRun.run("moe", "--skew", "1e308")));
        assertMentions(oneLine(CommandRun.run("moe", "--skew", "NaN")), "--skew (NaN)");
    }

    @Test
    void case8_moeOnTheHostDeviceWithTheDefaultCommSms() {
        CommandRun r = CommandRun.run("moe", "--device", "host", "--gpus", "2", "--experts", "4", "--tokens", "16",
                "--width", "8", "--hidden", "8", "--format", "json");
        if (io.parabench.gpu.DeviceSpec.preset("host").numSms() < 2) {
            assertMentions(oneLine(r), "--device (host) has 1 SM");
        } else {
            assertEquals(0, r.exit(), r.err());
        }
        assertMentions(oneLine(CommandRun.run("moe", "--device", "h800", "--comm-sms", "132")),
                "--comm-sms (132) must be in 1..131 (device");
    }

    @Test
    void case8_compareWithAnEmptyKindList() {
        assertEquals("parabench compare: --kinds () must name at least one schedule: dualpipe, dualpipev, 1f1b, zb1p,"
                + " gpipe, interleaved, zbv", oneLine(CommandRun.run("compare", "--ranks", "4", "--chunks", "8", "--kinds", ",")));
    }

    // ---- case 3 and 5 through a failing command: nothing left behind ---------------------------

    @Test
    void case3_aRefusedTrainLeavesTheTraceDirectoryAsItWas(@TempDir Path dir) throws IOException {
        Path traces = dir.resolve("t");
        oneLine(CommandRun.run("train", "--kind", "gpipe", "--ranks", "4", "--chunks", "16", "--width", "1024",
                "--hidden", "1024", "--tokens", "1024", "--trace", traces.toString()));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
    }
}
