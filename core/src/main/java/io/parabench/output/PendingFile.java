package io.parabench.output;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file being written: the bytes go to a temporary sibling of the target, and only
 * {@link #commit()} moves them into place. {@link #close()} without a commit (a failure, an
 * exception thrown past a try-with-resources) deletes the temporary file, so the target keeps its
 * old content and nothing is left behind.
 *
 * <p>Use: {@code try (PendingFile f = PendingFile.open(path)) { write(f.stream()); f.commit(); }}.
 * Not thread-safe.
 */
public final class PendingFile implements Closeable {
    private final Path requested;
    private final Path target;
    private final Path temp;
    private final OutputStream stream;
    private boolean finished;

    private PendingFile(Path requested, Path target, Path temp, OutputStream stream) {
        this.requested = requested;
        this.target = target;
        this.temp = temp;
        this.stream = stream;
    }

    /**
     * Starts writing {@code path}, creating parent folders.
     *
     * @throws IllegalArgumentException when the path is a special file or a dangling link
     * @throws UncheckedIOException     naming the path when the temporary file cannot be created
     */
    public static PendingFile open(Path path) {
        Path target = OutputPath.resolveFile(path);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            OutputPath.readableByAll(temp);
            return new PendingFile(path, target, temp, new NamedStream(Files.newOutputStream(temp), path.toString()));
        } catch (IOException e) {
            OutputPath.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Where the content goes; owned by this object (do not close it, {@link #commit()} does). */
    public OutputStream stream() {
        return stream;
    }

    /** The file that {@link #commit()} replaces (a symbolic link's target, not the link). */
    public Path target() {
        return target;
    }

    /** Flushes, closes and moves the content into place. */
    public void commit() {
        if (finished) {
            throw new IllegalStateException("file " + requested + " was already committed or abandoned");
        }
        try {
            stream.close();
            move(temp, target);
            finished = true;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot write " + requested + ": " + e.getMessage(), e);
        }
    }

    /** Abandons the file unless it was committed: the temporary file is deleted. Never throws. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream is abandoned; the failure that led here is the one worth reporting
        }
        OutputPath.deleteQuietly(temp);
    }

    /**
     * Atomic rename. Across file systems (a linked target elsewhere) the content is first copied
     * to a temporary sibling of {@code to}, which is then renamed: still never half-written.
     */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Path near = Files.createTempFile(to.getParent(), "." + to.getFileName(), ".tmp");
            try {
                Files.copy(from, near, StandardCopyOption.REPLACE_EXISTING);
                OutputPath.readableByAll(near);
                Files.move(near, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                OutputPath.deleteQuietly(near);
            }
            Files.delete(from);
        }
    }
}
