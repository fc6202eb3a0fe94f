package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceStatsCommandTest {


    private static final String ONE_KERNEL = "{\"deviceProperties\":[{\"id\":3,\"name\":\"g\",\"numSms\":10}],"
            + "\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":3,\"tid\":7,\"ts\":10,\"dur\":5,"
            + "\"args\":{\"grid\":[5,1,1]}}]}";

    @Test
    void shouldPrintTheIssuesJsonKeysPerDevice(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.json");
        Files.writeString(file, ONE_KERNEL);
        CommandRun r = CommandRun.run("trace-stats", file.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        root.get("3").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("span_us", "busy_us", "idle_ratio", "compute_busy_us", "comm_busy_us",
                "comm_overlap_ratio", "sm_occupancy_avg", "streams", "temporal", "kernels", "kernels_std",
                "kernels_not_listed", "idle_breakdown", "launch_stats", "queue_length"), keys);
        assertEquals(5.0, root.get("3").get("temporal").get("kernel_time_us").asDouble());
        assertEquals("sample", root.get("3").get("kernels_std").asText());
        assertEquals(5.0, root.get("3").get("span_us").asDouble());
        assertTrue(root.get("3").get("comm_overlap_ratio").isNull(), "no communication: ratio is null, not NaN");
        assertEquals(0.5, root.get("3").get("sm_occupancy_avg").asDouble());
        assertEquals(5.0, root.get("3").get("streams").get("7").asDouble());
        assertTrue(root.get("pipeline") == null);
    }

    /** Three devices (pids 0, 1, 2), one kernel each: 10 µs on device d starting at 100·d µs. */
    private static Path threeDevices(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("{\"traceEvents\":[");
        for (int d = 0; d < 3; d++) {
            sb.append(d == 0 ? "" : ",").append("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"gemm\",\"pid\":").append(d)
                    .append(",\"tid\":7,\"ts\":").append(100 * d).append(",\"dur\":10}");
        }
        return Files.writeString(dir.resolve("three.json"), sb.append("]}").toString());
    }

    // Issue 11 item 6: 100 000 devices printed ~2 kB of HTA breakdowns each (a 200 MB document).
    @Test
    void shouldDetailOnlyTheFirstDevicesAndSaySoOnStderrAndInJson(@TempDir Path dir) throws IOException {
        Path file = threeDevices(dir);
        CommandRun r = CommandRun.run("trace-stats", file.toString(), "--format", "json", "--device-detail", "2");
        assertEquals(0, r.exit(), r.err());
        assertEquals("trace-stats: 3 devices: Holistic Trace Analysis's breakdowns (temporal, kernels, idle, launches,"
                + " queue length) are printed for the first 2 only, the summary figures for all; --device-detail all"
                + " prints every device in full", r.err().strip());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertTrue(root.get("0").has("kernels") && root.get("1").has("temporal"), r.out());
        assertEquals(10.0, root.get("2").get("busy_us").asDouble());
        for (String key : List.of("temporal", "kernels", "kernels_std", "kernels_not_listed", "idle_breakdown",
                "launch_stats", "queue_length")) {
            assertTrue(!root.get("2").has(key), key + " left out of device 2");
            assertEquals(key, root.get("device_detail").get("keys_left_out").get(
                    List.of("temporal", "kernels", "kernels_std", "kernels_not_listed", "idle_breakdown", "launch_stats",
                            "queue_length").indexOf(key)).asText());
        }
        assertEquals(3, root.get("device_detail").get("devices").asInt());
        assertEquals(2, root.get("device_detail").get("detailed").asInt());
        assertEquals("--device-detail all", root.get("device_detail").get("all_with").asText());

        CommandRun all = CommandRun.run("trace-stats", file.toString(), "--format", "json", "--device-detail", "all");
        assertEquals("", all.err());
        JsonNode full = new ObjectMapper().readTree(all.out());
        assertTrue(full.get("2").has("kernels") && full.get("device_detail") == null, all.out());
        // the default (64) covers three devices
        assertEquals(all.out(), CommandRun.run("trace-stats", file.toString(), "--format", "json").out());
    }

    @Test
    void shouldPrintDevicesPastTheDetailLimitOneLineEach(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.run("trace-stats", threeDevices(dir).toString(), "--device-detail", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        int rows = lines.indexOf("devices 2.. of 3, one line each (--device-detail all prints each in full)");
        assertTrue(rows > 0, r.out());
        assertEquals("  device           span_us    busy_us idle_ratio compute_busy_us comm_busy_us comm_overlap_ratio"
                + " sm_occupancy_avg", lines.get(rows + 1));
        assertEquals("  1                 10.000     10.000     0.0000          10.000        0.000                n/a"
                + "              n/a", lines.get(rows + 2));
        assertTrue(lines.get(rows + 3).startsWith("  2  "), r.out());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("device ")).count(), "one device block: " + r.out());
    }

    @Test
    void shouldRefuseADeviceDetailThatIsNoCount(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.run("trace-stats", threeDevices(dir).toString(), "--device-detail", "many");
        assertEquals(2, r.exit());
        assertEquals("parabench trace-stats: --device-detail (many) must be a device count (0 or more) or all",
                r.err().strip());
        assertEquals("", r.out());
    }

    // Issue 11 item 7: events without ts or with a negative dur were dropped without a count.
    @Test
    void shouldReportDroppedEventsOnStderrAndInJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.json");
        Files.writeString(file, ONE_KERNEL.replace("]}", ","
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":3,\"tid\":7,\"dur\":5},"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":3,\"tid\":7,\"ts\":20,\"dur\":-5}]}"));
        CommandRun r = CommandRun.run("trace-stats", file.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("trace-stats: dropped 2 events of kept kinds (kernel, memcpy, memset, annotations, runtime calls):"
                + " 1 without ts, 1 with a negative dur, 0 without pid or name", r.err().strip());
        JsonNode dropped = new ObjectMapper().readTree(r.out()).get("dropped_events");
        assertEquals(1, dropped.get("without_ts").asInt());
        assertEquals(1, dropped.get("negative_dur").asInt());
        assertEquals(5.0, new ObjectMapper().readTree(r.out()).get("3").get("busy_us").asDouble());
    }

    @Test
    void shouldPrintPipelineBubblesForTheGpuTraces() throws IOException {
        Path dir = SharedData.require("gpu-traces/1f1b");
        CommandRun r = CommandRun.run("trace-stats", dir.toString(), "--format", "json", "--step", "sim:STEP");
        assertEquals(0, r.exit(), r.err());
        JsonNode pipeline = new ObjectMapper().readTree(r.out()).get("pipeline");
        // README: step window 383.98 ms, bubbles 56.92 / 57.12 / 57.09 / 55.43 ms, rate 0.148
        assertEquals(383.98, pipeline.get("step_us").asDouble() / 1000, 383.98 * 0.001);
        double[] readme = {56.92, 57.12, 57.09, 55.43};
        for (int rank = 0; rank < 4; rank++) {
            JsonNode node = pipeline.get("ranks").get(rank);
            assertEquals(rank, node.get("rank").asInt());
            assertEquals(readme[rank], node.get("bubble_us").asDouble() / 1000, readme[rank] * 0.001);
            assertTrue(node.has("compute_busy_us"));
        }
        assertEquals(0.148, pipeline.get("bubble_rate").asDouble(), 0.0005);
    }

    @Test
    void shouldPrintTextByDefault(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.json");
        Files.writeString(file, ONE_KERNEL);
        CommandRun r = CommandRun.run("trace-stats", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("device 3 (g, 10 SMs)"), r.out());
        assertTrue(r.out().contains("comm_overlap_ratio   n/a"), r.out());
    }

    @Test
    void shouldSaySoWhenATraceHasNoGpuEvents(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cpu-only.json.gz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write("{\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::mm\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":2}]}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        CommandRun text = CommandRun.run("trace-stats", file.toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().startsWith("no GPU events"), text.out());
        CommandRun json = CommandRun.run("trace-stats", file.toString(), "--format", "json");
        assertEquals("{ }", json.out().strip());
    }

    @Test
    void shouldExitWithTwoOnATruncatedTrace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.json");
        Files.writeString(file, ONE_KERNEL.substring(0, 90));
        CommandRun r = CommandRun.run("trace-stats", file.toString());
        assertEquals(Parabench.EXIT_BAD_INPUT, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("byte offset 90"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
    }

    @Test
    void shouldExitWithTwoOnAWrongTopLevelType(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("list.json");
        Files.writeString(file, "\"not a trace\"");
        CommandRun r = CommandRun.run("trace-stats", file.toString());
        assertEquals(Parabench.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("its top level is a string"), r.err());
    }

    @Test
    void shouldExitWithTwoOnADirectoryWithoutTraces(@TempDir Path dir) {
        CommandRun r = CommandRun.run("trace-stats", dir.toString());
        assertEquals(Parabench.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("must contain at least one *.json or *.json.gz trace file"), r.err());
    }

    @Test
    void shouldExitWithTwoOnABadPatternBeforeReading(@TempDir Path dir) {
        CommandRun r = CommandRun.run("trace-stats", dir.resolve("absent.json").toString(), "--comm-pattern", "[");
        assertEquals(Parabench.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("--comm-pattern ([) must be a valid Java regex"), r.err());
    }

    /** The two-rank trace of {@code CriticalPathTest}, whose critical path and stragglers are worked out there by hand. */
    @Test
    void shouldPrintStragglersAndTheCriticalPathAndWriteAPerfettoTrace(@TempDir Path dir) throws IOException {
        Path trace = io.parabench.analysis.metrics.CriticalPathTest.handTraceFile(dir);
        Path annotated = dir.resolve("out/merged.json.gz");
        CommandRun r = CommandRun.run("trace-stats", trace.toString(), "--critical-path", "--annotate",
                annotated.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode pipeline = new ObjectMapper().readTree(r.out()).get("pipeline");
        assertEquals(1, pipeline.get("stragglers").get("slowest_rank").asInt());
        assertEquals(5.0, pipeline.get("stragglers").get("behind_us").asDouble());
        JsonNode path = pipeline.get("critical_path");
        List<String> ops = new ArrayList<>();
        path.get("ops").forEach(op -> ops.add(op.get("rank").asInt() + " " + op.get("name").asText() + " "
                + op.get("start_us").asDouble() + "-" + op.get("end_us").asDouble()));
        assertEquals(List.of("0 F0:0 0.0-10.0", "1 F0:0 12.0-22.0", "1 B0:0 22.0-45.0", "0 B0:0 47.0-65.0"), ops);
        assertEquals(61.0, path.get("ops_us").asDouble());
        assertEquals(2, path.get("edges").size());

        JsonNode merged;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(annotated))) {
            merged = new ObjectMapper().readTree(in);
        }
        Map<String, Integer> phases = new java.util.TreeMap<>();
        merged.get("traceEvents").forEach(e -> phases.merge(e.get("ph").asText(), 1, Integer::sum));
        assertEquals(8, phases.get("X"), "every GPU event of both ranks: " + phases);
        assertEquals(2, phases.get("s"), "one flow start per point-to-point transfer");
        assertEquals(2, phases.get("f"), "one flow end per point-to-point transfer");
        assertTrue(phases.get("C") > 0, "SM occupancy counters");
        Set<String> processes = new java.util.TreeSet<>();
        merged.get("traceEvents").forEach(e -> {
            if (e.get("name").asText().equals("process_name")) {
                processes.add(e.get("args").get("name").asText());
            }
        });
        assertEquals(Set.of("device 0", "device 1"), processes);
        assertTrue(r.err().contains("wrote " + annotated), r.err());
    }

    @Test
    void shouldRefuseAnAnnotationFileThatIsNotJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.json");
        Files.writeString(file, ONE_KERNEL);
        CommandRun r = CommandRun.run("trace-stats", file.toString(), "--annotate", dir.resolve("out.txt").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--annotate (") && r.err().contains("*.json or *.json.gz"), r.err());
    }
}
