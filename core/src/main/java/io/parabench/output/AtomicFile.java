package io.parabench.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a whole file so that readers see either the old content or the complete new content,
 * never a half-written file (a {@link PendingFile} committed once {@code content} returned).
 * Every report, chart and JSON output of the suite is written this way.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code content} to {@code target} atomically, creating parent folders. */
    public static void write(Path target, Content content) {
        try (PendingFile file = PendingFile.open(target)) {
            content.writeTo(file.stream());
            file.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes a string as UTF-8, atomically. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
