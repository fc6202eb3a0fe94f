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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.parabench.kernels.VectorJvmOptions.RECOMPILATION_CUTOFF;
import static io.parabench.kernels.VectorJvmOptions.TRAP_LIMIT;
import static io.parabench.kernels.VectorJvmOptions.VECTOR_MODULE;

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
 * <p>How it relates to what a user sees: {@code read} and {@code readAndAnalyse} are the
 * warmed-up steady state (C2-compiled, file in the page cache, 256 MB heap). One pass over
 * 200 MB takes about half a second, longer than the suite's quick profile warms up (one 1 s
 * iteration: one or two passes, the first mostly interpreted), so the trial setup first reads
 * and analyses the file {@value #WARM_UP_PASSES} times; without that the three measured passes
 * of the quick profile swung between 80 and 460 MB/s as C2 compiled the scanner under them.
 * {@code coldCli} is what a user waits for: each operation starts a new JVM running
 * {@code trace-stats FILE --format json} with the launcher's options for that command
 * ({@code ./parabench}: C1 only, default heap), so its MB/s include JVM start-up, command-line
 * set-up, the JIT's warm-up, the analyses and printing the JSON. The README's "Reading traces"
 * section gives these beside HTA's time on the same file, measured in one run by
 * {@code jmh/src/test/scripts/hta_trace_read.py}. Compare runs made at the same load
 * ({@code uptime}).
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
    /** Reads and analyses of the file before JMH's warm-up, for the in-process benchmarks (see the class comment). */
    static final int WARM_UP_PASSES = 3;

    @Setup(Level.Trial)
    public void generate(BenchmarkParams params) throws IOException {
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
        if (!params.getBenchmark().endsWith(".coldCli")) {
            for (int i = 0; i < WARM_UP_PASSES; i++) {
                List<Trace> traces = TraceReader.read(file);
                TraceMetrics.analyze(file.toString(), traces, AnalysisOptions.defaults());
            }
        }
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

    /**
     * A cold {@code trace-stats FILE --format json} in a new JVM, as {@code ./parabench} starts it
     * (its JVM options for this command: the Vector API module, headless, C1 only); stdout
     * discarded, a non-zero exit fails the benchmark with the command's stderr.
     */
    @Benchmark
    public int coldCli(Throughput counter) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = Files.createTempFile("parabench-trace-stats", ".err");
        try {
            Process p = new ProcessBuilder(java, VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF,
                    "-Djava.awt.headless=true",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.parabench.analysis.cli.Parabench", "trace-stats", file.toString(), "--format", "json")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile())
                    .start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("trace-stats exited with " + exit + ": " + Files.readString(err));
            }
            counter.megabytes += fileMb;
            return exit;
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
