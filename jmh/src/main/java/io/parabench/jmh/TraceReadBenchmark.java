package io.parabench.jmh;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Read throughput of the Chrome-trace reader, in MB of JSON per second, on a real-shaped
 * generated Kineto trace of {@code sizeMb} MB (200 MB by default; {@link RealShapedTrace}: the
 * event mix and pretty-printed layout of DeepSeek's {@code train.json} — CPU ops with args,
 * runtime calls, flows, annotations, 7% kernels), generated in the trial setup and deleted
 * afterwards (never committed). An earlier synthetic trace of mostly kernels with small args
 * read 6–7× faster than real traces did, so its MB/s promised what no user saw.
 *
 * <p>The forked JVM runs with {@code -Xmx256m} (prepended, so the usual
 * {@code -jvmArgsAppend --add-modules=…} does not drop it; the setup refuses to run in a larger
 * heap): a 200 MB trace must be summarised in a heap smaller than the file, which is the
 * reader's memory bound (only compact columns of GPU events, annotations and launch calls are
 * kept; CPU ops are parsed past). An {@code OutOfMemoryError} fails the benchmark, so a
 * regression in memory shows up here, not only in speed.
 *
 * <p>{@code read} measures reading alone, with the reader's default threads (one per core: a
 * plain file is cut into ranges read in parallel, as {@code trace-stats} does);
 * {@code readAndAnalyse} adds every per-device metric and returns the summary (so nothing is
 * dead code). The {@code megabytes} secondary result is the MB/s figure; {@code exact_gpu_events}
 * and {@code exact_comm_overlap_ratio} are computed results for the regression gate.
 *
 * <p>How it relates to what a user sees: this is the warmed-up steady state (C2-compiled, file
 * in the page cache, 256 MB heap). A cold {@code ./parabench trace-stats BIG.json} adds JVM
 * start-up and class loading, JIT warm-up (the first tens of MB run in interpreted and C1
 * code) and printing the result, so it reaches fewer MB/s than {@code readAndAnalyse}; the
 * README's "Reading speed" section gives both, measured the same way on the same machine.
 * Compare runs made at the same load ({@code uptime}).
 *
 * <p>Run: {@code mvn -pl jmh verify -DskipTests -Dparabench.include=TraceReadBenchmark} (add
 * {@code -Dparabench.params='sizeMb=20'} for a quick look).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xmx256m", "-XX:+UseParallelGC", "-Djava.awt.headless=true"})
public class TraceReadBenchmark {
    /** Size of the generated trace in MB (10^6 bytes). */
    @Param({"200"})
    public int sizeMb;

    private Path file;
    private double fileMb;

    /** Bytes read, normalised to time by JMH: the MB/s figure. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double megabytes;
    }

    /** The heap bound this benchmark proves. */
    static final long MAX_HEAP_BYTES = 256L * 1024 * 1024;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (maxHeap > MAX_HEAP_BYTES) {
            throw new IllegalStateException("heap (" + maxHeap / (1024 * 1024) + " MiB) must be at most 256 MiB:"
                    + " this benchmark proves the reader's memory bound; do not override -Xmx256m");
        }
        file = Files.createTempFile("parabench-real-shaped-trace", ".json");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            RealShapedTrace.write(out, (long) sizeMb * 1_000_000L, RealShapedTrace.SEED);
        }
        fileMb = Files.size(file) / 1e6;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public List<Trace> read(Throughput counter) throws IOException {
        List<Trace> traces = TraceReader.read(file);
        counter.megabytes += fileMb;
        return traces;
    }

    /**
     * Deterministic results on the (seeded) generated trace, as {@code exact_*} secondary
     * metrics the regression gate requires to stay equal: a reader or metric change that drops
     * events or moves a definition fails the gate even when the speed is unchanged. Stored per
     * iteration, not accumulated (JMH sums EVENTS counters).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class TraceResults {
        public double exact_gpu_events;
        public double exact_comm_overlap_ratio;

        @Setup(Level.Iteration)
        public void reset() {
            exact_gpu_events = 0;
            exact_comm_overlap_ratio = 0;
        }
    }

    @Benchmark
    public TraceSummary readAndAnalyse(Throughput counter, TraceResults results) throws IOException {
        List<Trace> traces = TraceReader.read(file);
        counter.megabytes += fileMb;
        TraceSummary summary = TraceMetrics.analyze(file.toString(), traces, AnalysisOptions.defaults());
        results.exact_gpu_events = traces.get(0).gpuEvents().size();
        results.exact_comm_overlap_ratio = summary.devices().get(0).commOverlapRatio();
        return summary;
    }
}
