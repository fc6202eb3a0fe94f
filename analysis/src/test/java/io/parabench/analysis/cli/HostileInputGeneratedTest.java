package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generated hostile and careless input (issue 11): argument vectors built from overflowing,
 * non-finite, malformed and hostile-name values, and malformed, deep, huge-count and
 * hostile-name traces. Every run must end in exit 0 (the input happened to be fine) or exit 2
 * with exactly one line on stderr and nothing on stdout, within a deadline, and leave nothing
 * behind in the output directory when it failed (no partial file, no temporary file).
 *
 * <p>Generators are seeded ({@link #SEED}), so a failure names a case that reproduces; a
 * different seed can be tried with {@code -Dparabench.hostile.seed=N}. The cases that may try to
 * allocate beyond the heap run in a forked 256 MiB JVM ({@link ForkedCli}); the rest run in
 * process with a preemptive timeout.
 */
class HostileInputGeneratedTest {
    private static final long SEED = Long.getLong("parabench.hostile.seed", 11);
    private static final Duration IN_PROCESS_DEADLINE = Duration.ofSeconds(60);
    private static final Duration FORKED_DEADLINE = Duration.ofSeconds(60);

    /** Sizes: boundaries, overflow, absurd, and text that is not a number. */
    private static final String[] INTS = {"-2147483648", "-1", "0", "1", "2", "3", "4", "8", "4097", "65536", "100000",
            "2147483647", "2147483648", "99999999999", "1e9", "", "NaN", "0x10", " 4", "-0"};
    /** Durations and factors: non-finite, overflowing, denormal, negative, not numbers. */
    private static final String[] DOUBLES = {"1e308", "-1e308", "NaN", "Infinity", "-Infinity", "-0", "4.9e-324",
            "1e12", "1e13", "-1", "0", "1", "abc", "1,5", ""};
    /** Names: valid, case variants, injection, traversal, control characters, very long, unicode look-alikes. */
    private static final String[] KINDS = {"1f1b", "dualpipe", "dualpipev", "zb1p", "gpipe", "interleaved", "zbv",
            "1F1B", "<script>alert(1)</script>", "../../etc/passwd", "\u0000", "a\nb", "\u001b[31mred", "x".repeat(10000),
            "ＤＵＡＬＰＩＰＥ", ""};

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** One random pipeline-size argument vector for schedule/simulate/compare/train. */
    private static List<String> pipelineArgs(SplittableRandom random, String command, Path out) {
        List<String> args = new ArrayList<>(List.of(command));
        if (!command.equals("compare")) {
            args.addAll(List.of("--kind", pick(random, KINDS)));
        } else if (random.nextBoolean()) {
            args.addAll(List.of("--kinds", pick(random, KINDS) + "," + pick(random, new String[] {"", ",", "1f1b", "zz"})));
        }
        args.addAll(List.of("--ranks", pick(random, INTS), "--chunks", pick(random, INTS)));
        if (random.nextInt(3) == 0) {
            args.addAll(List.of("--virtual-stages", pick(random, INTS)));
        }
        if (command.equals("simulate") || command.equals("compare")) {
            for (String cost : new String[] {"--f", "--b", "--w", "--p2p"}) {
                if (random.nextInt(3) == 0) {
                    args.addAll(List.of(cost, pick(random, DOUBLES)));
                }
            }
            if (random.nextInt(4) == 0) {
                args.addAll(List.of("--chart", out.resolve(pick(random, new String[] {"c.svg", "c.png", "c.gif",
                        "sub/c.svg", "a\nb.svg"})).toString()));
            }
        }
        if (command.equals("simulate") && random.nextInt(4) == 0) {
            args.addAll(List.of("--trace", out.resolve("t.json").toString()));
        }
        if (command.equals("train")) {
            for (String dim : new String[] {"--width", "--hidden", "--tokens"}) {
                args.addAll(List.of(dim, pick(random, new String[] {"0", "1", "4", "8", "-1", "1025", "2147483647", "x"})));
            }
            if (random.nextBoolean()) {
                args.addAll(List.of("--trace", out.resolve("traces").toString()));
            }
        }
        args.addAll(List.of("--format", pick(random, new String[] {"json", "text", "JSON", "yaml", ""})));
        return args;
    }

    private static List<String> eplbSimulateArgs(SplittableRandom random) {
        List<String> args = new ArrayList<>(List.of("eplb", "--simulate", pick(random, INTS), "--experts", pick(random, INTS),
                "--layers", pick(random, INTS), "--replicas", pick(random, INTS), "--groups", pick(random, INTS),
                "--nodes", pick(random, INTS), "--gpus", pick(random, INTS)));
        if (random.nextBoolean()) {
            args.addAll(List.of("--zipf", pick(random, DOUBLES), "--decay", pick(random, DOUBLES)));
        }
        args.addAll(List.of("--format", "json"));
        return args;
    }

    private static List<String> moeArgs(SplittableRandom random, Path out) {
        List<String> args = new ArrayList<>(List.of("moe"));
        String[][] options = {{"--gpus"}, {"--experts"}, {"--tokens"}, {"--width"}, {"--hidden"}, {"--top-k"},
                {"--replicas"}, {"--chunks"}, {"--comm-sms"}, {"--nodes"}};
        for (String[] o : options) {
            if (random.nextInt(3) == 0) {
                args.addAll(List.of(o[0], pick(random, INTS)));
            }
        }
        if (random.nextInt(3) == 0) {
            args.addAll(List.of("--skew", pick(random, DOUBLES)));
        }
        if (random.nextInt(3) == 0) {
            args.addAll(List.of("--device", pick(random, new String[] {"h800", "host", "a100", "", "H200"})));
        }
        if (random.nextInt(3) == 0) {
            args.addAll(List.of("--trace", out.resolve("moe").toString()));
        }
        return args;
    }

    /** Asserts the contract for one run; {@code before} is the output directory's listing before it. */
    private static void assertContract(List<String> args, CommandRun r, Path out, List<String> before) throws IOException {
        String shown = String.join(" ", args).replace("\n", "\\n");
        if (shown.length() > 300) {
            shown = shown.substring(0, 300) + "…";
        }
        assertTrue(r.exit() == 0 || r.exit() == 2, "exit " + r.exit() + " for: " + shown + "\nstderr: " + r.err());
        if (r.exit() == 2) {
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), "one stderr line for: " + shown + "\n" + r.err());
            assertTrue(lines.get(0).startsWith("parabench"), lines.get(0));
            assertEquals("", r.out(), "nothing on stdout for: " + shown);
            assertEquals(before, listing(out), "nothing left behind by: " + shown);
        } else {
            if (args.contains("json") || args.contains("JSON")) {
                new ObjectMapper().readTree(r.out()); // one JSON document, nothing else
            }
            for (String name : listing(out)) {
                assertTrue(!name.endsWith(".tmp") && !name.matches("(.*/)?\\..*"), "temporary file " + name + " left by: " + shown);
            }
        }
    }

    /** Every path under {@code dir}, relative, sorted. */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static Stream<DynamicTest> inProcess(String family, int cases, Path root,
                                                 java.util.function.BiFunction<SplittableRandom, Path, List<String>> generator) {
        SplittableRandom random = new SplittableRandom(SEED ^ family.hashCode());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            Path out = root.resolve(family + "-" + i);
            List<String> args = generator.apply(random.split(), out);
            tests.add(DynamicTest.dynamicTest(family + " #" + i, () -> {
                Files.createDirectories(out);
                List<String> before = listing(out);
                CommandRun r = assertTimeoutPreemptively(IN_PROCESS_DEADLINE, () -> CommandRun.run(args.toArray(String[]::new)),
                        () -> "deadline passed for: " + String.join(" ", args));
                assertContract(args, r, out, before);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> scheduleSimulateCompareArguments(@TempDir Path root) {
        return Stream.of("schedule", "simulate", "compare")
                .flatMap(command -> inProcess(command, 25, root, (random, out) -> pipelineArgs(random, command, out)));
    }

    @TestFactory
    Stream<DynamicTest> trainArguments(@TempDir Path root) {
        return inProcess("train", 15, root, (random, out) -> pipelineArgs(random, "train", out));
    }

    @TestFactory
    Stream<DynamicTest> eplbSimulationArguments(@TempDir Path root) {
        return inProcess("eplb", 25, root, (random, out) -> eplbSimulateArgs(random));
    }

    @TestFactory
    Stream<DynamicTest> moeArguments(@TempDir Path root) {
        return inProcess("moe", 20, root, HostileInputGeneratedTest::moeArgs);
    }

    /** Huge counts in a 256 MiB JVM: each must be refused by the size check, not by an OutOfMemoryError. */
    @TestFactory
    Stream<DynamicTest> hugeCountsInASmallHeap(@TempDir Path root) {
        SplittableRandom random = new SplittableRandom(SEED);
        String[] huge = {"65536", "100000", "1000000", "2147483647"};
        List<List<String>> cases = List.of(
                List.of("schedule", "--kind", pick(random, new String[] {"1f1b", "zb1p", "gpipe"}), "--ranks", "4096",
                        "--chunks", pick(random, huge)),
                List.of("compare", "--ranks", "64", "--chunks", pick(random, huge)),
                List.of("simulate", "--kind", "interleaved", "--ranks", "4", "--chunks", "8", "--virtual-stages", pick(random, huge)),
                List.of("train", "--kind", "dualpipev", "--ranks", "8", "--chunks", "64", "--width", "1024", "--hidden", "1024",
                        "--tokens", "1024", "--trace", root.resolve("t").toString()),
                List.of("moe", "--gpus", "64", "--tokens", "4096", "--width", "1024", "--hidden", "1024", "--experts", "256",
                        "--top-k", pick(random, new String[] {"8", "16", "64"}), "--replicas", "4096"),
                List.of("eplb", "--simulate", "1000", "--experts", "256", "--layers", "58", "--replicas",
                        pick(random, new String[] {"100000000", "2000000000"}), "--groups", "8", "--nodes", "4", "--gpus", "32"));
        return cases.stream().map(args -> DynamicTest.dynamicTest(String.join(" ", args).replace(root.toString(), "DIR"), () -> {
            CommandRun r = ForkedCli.run(FORKED_DEADLINE, args.toArray(String[]::new));
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("needs ~") || r.err().contains("must be"), r.err());
            assertEquals(List.of(), listing(root));
        }));
    }

    // ---- traces ------------------------------------------------------------------------------

    private static final String VALID_TRACE = "{\"schemaVersion\":1,\"deviceProperties\":[{\"id\":0,\"name\":\"H800\",\"numSms\":132}],"
            + "\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"gemm\",\"pid\":0,\"tid\":7,\"ts\":10,\"dur\":5,"
            + "\"args\":{\"device\":0,\"stream\":7,\"grid\":[132,1,1],\"block\":[128,1,1]}},"
            + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"ncclKernel_AllReduce\",\"pid\":0,\"tid\":20,\"ts\":12,\"dur\":6,"
            + "\"args\":{\"device\":0,\"stream\":20,\"grid\":[20,1,1],\"block\":[128,1,1]}},"
            + "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"F0:1\",\"pid\":0,\"tid\":1,\"ts\":9,\"dur\":12}]}";

    private static final String[] TRACE_SHAPES = {"truncated", "flipped bytes", "deep nesting", "hostile names",
            "out-of-range fields", "many devices and names"};

    /** A malformed, deep, hostile-name or huge-count variant of the valid trace; {@code shape} indexes TRACE_SHAPES. */
    private static byte[] hostileTrace(SplittableRandom random, int shape) {
        byte[] valid = VALID_TRACE.getBytes(StandardCharsets.UTF_8);
        switch (shape) {
            case 0 -> { // truncated anywhere
                return java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            }
            case 1 -> { // a few bytes flipped
                byte[] b = valid.clone();
                for (int i = 0; i < 3; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 2 -> { // deep nesting where an event should be
                int depth = random.nextInt(1000, 200_000);
                String deep = "[".repeat(depth) + "]".repeat(depth);
                return VALID_TRACE.replace("{\"ph\":\"X\",\"cat\":\"user_annotation\"", deep + ",{\"ph\":\"X\",\"cat\":\"user_annotation\"")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // hostile names: markup, control characters, very long
                String name = pick(random, new String[] {"<img src=x onerror=alert(1)>", "\\u0000\\u001b[2J", "x".repeat(100_000),
                        "\\\"}]}", "\\ud800"});
                return VALID_TRACE.replace("gemm", name).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> { // out-of-range numbers in fields other than ts
                String n = pick(random, new String[] {"1e309", "-1", "99999999999999999999", "NaN", "\"7\"", "null", "1.5"});
                return VALID_TRACE.replace("\"pid\":0,\"tid\":7", "\"pid\":" + n + ",\"tid\":" + n)
                        .replace("\"numSms\":132", "\"numSms\":" + n).getBytes(StandardCharsets.UTF_8);
            }
            default -> { // many distinct devices and names (a huge-count shape at test size)
                StringBuilder sb = new StringBuilder("{\"traceEvents\":[");
                // up to one device per event: the analysis is linear in devices and names (the
                // issue's sizes are HugeCountRegressionTest's)
                int events = random.nextInt(1000, 5000);
                int devices = random.nextInt(2) == 0 ? 64 : events;
                for (int i = 0; i < events; i++) {
                    sb.append(i == 0 ? "" : ",").append("{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k").append(i)
                            .append("\",\"pid\":").append(i % devices).append(",\"tid\":").append(i % 7)
                            .append(",\"ts\":").append(i).append(",\"dur\":1}");
                }
                return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> hostileTraces(@TempDir Path root) {
        SplittableRandom random = new SplittableRandom(SEED ^ 0x7ace);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int shape = random.nextInt(TRACE_SHAPES.length);
            byte[] trace = hostileTrace(random, shape);
            boolean report = random.nextInt(3) == 0;
            int index = i;
            tests.add(DynamicTest.dynamicTest((report ? "report" : "trace-stats") + " on hostile trace #" + i + " ("
                    + TRACE_SHAPES[shape] + ")", () -> {
                Path in = Files.write(root.resolve("in-" + index + ".json"), trace);
                Path out = Files.createDirectories(root.resolve("out-" + index));
                List<String> args = report
                        ? List.of("report", "--trace", in.toString(), "--out", out.resolve("r.html").toString())
                        : List.of("trace-stats", in.toString(), "--format", "json");
                CommandRun r = assertTimeoutPreemptively(IN_PROCESS_DEADLINE, () -> CommandRun.run(args.toArray(String[]::new)),
                        () -> "deadline passed for trace #" + index);
                if (r.exit() == 1) {
                    fail("trace #" + index + " (" + new String(trace, 0, Math.min(trace.length, 200), StandardCharsets.UTF_8)
                            + "…): " + r.err());
                }
                assertContract(args, r, out, List.of());
            }));
        }
        return tests.stream();
    }
}
