package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 6, the quadratic analysis, at test size: distinct devices (the 100 000
 * pids took 84 s) and distinct kernel names over 64 devices (2 M names: trace-stats 8 min 54 s,
 * report over 14 min). Each command runs in-process and fails when its deadline passes. The
 * deadline is generous for a loaded 2-core CI box (each run takes a few seconds) and well below
 * what the quadratic code needs at these sizes: this class, run on its last commit (96b83bc),
 * fails every test on the deadline. The full sizes are timed by hand (README, Limits).
 */
class HugeCountRegressionTest {
    private static final int DEADLINE_S = 30;
    private static final Duration DEADLINE = Duration.ofSeconds(DEADLINE_S);
    /** Devices of the first trace, one kernel each. */
    private static final int DEVICES = 60_000;
    /** Names of the second trace, over {@link #NAME_DEVICES} devices (200 each). */
    private static final int NAMES = 102_400;
    /**
     * More devices than the 64: the old code classified every name once per device, so
     * at a test-sized name count the devices make the difference (100 k names over 512 devices:
     * 32 s of CPU before, 4 s now, as a cold command).
     */
    private static final int NAME_DEVICES = 512;

    private static CommandRun timed(String... args) {
        return assertTimeoutPreemptively(DEADLINE, () -> CommandRun.run(args),
                () -> "parabench " + String.join(" ", args) + " took longer than " + DEADLINE_S + " s");
    }

    private static Path distinctDevices(Path dir) throws IOException {
        Path trace = dir.resolve("pids.json");
        HugeCountTraces.distinctDevices(trace, DEVICES);
        return trace;
    }

    private static Path distinctNames(Path dir) throws IOException {
        Path trace = dir.resolve("names.json");
        HugeCountTraces.distinctNames(trace, NAMES, NAME_DEVICES);
        return trace;
    }

    @Test
    void case6_traceStatsOnSixtyThousandDistinctDevices(@TempDir Path dir) throws IOException {
        CommandRun r = timed("trace-stats", distinctDevices(dir).toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("trace-stats: 60000 devices: Holistic Trace Analysis's breakdowns"), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(5.0, root.get("59999").get("busy_us").asDouble());
        assertTrue(root.get("63").has("kernels") && !root.get("64").has("kernels"), "detail for the first 64 only");
        assertEquals(DEVICES, root.get("device_detail").get("devices").asInt());
        // one rank per device: each is busy 5 µs of a step from the first start (0) to the last end (DEVICES - 1 + 5 µs)
        assertEquals(DEVICES, root.get("pipeline").get("ranks").size());
        assertEquals(DEVICES - 1 + 5.0, root.get("pipeline").get("step_us").asDouble());
    }

    @Test
    void case6_reportOnSixtyThousandDistinctDevicesIsCapped(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("r.html");
        CommandRun r = timed("report", "--trace", distinctDevices(dir).toString(), "--out", html.toString());
        assertEquals(0, r.exit(), r.err());
        String page = Files.readString(html);
        assertTrue(page.length() < 2_000_000, "a page a browser opens: " + page.length() + " chars");
        assertTrue(page.contains((DEVICES - 64) + " more devices are not drawn (the first 64 are)"), "overlap chart capped");
        assertTrue(page.contains((DEVICES - 256) + " more devices not listed"), "summary table capped");
        assertTrue(page.contains((DEVICES - 16) + " more devices are not drawn (the first 16 are)"), "device sections capped");
        assertTrue(page.contains("The first 256 of " + DEVICES + " ranks are listed"), "rank table capped");
        assertTrue(page.contains("… (" + (DEVICES - 64) + " more ranks)"), "bubbles per rank capped");
    }

    @Test
    void case6_traceStatsOnDistinctNamesOverManyDevices(@TempDir Path dir) throws IOException {
        CommandRun r = timed("trace-stats", distinctNames(dir).toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        // device 5: names i ≡ 5 (mod 512), 200 kernels of 2 µs, 3 µs apart; every 8th name is NCCL, 5 mod 8 never is 7
        JsonNode device = root.get("5");
        assertEquals(400.0, device.get("busy_us").asDouble());
        assertEquals(0.0, device.get("comm_busy_us").asDouble());
        assertEquals(400.0, root.get("7").get("comm_busy_us").asDouble());
        assertEquals(200, device.get("kernels").size());
    }

    @Test
    void case6_reportOnDistinctNamesOverManyDevices(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("r.html");
        CommandRun r = timed("report", "--trace", distinctNames(dir).toString(), "--out", html.toString());
        assertEquals(0, r.exit(), r.err());
        String page = Files.readString(html);
        assertTrue(page.contains("170 more kernel names not shown"), "kernel tables of 30 rows");
        assertTrue(page.contains((NAME_DEVICES - 16) + " more devices are not drawn (the first 16 are)"), "device sections");
        assertTrue(page.length() < 3_000_000, "page of " + page.length() + " chars");
    }
}
