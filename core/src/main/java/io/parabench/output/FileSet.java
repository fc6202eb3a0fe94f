package io.parabench.output;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a set of files that belong together (one trace per rank) into one directory, all or
 * nothing.
 *
 * <p>Every file is written into a temporary sibling directory ({@code .DIR.<random>}); only
 * {@link #commit()} moves them into place: a directory that did not exist appears whole (one
 * rename); into an existing one the files are renamed one by one, and files of the same
 * {@code family} that this run did not write (ranks 4–7 of an earlier 8-rank run) are removed,
 * so the directory never mixes two runs. Files outside the family belong to someone else: the
 * set refuses a directory holding any before work starts, unless {@code force} is given, and
 * then leaves them alone. {@link #close()} without a commit removes the temporary directory and
 * everything in it; the target directory is untouched.
 *
 * <p>A file of the set that exists as a symbolic link is written through (its target gets the
 * content); special files are refused (see {@link PendingFile}). Not thread-safe: create and
 * write the files from one thread, or synchronise outside.
 */
public final class FileSet implements Closeable {
    private final Path requested;
    private final Path directory;
    private final Pattern family;
    private final Path staging;
    private final Map<String, OutputStream> files = new LinkedHashMap<>();
    private boolean finished;

    private FileSet(Path requested, Path directory, Pattern family, Path staging) {
        this.requested = requested;
        this.directory = directory;
        this.family = family;
        this.staging = staging;
    }

    /**
     * Starts a set of files for {@code dir}.
     *
     * @param family names of the files this kind of output writes (e.g. {@code rank-\d+\.json}):
     *               the ones an earlier run may have left
     * @param force  write even when the directory holds files outside the family (they stay)
     * @throws IllegalArgumentException when {@code dir} is a file, or holds foreign files and
     *                                  {@code force} is false; the message names them
     */
    public static FileSet open(Path dir, Pattern family, boolean force) {
        Path directory = OutputPath.resolveDirectory(dir);
        if (!force && Files.isDirectory(directory)) {
            List<String> foreign = foreign(directory, family);
            if (!foreign.isEmpty()) {
                throw new IllegalArgumentException("cannot write into " + dir + ": it holds " + foreign.size()
                        + " file(s) that are not outputs of this command (" + String.join(", ", foreign.subList(0,
                        Math.min(3, foreign.size()))) + (foreign.size() > 3 ? ", …" : "")
                        + "); choose an empty or new directory, or pass --force to write beside them");
            }
        }
        try {
            Path parent = directory.getParent();
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + directory.getFileName() + ".");
            return new FileSet(dir, directory, family, staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> foreign(Path directory, Pattern family) {
        List<String> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!family.matcher(name).matches()) {
                    foreign.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        foreign.sort(null);
        return foreign;
    }

    /**
     * A new file of the set. The stream is owned by the set ({@link #commit()} closes it);
     * closing it earlier is harmless.
     *
     * @param name a plain file name of the family, e.g. {@code rank-3.json}
     */
    public OutputStream create(String name) {
        if (finished) {
            throw new IllegalStateException("file set " + requested + " was already committed or abandoned");
        }
        if (!family.matcher(name).matches() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("file name " + name + " is not of the set's family " + family);
        }
        if (files.containsKey(name)) {
            throw new IllegalArgumentException("file " + name + " is already part of the set " + requested);
        }
        OutputPath.resolveFile(directory.resolve(name)); // refuse a special file before writing
        try {
            OutputStream out = new NamedStream(Files.newOutputStream(staging.resolve(name)),
                    requested.resolve(name).toString());
            files.put(name, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + requested.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** Closes every file and moves the set into place; stale files of the family are removed. */
    public void commit() {
        if (finished) {
            throw new IllegalStateException("file set " + requested + " was already committed or abandoned");
        }
        try {
            for (Map.Entry<String, OutputStream> f : files.entrySet()) {
                f.getValue().close();
                OutputPath.readableByAll(staging.resolve(f.getKey()));
            }
            if (!Files.exists(directory)) {
                makeListable(staging);
                Files.move(staging, directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else {
                for (String name : files.keySet()) {
                    PendingFile.move(staging.resolve(name), OutputPath.resolveFile(directory.resolve(name)));
                }
                removeStale();
            }
            finished = true;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e.getMessage() != null && e.getMessage().startsWith("cannot write")
                    ? e.getMessage() : "cannot write into " + requested + ": " + e.getMessage(), e);
        } finally {
            if (finished) {
                deleteStaging();
            }
        }
    }

    private void removeStale() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (family.matcher(name).matches() && !files.containsKey(name)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /** A temporary directory is owner-only (0700); the finished one is for everyone who sees its parent. */
    private static void makeListable(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems keep their defaults
        }
    }

    /** Abandons the set unless it was committed: the temporary directory is removed. Never throws. */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            for (OutputStream out : files.values()) {
                try {
                    out.close();
                } catch (IOException | RuntimeException ignored) {
                    // abandoned anyway; the failure that led here is the one worth reporting
                }
            }
        }
        deleteStaging();
    }

    private void deleteStaging() {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> left = Files.list(staging)) {
            left.forEach(OutputPath::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort; the directory delete below reports nothing either
        }
        OutputPath.deleteQuietly(staging);
    }
}
