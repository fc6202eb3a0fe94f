package io.parabench.analysis.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 cases 3 and 5 through the commands: trace sets and single files are whole, current and never replace links. */
class OutputSetsTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static CommandRun train(int ranks, Path traces, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--kind", "1f1b", "--ranks", Integer.toString(ranks),
                "--chunks", Integer.toString(ranks), "--width", "8", "--hidden", "8", "--tokens", "4", "--trace", traces.toString()));
        args.addAll(List.of(more));
        return CommandRun.run(args.toArray(String[]::new));
    }

    @Test
    void aSecondTrainRunReplacesTheFirstRunsRankFiles(@TempDir Path dir) throws IOException {
        Path traces = dir.resolve("d");
        assertEquals(0, train(8, traces).exit());
        CommandRun second = train(4, traces);
        assertEquals(0, second.exit(), second.err());
        assertEquals(List.of("rank-0.json", "rank-1.json", "rank-2.json", "rank-3.json"), names(traces));
        assertEquals(List.of("d"), names(dir), "no temporary directory left");
        assertTrue(Files.readString(traces.resolve("rank-3.json")).contains("\"world_size\":4"));
    }

    @Test
    void aDirectoryWithOtherFilesIsRefusedBeforeWorkUnlessForced(@TempDir Path dir) throws IOException {
        Path traces = Files.createDirectory(dir.resolve("d"));
        Files.writeString(traces.resolve("notes.md"), "mine");
        CommandRun refused = train(2, traces);
        assertEquals(2, refused.exit());
        assertEquals(1, refused.err().strip().split("\n").length, refused.err());
        assertTrue(refused.err().contains("notes.md") && refused.err().contains("--force"), refused.err());
        assertEquals("", refused.out(), "refused before any work");
        assertEquals(List.of("notes.md"), names(traces));
        assertEquals(0, train(2, traces, "--force").exit());
        assertEquals(List.of("notes.md", "rank-0.json", "rank-1.json"), names(traces));
        assertEquals(List.of("d"), names(dir));
    }

    @Test
    void simulateTraceWritesThroughALinkAndRefusesDevices(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("real.json"), "stale");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);
        CommandRun r = CommandRun.run("simulate", "--kind", "1f1b", "--ranks", "2", "--chunks", "2", "--trace", link.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(target).contains("traceEvents"));
        CommandRun dev = CommandRun.run("simulate", "--kind", "1f1b", "--ranks", "2", "--chunks", "2", "--trace", "/dev/stdout");
        assertEquals(2, dev.exit());
        assertTrue(dev.err().startsWith("parabench simulate: cannot write /dev/stdout"), dev.err());
        assertEquals(List.of("link.json", "real.json"), names(dir));
    }

    @Test
    void moeTraceIsOneFileInASetAndTheChecksStillPass(@TempDir Path dir) throws IOException {
        Path traces = dir.resolve("m");
        CommandRun r = CommandRun.run("moe", "--gpus", "2", "--experts", "4", "--tokens", "8", "--width", "8", "--hidden", "8",
                "--trace", traces.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("moe.json"), names(traces));
    }

    /** Issue 11 case 5: {@code report --out link.html} turned the link into a file and left its target stale. */
    @Test
    void reportOutThroughALinkWritesTheTarget(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("t.json");
        assertEquals(0, CommandRun.run("simulate", "--kind", "1f1b", "--ranks", "2", "--chunks", "2", "--trace",
                trace.toString()).exit());
        Path target = Files.writeString(dir.resolve("real.html"), "stale");
        Path link = Files.createSymbolicLink(dir.resolve("link.html"), target);
        CommandRun r = CommandRun.run("report", "--trace", trace.toString(), "--out", link.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertTrue(Files.readString(target).startsWith("<!DOCTYPE html>") || Files.readString(target).contains("<html"));
        assertEquals(List.of("link.html", "real.html", "t.json"), names(dir));
    }
}
