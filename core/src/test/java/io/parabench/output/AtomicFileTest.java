package io.parabench.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shouldReplaceContentAndLeaveNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/report.html");
        AtomicFile.writeString(file, "old");
        AtomicFile.writeString(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals(List.of("report.html"), names(dir.resolve("sub")));
    }

    /** Issue 11 case 5: {@code report --out link.html} turned the link into a file. */
    @Test
    void shouldWriteThroughASymbolicLinkAndKeepTheLink(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("real/target.html");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "stale");
        Path link = Files.createSymbolicLink(dir.resolve("link.html"), target);
        AtomicFile.writeString(link, "fresh");
        assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
        assertEquals("fresh", Files.readString(target));
        assertEquals(List.of("target.html"), names(target.getParent()));
    }

    /** Issue 11 case 5: as root {@code simulate --trace /dev/stdout} replaced the system's link. */
    @Test
    void shouldRefuseSpecialSystemFiles(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFile.writeString(Path.of("/dev/stdout"), "x"));
        assertTrue(e.getMessage().contains("/dev/stdout"), e.getMessage());
        assertTrue(Files.isSymbolicLink(Path.of("/dev/stdout")) || !Files.isRegularFile(Path.of("/dev/stdout")));
        // a link elsewhere that points into /dev is refused the same way
        Path sneaky = Files.createSymbolicLink(dir.resolve("out.json"), Path.of("/dev/null"));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.writeString(sneaky, "x"));
        assertTrue(Files.isSymbolicLink(sneaky));
    }

    @Test
    void shouldRefuseADanglingLinkAndADirectory(@TempDir Path dir) throws IOException {
        Path dangling = Files.createSymbolicLink(dir.resolve("gone.html"), dir.resolve("missing/x.html"));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.writeString(dangling, "x"));
        Files.createDirectory(dir.resolve("d.html"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFile.writeString(dir.resolve("d.html"), "x"));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        assertEquals(List.of("d.html", "gone.html"), names(dir));
    }

    @Test
    void shouldKeepOldContentAndRemoveTheTemporaryFileWhenWritingFails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.json");
        Files.writeString(file, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFile.write(file, out -> {
            out.write(new byte[1 << 17]);
            throw new IOException("No space left on device");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("out.json"), names(dir));
    }

    @Test
    void shouldRemoveTheTemporaryFileWhenTheMoveFails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.json");
        PendingFile pending = PendingFile.open(file);
        pending.stream().write(42);
        Files.createDirectories(file.resolve("in-the-way")); // the target became a non-empty directory
        UncheckedIOException e = assertThrows(UncheckedIOException.class, pending::commit);
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(List.of("t.json"), names(dir));
        assertTrue(Files.isDirectory(file));
    }
}
