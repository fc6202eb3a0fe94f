package io.parabench.jmh;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.parabench.trace.ChromeTraceWriter.micros;

/**
 * Read throughput of the streaming Chrome-trace reader, in MB of JSON per second, on a
 * synthetic PyTorch-profiler trace of {@code sizeMb} MB (200 MB by default) generated in the
 * trial setup and deleted afterwards (never committed).
 *
 * <p>The forked JVM runs with {@code -Xmx256m} (prepended, so the usual
 * {@code -jvmArgsAppend --add-modules=…} does not drop it; the setup refuses to run in a larger
 * heap): a 200 MB trace must be summarised in a heap smaller than the file, which is the
 * reader's memory bound (only compact columns of GPU events, annotations and launch
 * correlations are kept; CPU ops are parsed past). An {@code OutOfMemoryError} fails the
 * benchmark, so a regression in memory shows up here, not only in speed.
 *
 * <p>The synthetic trace mimics the mix of a real Kineto file: per step, CPU ops with nested
 * args (skipped by the reader), runtime launch calls (kept: 24 bytes each) and kernels with long
 * demangled names on a compute and a communication stream (kept: 41 bytes each), plus flow
 * events and user annotations. Names repeat, as in real traces, so interning bounds them.
 *
 * <p>{@code read} measures parsing alone; {@code readAndAnalyse} adds every per-device metric
 * and returns the summary (so nothing is dead code). The {@code megabytes} secondary result is
 * the MB/s figure; {@code exact_gpu_events} and {@code exact_comm_overlap_ratio} are computed
 * results for the regression gate.
 *
 * <p>Run: {@code java -cp … org.openjdk.jmh.Main TraceReadBenchmark} (add {@code -p sizeMb=20}
 * for a quick look).
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
        file = Files.createTempFile("parabench-synthetic-trace", ".json");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writeSyntheticTrace(out, (long) sizeMb * 1_000_000L);
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
     * Deterministic results on the (seeded) synthetic trace, as {@code exact_*} secondary
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

    private static final String[] KERNELS = {
            "void cutlass::device_kernel<dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::GemmKernel>(dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::Params)",
            "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>, std::array<char*, 3ul> >(int, at::native::CUDAFunctor_add<float>, std::array<char*, 3ul>)",
            "sm90_xmma_gemm_bf16f32_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas",
            "void layer_norm::ln_fwd_kernel<layer_norm::Kernel_traits<__nv_bfloat16, __nv_bfloat16, __nv_bfloat16, float, unsigned int, 7168u, 1u, 4u, 1u, 16u>, false>(layer_norm::FwdParams)",
    };
    private static final String[] COMM = {
            "void dpsk::ep::internode::dispatch<false, 8, true, 8>(int4*, float*, long*, float*, dpsk::ep::internode::SourceMeta*, int4 const*)",
            "void dpsk::ep::internode::combine<false, 8, __nv_bfloat16, 8, 2, 16, 24>(int4*, float*, bool*, int4 const*, float const*)",
            "ncclDevKernel_SendRecv(ncclDevKernelArgsStorage<4096ul>)",
    };
    private static final String[] CPU_OPS = {"aten::mm", "aten::add_", "aten::empty", "aten::copy_", "aten::view",
            "autograd::engine::evaluate_function: MmBackward0"};

    /**
     * Writes a Kineto-schema trace of at least {@code targetBytes}: one device with 132 SMs,
     * times in microseconds with three decimals, deterministic (seeded) content.
     */
    static void writeSyntheticTrace(OutputStream target, long targetBytes) throws IOException {
        CountingStream out = new CountingStream(target);
        JsonGenerator g = JsonFactory.builder().build().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeNumberField("schemaVersion", 1);
        g.writeArrayFieldStart("deviceProperties");
        g.writeStartObject();
        g.writeNumberField("id", 0);
        g.writeStringField("name", "NVIDIA H800");
        g.writeNumberField("numSms", 132);
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("distributedInfo");
        g.writeNumberField("rank", 0);
        g.writeNumberField("world_size", 1);
        g.writeEndObject();
        g.writeArrayFieldStart("traceEvents");
        Random random = new Random(42);
        long cpuNs = 1_740_461_679_470_000_000L;
        long computeNs = cpuNs + 50_000;
        long commNs = cpuNs + 50_000;
        long correlation = 1;
        int step = 0;
        while (out.count + g.getOutputBuffered() < targetBytes) {
            if (step % 200 == 0) {
                event(g, "user_annotation", "attn(F)", 1166, 1166, cpuNs, 2_000_000, null, 0, -1);
            }
            String op = CPU_OPS[random.nextInt(CPU_OPS.length)];
            event(g, "cpu_op", op, 1166, 1166, cpuNs, 3_000 + random.nextInt(5_000), null, 0, correlation);
            event(g, "cuda_runtime", "cudaLaunchKernel", 1166, 1166, cpuNs + 1_000, 2_500, null, 0, correlation);
            flow(g, correlation, cpuNs + 1_000);
            boolean comm = random.nextInt(4) == 0;
            long durNs = 2_000 + random.nextInt(200_000);
            if (comm) {
                commNs = Math.max(commNs, cpuNs + 5_000);
                event(g, "kernel", COMM[random.nextInt(COMM.length)], 0, 27, commNs, durNs, "comm", 20, correlation);
                commNs += durNs + random.nextInt(3_000);
            } else {
                computeNs = Math.max(computeNs, cpuNs + 5_000);
                event(g, "kernel", KERNELS[random.nextInt(KERNELS.length)], 0, 7, computeNs, durNs, "compute",
                        1 + random.nextInt(4096), correlation);
                computeNs += durNs + random.nextInt(3_000);
            }
            correlation++;
            cpuNs += 4_000 + random.nextInt(6_000);
            step++;
        }
        g.writeEndArray();
        g.writeEndObject();
        g.close();
    }

    /** Counts the bytes the generator has flushed, to stop at the target size. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static void event(JsonGenerator g, String cat, String name, int pid, int tid, long startNs, long durNs,
                              String kind, int grid, long correlation) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "X");
        g.writeStringField("cat", cat);
        g.writeStringField("name", name);
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeFieldName("ts");
        g.writeNumber(micros(startNs));
        g.writeFieldName("dur");
        g.writeNumber(micros(durNs));
        g.writeObjectFieldStart("args");
        g.writeNumberField("External id", correlation);
        if (kind != null) {
            g.writeNumberField("queued", 0);
            g.writeNumberField("device", 0);
            g.writeNumberField("context", 1);
            g.writeNumberField("stream", tid);
            g.writeNumberField("correlation", correlation);
            g.writeNumberField("registers per thread", 128);
            g.writeNumberField("shared memory", 0);
            g.writeArrayFieldStart("grid");
            g.writeNumber(grid);
            g.writeNumber(1);
            g.writeNumber(1);
            g.writeEndArray();
            g.writeArrayFieldStart("block");
            g.writeNumber(256);
            g.writeNumber(1);
            g.writeNumber(1);
            g.writeEndArray();
            g.writeNumberField("est. achieved occupancy %", 100);
        } else if (cat.equals("cuda_runtime")) {
            g.writeNumberField("cbid", 211);
            g.writeNumberField("correlation", correlation);
        } else {
            g.writeNumberField("Sequence number", correlation);
            g.writeNumberField("Fwd thread id", 0);
            g.writeArrayFieldStart("Input Dims");
            g.writeStartArray();
            g.writeNumber(4096);
            g.writeNumber(7168);
            g.writeEndArray();
            g.writeStartArray();
            g.writeEndArray();
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void flow(JsonGenerator g, long id, long tsNs) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "s");
        g.writeNumberField("id", id);
        g.writeNumberField("pid", 1166);
        g.writeNumberField("tid", 1166);
        g.writeFieldName("ts");
        g.writeNumber(micros(tsNs));
        g.writeStringField("cat", "ac2g");
        g.writeStringField("name", "ac2g");
        g.writeEndObject();
    }
}
