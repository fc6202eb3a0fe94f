package io.parabench.analysis.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Chrome traces in the PyTorch-profiler (Kineto) schema, keeping only what the metrics
 * need: GPU events (kernel, memcpy, memset) with their device, stream, grid, SM count and
 * correlation id, the user annotations, and the CPU runtime calls that launched GPU work
 * (start, end, correlation id, thread, name). CPU ops, flow and metadata events are checked
 * and skipped byte by byte ({@link EventScanner}), so memory is proportional to the number of
 * kept events (45 bytes a GPU event, 29 an annotation, 36 a runtime call) and distinct names,
 * never to the file size, and it is charged against the heap before it is taken
 * ({@link ColumnBlocks}): a trace that would not fit is refused with what it needs.
 *
 * <p>Speed: an uncompressed file of at least {@link #MIN_PART_BYTES} per thread is cut into
 * one byte range per thread at event boundaries ({@code }, {} between two events) and the
 * ranges are scanned in parallel; each range but the last checks that the previous one ended
 * exactly where it started, and when a cut fell inside an event (a {@code }, {} in a nested
 * array), the earlier range simply reads on, so the result is always that of one sequential
 * read. A directory's files are read in parallel, one thread each. A gzip file is inflated on
 * one thread while the inflated JSON is scanned on another ({@link ReadAheadInput}); with one
 * thread, both on the caller's.
 *
 * <p>Accepted input: a {@code .json} or gzip-compressed file (detected by its magic bytes, not
 * its name), whose top level is an object with a {@code traceEvents} array (or, as Chrome
 * also allows, a bare array of events); or a directory of such files, one per rank. A file's
 * rank is {@code distributedInfo.rank}, else the {@code rank<N>} in its name ({@code rank3.json},
 * {@code 1f1b_rank0.json.gz}, {@code trace-rank_12.json}); any other number in a name is not a
 * rank ({@code big2m.json} has none), and in a directory every file must have one. Times and
 * durations are kept as exact integer nanoseconds within ±2^62 ({@link MicrosText}). Events of a
 * kept kind without {@code ts}, with a negative {@code dur} or without {@code pid} or name are
 * counted in {@link Trace#dropped()}. Unknown event kinds and fields are skipped.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file and, for malformed JSON or an
 * out-of-range value, the byte offset (of the decompressed JSON for gzip files) and the index
 * of the event in {@code traceEvents}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TraceReader {
    /** A file is cut into parallel ranges only when each would be at least this long. */
    public static final long MIN_PART_BYTES = 8L << 20;

    private static final Pattern RANK_IN_NAME = Pattern.compile("(?i)(?<![a-z])rank[_-]?(\\d+)");
    /** Where to look for an event boundary after a cut's target offset. */
    private static final int BOUNDARY_WINDOW = 1 << 20;

    private TraceReader() {
    }

    /** Threads a read uses by default: one per available processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Reads a trace file, or every {@code *.json} / {@code *.json.gz} file of a directory,
     * ordered by rank, with {@link #defaultThreads()} threads.
     *
     * @throws IllegalArgumentException for a missing path, a directory without traces, ranks
     *                                  that cannot be told or repeat, or malformed JSON
     */
    public static List<Trace> read(Path path) throws IOException {
        return read(path, defaultThreads());
    }

    /**
     * {@link #read(Path)} with at most {@code threads} threads (1: everything on the caller's thread).
     */
    public static List<Trace> read(Path path, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("reader threads (" + threads + ") must be at least 1");
        }
        if (Files.isDirectory(path)) {
            return readDirectory(path, threads);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("trace path (" + path + ") must be an existing file or directory");
        }
        Trace trace = readFile(path, threads);
        if (trace.rank() < 0) {
            int rank = rankFromFileName(path.getFileName().toString());
            if (rank >= 0) {
                trace = trace.withRank(rank);
            }
        }
        return List.of(trace);
    }

    /**
     * The trace files of a directory ({@code *.json}, {@code *.json.gz}, not hidden), sorted by name.
     *
     * @throws IllegalArgumentException when there is none
     */
    public static List<Path> traceFiles(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(p -> isTraceFileName(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("trace directory (" + dir
                    + ") must contain at least one *.json or *.json.gz trace file");
        }
        return files;
    }

    private static List<Trace> readDirectory(Path dir, int threads) throws IOException {
        List<Path> files = traceFiles(dir);
        for (Path file : files) {
            rankFromFileName(file.getFileName().toString());  // a rank too large for an int fails before any reading
        }
        List<Trace> read = readAll(files, threads);
        List<Trace> traces = new ArrayList<>();
        TreeMap<Integer, String> seen = new TreeMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Trace trace = read.get(i);
            if (trace.rank() < 0) {
                int rank = rankFromFileName(file.getFileName().toString());
                if (rank < 0) {
                    throw new IllegalArgumentException("trace file (" + file + ") in a directory must name its rank"
                            + " in distributedInfo.rank or in its file name (e.g. rank3.json)");
                }
                trace = trace.withRank(rank);
            }
            String previous = seen.put(trace.rank(), trace.source());
            if (previous != null) {
                throw new IllegalArgumentException("rank (" + trace.rank() + ") must appear once in " + dir
                        + " but is in " + previous + " and " + trace.source());
            }
            traces.add(trace);
        }
        traces.sort(Comparator.comparingInt(Trace::rank));
        return List.copyOf(traces);
    }

    /** Reads the files in parallel (one thread each, at most {@code threads}); the first failure in file order wins. */
    private static List<Trace> readAll(List<Path> files, int threads) throws IOException {
        if (files.size() == 1 || threads == 1) {
            List<Trace> out = new ArrayList<>();
            for (Path f : files) {
                out.add(readFile(f, files.size() == 1 ? threads : 1));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), r -> {
            Thread t = new Thread(r, "trace-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Trace>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> readFile(f, 1)));
            }
            List<Trace> out = new ArrayList<>();
            for (Future<Trace> f : futures) {
                out.add(join(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T join(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading traces", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Whether a file name is a trace's: {@code *.json} or {@code *.json.gz}, not hidden. */
    public static boolean isTraceFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith(".") && (lower.endsWith(".json") || lower.endsWith(".json.gz"));
    }

    /**
     * The rank a file name states with {@code rank<N>} ({@code rank3}, {@code trace_rank-3},
     * {@code 1f1b_rank0}), or -1. Other numbers in a name ({@code big2m.json},
     * {@code worker7.json}) are not ranks: they are sizes, dates and versions as often as ranks.
     *
     * @throws IllegalArgumentException when the stated rank does not fit in an int
     */
    public static int rankFromFileName(String fileName) {
        String stem = fileName.replaceFirst("(?i)\\.json(\\.gz)?$", "");
        Matcher m = RANK_IN_NAME.matcher(stem);
        if (!m.find()) {
            return -1;
        }
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("trace file name (" + fileName + ") states rank " + m.group(1)
                    + ", which must be at most " + Integer.MAX_VALUE);
        }
        return Integer.parseInt(digits);
    }

    /** Reads one trace file, plain or gzip, with {@link #defaultThreads()} threads. */
    public static Trace readFile(Path file) throws IOException {
        return readFile(file, defaultThreads());
    }

    /** Reads one trace file, plain or gzip, cut into at most {@code threads} parallel ranges when it is plain and large. */
    public static Trace readFile(Path file, int threads) throws IOException {
        return readFile(file, threads, MIN_PART_BYTES);
    }

    static Trace readFile(Path file, int threads, long minPartBytes) throws IOException {
        String source = file.toString();
        long size = Files.size(file);
        int parts = (int) Math.max(1, Math.min(threads, size / Math.max(1, minPartBytes)));
        if (parts > 1 && !isGzip(file) && startsWithObject(file)) {
            long[] starts = eventBoundaries(file, size, parts);
            if (starts.length > 1) {
                return readParts(file, source, starts);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!isGzip(file)) {
                return scanWhole(in, source);
            }
            if (threads == 1) {
                return scanWhole(new GzipInput(in), source);
            }
            // inflating on a second thread overlaps it with scanning (a deflate stream cannot be cut into ranges)
            try (ReadAheadInput inflated = new ReadAheadInput(new GzipInput(in), "trace-inflater")) {
                return scanWhole(inflated, source);
            }
        }
    }

    /**
     * Reads one trace from a stream, plain or gzip (detected from the first two bytes), on the
     * caller's thread. The caller closes the stream.
     *
     * @param source how to name the trace in messages and results
     */
    public static Trace read(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return scanWhole(b0 == 0x1f && b1 == 0x8b ? new GzipInput(in) : in, source);
    }

    private static Trace scanWhole(InputStream json, String source) throws IOException {
        TracePart part = new TracePart(ColumnBlocks.ofHeap());
        ScanOutcome.of(new EventScanner(json, 0, part, -1), false).throwIfFailed(source, 0);
        return TracePart.merge(source, List.of(part));
    }

    private static boolean isGzip(Path file) throws IOException {
        byte[] head = firstBytes(file, 2);
        return head.length == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
    }

    private static boolean startsWithObject(Path file) throws IOException {
        for (byte b : firstBytes(file, 4096)) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    private static byte[] firstBytes(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    /**
     * 0, then for each further range the offset of an event's {@code {} that follows a
     * {@code }, } at or after the range's target offset (found by bytes, checked by the
     * previous range's scan). Cuts that find no such place are left out.
     */
    static long[] eventBoundaries(Path file, long size, int parts) throws IOException {
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        byte[] window = new byte[BOUNDARY_WINDOW];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int k = 1; k < parts; k++) {
                long target = size * k / parts;
                ByteBuffer bb = ByteBuffer.wrap(window);
                while (bb.hasRemaining() && ch.read(bb, target + bb.position()) > 0) {
                    // fill the window
                }
                long at = boundaryIn(window, bb.position());
                if (at >= 0 && target + at > starts.get(starts.size() - 1)) {
                    starts.add(target + at);
                }
            }
        }
        return starts.stream().mapToLong(Long::longValue).toArray();
    }

    /** Index of the {@code {} in the first {@code } ws* , ws* {} of {@code b[0, n)}, or -1. */
    static int boundaryIn(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != '}') {
                continue;
            }
            int j = skipBlanks(b, i + 1, n);
            if (j < n && b[j] == ',') {
                j = skipBlanks(b, j + 1, n);
                if (j < n && b[j] == '{') {
                    return j;
                }
            }
        }
        return -1;
    }

    private static int skipBlanks(byte[] b, int i, int n) {
        while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** Scans the ranges in parallel (the first on this thread) and joins the ones a sequential read would have made. */
    private static Trace readParts(Path file, String source, long[] starts) throws IOException {
        int n = starts.length;
        ColumnBlocks budget = ColumnBlocks.ofHeap();
        TracePart[] parts = new TracePart[n];
        ScanOutcome[] outcomes = new ScanOutcome[n];
        Thread[] workers = new Thread[n];
        for (int k = 0; k < n; k++) {
            parts[k] = new TracePart(budget);
        }
        for (int k = 1; k < n; k++) {
            int part = k;
            workers[k] = new Thread(() -> outcomes[part] = scanRange(file, starts, part, parts[part]),
                    "trace-reader-" + k);
            workers[k].setDaemon(true);
            workers[k].start();
        }
        outcomes[0] = scanRange(file, starts, 0, parts[0]);
        for (int k = 1; k < n; k++) {
            try {
                workers[k].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + source, e);
            }
        }
        List<TracePart> used = new ArrayList<>();
        long eventBase = 0;
        for (int k = 0; k < n; k++) {
            outcomes[k].throwIfFailed(source, eventBase);
            used.add(parts[k]);
            if (!parts[k].reachedNext) {
                break;  // this range read on to the end: later ranges started inside an event
            }
            eventBase += parts[k].events;
        }
        return TracePart.merge(source, used);
    }

    static ScanOutcome scanRange(Path file, long[] starts, int k, TracePart part) {
        long stopAt = k + 1 < starts.length ? starts[k + 1] : -1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(starts[k]);
            InputStream in = Channels.newInputStream(ch);
            return ScanOutcome.of(new EventScanner(in, starts[k], part, stopAt), k > 0);
        } catch (IOException e) {
            return ScanOutcome.failed(e, starts[k], -1);
        } catch (RuntimeException | Error e) {
            return ScanOutcome.failed(e, starts[k], -1);
        }
    }

    /** How one scan ended: normally, or with the failure and where it happened. */
    record ScanOutcome(Throwable failure, long offset, long eventIndex) {
        static final ScanOutcome OK = new ScanOutcome(null, -1, -1);

        static ScanOutcome of(EventScanner scanner, boolean fromEvent) {
            try {
                if (fromEvent) {
                    scanner.scanFromEvent();
                } else {
                    scanner.scanDocument();
                }
                return OK;
            } catch (EventScanner.ReachedNextPart next) {
                return OK;
            } catch (EventScanner.Malformed m) {
                return new ScanOutcome(m, m.offset, m.eventIndex);
            } catch (IOException | UncheckedIOException | ColumnBlocks.HeapBudgetExceeded e) {
                return new ScanOutcome(e, scanner.offset(), scanner.eventIndex());
            }
        }

        static ScanOutcome failed(Throwable failure, long offset, long eventIndex) {
            return new ScanOutcome(failure, offset, eventIndex);
        }

        /** Throws what a sequential read of {@code source} would: events counted from {@code eventBase}. */
        void throwIfFailed(String source, long eventBase) throws IOException {
            if (failure == null) {
                return;
            }
            String where = "trace " + source + " at byte offset " + offset
                    + (eventIndex >= 0 ? " (traceEvents[" + (eventBase + eventIndex) + "])" : "");
            if (failure instanceof EventScanner.Malformed m) {
                if (m.offset < 0) {
                    throw new IllegalArgumentException("trace " + source + " " + m.what, m);
                }
                throw new IllegalArgumentException(where + ": " + m.what, m);
            }
            if (failure instanceof ColumnBlocks.HeapBudgetExceeded h) {
                throw new IllegalArgumentException(where + ": the GPU events, annotations and launch calls kept so"
                        + " far need more than " + (h.limitBytes >> 20) + " MiB, the reader's share ("
                        + Math.round(ColumnBlocks.HEAP_SHARE * 100) + "%) of the heap's "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; raise the heap"
                        + " (PARABENCH_JAVA_OPTS=-Xmx8g for ./parabench) or split the trace", h);
            }
            if (failure instanceof IOException || failure instanceof UncheckedIOException) {
                throw new IllegalArgumentException("trace " + source + " cannot be read past byte offset " + offset
                        + " (truncated or corrupt file?): " + failure.getMessage(), failure);
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(failure);
        }
    }
}
