package io.parabench.analysis.rank;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local engine of {@link RankAnalysis}: ranks mapped in parallel on a fixed pool of this
 * machine's cores. Files are read inside the tasks, so at most {@code threads} traces are held
 * at once; only their summaries are kept.
 */
public final class LocalRanks {
    /** Threads by default: one per core. */
    public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

    private LocalRanks() {
    }

    /**
     * Analyses a trace file or a directory of per-rank trace files.
     *
     * @throws IllegalArgumentException for a missing path, an empty directory, unreadable or
     *                                  malformed files, ranks that cannot be told or repeat
     */
    public static TraceSummary analyze(Path input, AnalysisOptions options, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be >= 1");
        }
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            TraceReader.traceFiles(input).forEach(p -> files.add(p.toString()));
        } else if (Files.isRegularFile(input)) {
            files.add(input.toString());
        } else {
            throw new IllegalArgumentException("trace path (" + input + ") must be an existing file or directory");
        }
        // One file alone is cut into ranges read on all threads; several files take one thread each.
        int readThreads = files.size() == 1 ? threads : 1;
        return RankAnalysis.run(input.toString(), files, options, (some, step) -> onPool(some, threads,
                file -> read(Path.of(file), readThreads, options, step)));
    }

    /**
     * Analyses traces already in memory (the report keeps them for its charts), one rank each.
     * Their timelines keep their intervals, for the pipeline chart.
     */
    public static TraceSummary analyze(String source, List<Trace> traces, AnalysisOptions options, int threads)
            throws IOException {
        List<String> names = new ArrayList<>();
        java.util.Map<String, Trace> bySource = new java.util.HashMap<>();
        for (Trace t : traces) {
            names.add(t.source());
            bySource.put(t.source(), t);
        }
        return RankAnalysis.run(source, names, options, (some, step) -> onPool(some, threads,
                name -> RankMap.map(bySource.get(name), options, step)));
    }

    private static RankSummary read(Path file, int readThreads, AnalysisOptions options, StepChoice step) {
        try {
            // TraceReader.read(Path) also takes the rank from a rank<N> file name, as RankMap.read does.
            return RankMap.map(TraceReader.read(file, readThreads).get(0), options, step);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Task {
        RankSummary run(String file);
    }

    private static List<RankSummary> onPool(List<String> files, int threads, Task task) throws IOException {
        if (files.size() == 1 || threads == 1) {
            List<RankSummary> out = new ArrayList<>();
            for (String f : files) {
                out.add(unwrap(() -> task.run(f)));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), r -> {
            Thread t = new Thread(r, "rank-map");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RankSummary>> futures = new ArrayList<>();
            for (String f : files) {
                futures.add(pool.submit(() -> task.run(f)));
            }
            List<RankSummary> out = new ArrayList<>();
            for (Future<RankSummary> f : futures) {
                out.add(unwrap(f::get));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface Outcome {
        RankSummary get() throws Exception;
    }

    /** The first failure in file order, with the message the file's reader gave (it names the file). */
    private static RankSummary unwrap(Outcome outcome) throws IOException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while mapping ranks", e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
