package io.parabench.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSetTest {
    private static final Pattern RANKS = Pattern.compile("rank-\\d+\\.json");

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void writeRanks(Path dir, int ranks, String content, boolean force) throws IOException {
        try (FileSet set = FileSet.open(dir, RANKS, force)) {
            for (int r = 0; r < ranks; r++) {
                set.create("rank-" + r + ".json").write((content + r).getBytes(StandardCharsets.UTF_8));
            }
            set.commit();
        }
    }

    @Test
    void shouldCreateTheDirectoryWholeAndLeaveNoStaging(@TempDir Path dir) throws IOException {
        writeRanks(dir.resolve("d"), 3, "a", false);
        assertEquals(List.of("d"), names(dir));
        assertEquals(List.of("rank-0.json", "rank-1.json", "rank-2.json"), names(dir.resolve("d")));
        assertEquals("a2", Files.readString(dir.resolve("d/rank-2.json")));
    }

    /** Issue 11 case 3: {@code train --ranks 8 --trace d} then {@code --ranks 4} left ranks 4–7 of the first run. */
    @Test
    void shouldRemoveStaleFilesOfAnEarlierRun(@TempDir Path dir) throws IOException {
        Path d = dir.resolve("d");
        writeRanks(d, 8, "first", false);
        writeRanks(d, 4, "second", false);
        assertEquals(List.of("rank-0.json", "rank-1.json", "rank-2.json", "rank-3.json"), names(d));
        assertEquals("second3", Files.readString(d.resolve("rank-3.json")));
        assertEquals(List.of("d"), names(dir));
    }

    /** Issue 11 case 3: a failed run left a new rank-0, no rank-1 and stray temporary files. */
    @Test
    void shouldLeaveTheDirectoryUntouchedWhenARunFails(@TempDir Path dir) throws IOException {
        Path d = dir.resolve("d");
        writeRanks(d, 2, "old", false);
        assertThrows(IOException.class, () -> {
            try (FileSet set = FileSet.open(d, RANKS, false)) {
                set.create("rank-0.json").write("new".getBytes(StandardCharsets.UTF_8));
                OutputStream second = set.create("rank-1.json");
                second.write(new byte[1 << 17]);
                throw new IOException("No space left on device");
            }
        });
        assertEquals(List.of("d"), names(dir));
        assertEquals(List.of("rank-0.json", "rank-1.json"), names(d));
        assertEquals("old0", Files.readString(d.resolve("rank-0.json")));
        // a failing first run leaves no directory at all
        assertThrows(IllegalStateException.class, () -> {
            try (FileSet set = FileSet.open(dir.resolve("new"), RANKS, false)) {
                set.create("rank-0.json").write(1);
                throw new IllegalStateException("device out of memory");
            }
        });
        assertEquals(List.of("d"), names(dir));
    }

    @Test
    void shouldRefuseForeignFilesWithoutForceAndKeepThemWithForce(@TempDir Path dir) throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("notes.txt"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileSet.open(d, RANKS, false));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("--force"), e.getMessage());
        assertEquals(List.of("d"), names(dir));
        writeRanks(d, 1, "x", true);
        assertEquals(List.of("notes.txt", "rank-0.json"), names(d));
        assertEquals("mine", Files.readString(d.resolve("notes.txt")));
    }

    @Test
    void shouldWriteThroughALinkedFileAndALinkedDirectory(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("kept.json"), "stale");
        Files.createSymbolicLink(real.resolve("rank-0.json"), elsewhere.resolve("kept.json"));
        Path linkDir = Files.createSymbolicLink(dir.resolve("link"), real);
        writeRanks(linkDir, 2, "v", false);
        assertTrue(Files.isSymbolicLink(linkDir));
        assertTrue(Files.isSymbolicLink(real.resolve("rank-0.json")));
        assertEquals("v0", Files.readString(elsewhere.resolve("kept.json")));
        assertEquals("v1", Files.readString(real.resolve("rank-1.json")));
        assertEquals(List.of("elsewhere", "link", "real"), names(dir));
    }

    @Test
    void shouldRefuseAFileWhereTheDirectoryShouldBe(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("d"), "x");
        assertThrows(IllegalArgumentException.class, () -> FileSet.open(dir.resolve("d"), RANKS, true));
        assertEquals(List.of("d"), names(dir));
    }
}
