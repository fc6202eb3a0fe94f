package io.parabench.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where the bytes for a requested output path really go. A symbolic link is resolved so that
 * its target is written and the link stays; special files are refused. Package-private: the
 * writers of this package call it before creating any temporary file.
 */
final class OutputPath {
    private OutputPath() {
    }

    /**
     * The regular file (existing or not) that writing {@code requested} must replace.
     *
     * @throws IllegalArgumentException naming the path when it is a device, FIFO, socket,
     *                                  directory, a path under /dev or /proc, or a dangling link
     */
    static Path resolveFile(Path requested) {
        Path absolute = requested.toAbsolutePath().normalize();
        refuseSystemPath(requested, absolute);
        if (Files.isSymbolicLink(absolute)) {
            if (!Files.exists(absolute)) {
                throw new IllegalArgumentException("cannot write " + requested
                        + ": it is a symbolic link to a missing file; remove the link or create its target");
            }
            try {
                absolute = absolute.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + requested + ": " + e.getMessage(), e);
            }
            refuseSystemPath(requested, absolute);
        } else if (absolute.getParent() != null && Files.isDirectory(absolute.getParent())) {
            // a linked folder is fine, but /tmp/x -> /dev must not slip past the /dev rule
            try {
                absolute = absolute.getParent().toRealPath().resolve(absolute.getFileName());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + requested + ": " + e.getMessage(), e);
            }
            refuseSystemPath(requested, absolute);
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cannot write " + requested + ": it is "
                    + (Files.isDirectory(absolute) ? "a directory" : "a special file (device, FIFO or socket)")
                    + ", not a regular file; give a file path");
        }
        return absolute;
    }

    /**
     * The directory that a set of files goes into: a link to a directory is followed; an
     * existing non-directory is refused.
     */
    static Path resolveDirectory(Path requested) {
        Path absolute = requested.toAbsolutePath().normalize();
        refuseSystemPath(requested, absolute);
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new IllegalArgumentException("cannot write into " + requested + ": it is a file, not a directory");
            }
            try {
                absolute = absolute.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write into " + requested + ": " + e.getMessage(), e);
            }
            refuseSystemPath(requested, absolute);
        } else if (Files.isSymbolicLink(absolute)) {
            throw new IllegalArgumentException("cannot write into " + requested
                    + ": it is a symbolic link to a missing directory; remove the link or create its target");
        }
        return absolute;
    }

    /** /dev/stdout, /proc/self/fd/1 and the like: replacing them would break the system. */
    private static void refuseSystemPath(Path requested, Path absolute) {
        if (absolute.startsWith("/dev") || absolute.startsWith("/proc") || absolute.startsWith("/sys")) {
            throw new IllegalArgumentException("cannot write " + requested + " (" + absolute
                    + "): special system files are not outputs; give a regular file path");
        }
    }

    /** Temporary files are created owner-only (0600); an output is for everyone who can see the folder. */
    static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and other non-POSIX file systems keep their default permissions
        }
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the original failure is the one worth reporting
            }
        }
    }
}
