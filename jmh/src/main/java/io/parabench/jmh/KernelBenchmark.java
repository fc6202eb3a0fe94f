package io.parabench.jmh;

import io.parabench.kernels.KernelProvider;
import io.parabench.kernels.Kernels;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.parabench.kernels.VectorJvmOptions.RECOMPILATION_CUTOFF;
import static io.parabench.kernels.VectorJvmOptions.TRAP_LIMIT;
import static io.parabench.kernels.VectorJvmOptions.VECTOR_MODULE;

/**
 * Memory-bound kernels of the emulated GPU, Vector API twin against scalar twin, over
 * {@code size} floats (a 64×(size/64) matrix for the row kernels).
 *
 * <p>Reported: operations per second, and the secondary {@code gbytes} counter, which JMH turns
 * into a rate: GB/s of data read plus written (4 bytes a float, 1 an FP8 code). At 4096 floats the
 * data sits in L1/L2, at 1M floats (three 4 MB arrays) in L3 and memory. Targets of issue 14 (vector
 * twin): {@code castFp8E4m3} at least 20 GB/s, {@code topKRouter} at least 10 GB/s. The vector
 * width the run had is in the run file's environment ({@code vector_bits}, from
 * {@link MachineFacts}); pass {@code -jvmArgsPrepend -XX:MaxVectorSize=32} (or 16) to measure a
 * narrower width (not {@code -jvmArgsAppend}: it replaces the {@code --add-modules} this class
 * appends, and the fork fails without the Vector API).
 *
 * <p>Every method returns its output array (or the loss), so JMH consumes the result and the work
 * cannot be dropped; the {@code impl} parameter picks the twin, both in the same fork would be
 * fine as only one vector width is ever used.
 *
 * <p>Run: {@code java -cp … org.openjdk.jmh.Main KernelBenchmark -p impl=vector}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF})
@State(Scope.Benchmark)
public class KernelBenchmark {
    private static final int ROWS = 64;
    private static final int TOP_K = 8;
    /** Experts a router scores per token, as DeepSeek-V3's 256 routed experts. */
    private static final int EXPERTS = 256;

    @Param({"vector", "scalar"})
    public String impl;

    /** 1M floats (4 MB per array) by default, past L2: pass {@code -p size=4096} for in-cache rates. */
    @Param({"1048576"})
    public int size;

    private Kernels kernels;
    private float[] x;
    private float[] y;
    private float[] z;
    private float[] out;
    private float[] rowOut;
    private int[] topIndices;
    private float[] topValues;
    private int[] routeIndices;
    private float[] routeValues;
    private byte[] codes;
    private float[] scales;

    /** Bytes moved, in units of 10⁹: reported as a rate, i.e. GB/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Traffic {
        public double gbytes;

        void add(long bytes) {
            gbytes += bytes / 1e9;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!"vector".equals(impl) && !"scalar".equals(impl)) {
            throw new IllegalArgumentException("impl (" + impl + ") must be vector or scalar");
        }
        kernels = "vector".equals(impl) ? KernelProvider.get() : KernelProvider.scalar();
        if ("vector".equals(impl) && !KernelProvider.isVectorized()) {
            throw new IllegalStateException("impl=vector needs --add-modules jdk.incubator.vector");
        }
        Random rnd = new Random(7);
        x = new float[size];
        y = new float[size];
        z = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextGaussian();
            y[i] = (float) rnd.nextGaussian();
            z[i] = (float) rnd.nextGaussian();
        }
        out = new float[size];
        rowOut = new float[ROWS];
        topIndices = new int[ROWS * TOP_K];
        topValues = new float[ROWS * TOP_K];
        routeIndices = new int[size / EXPERTS * TOP_K];
        routeValues = new float[size / EXPERTS * TOP_K];
        codes = new byte[size];
        scales = new float[ROWS * ((size / ROWS + 127) / 128)];
        kernels.castFp8E4m3(x, ROWS, size / ROWS, codes, scales);
    }

    private int cols() {
        return size / ROWS;
    }

    @Benchmark
    public float[] add(Traffic t) {
        kernels.add(x, y, out, size);
        t.add(12L * size);
        return out;
    }

    @Benchmark
    public float[] scale(Traffic t) {
        kernels.scale(x, 0.5f, out, size);
        t.add(8L * size);
        return out;
    }

    @Benchmark
    public float[] fma(Traffic t) {
        kernels.fma(x, y, z, out, size);
        t.add(16L * size);
        return out;
    }

    @Benchmark
    public float[] geluTanh(Traffic t) {
        kernels.geluTanh(x, out, size);
        t.add(8L * size);
        return out;
    }

    @Benchmark
    public float[] geluTanhBackward(Traffic t) {
        kernels.geluTanhBackward(x, y, out, size);
        t.add(12L * size);
        return out;
    }

    @Benchmark
    public float[] geluErf(Traffic t) {
        kernels.geluErf(x, out, size);
        t.add(8L * size);
        return out;
    }

    @Benchmark
    public float[] geluErfBackward(Traffic t) {
        kernels.geluErfBackward(x, y, out, size);
        t.add(12L * size);
        return out;
    }

    @Benchmark
    public float[] rowSum(Traffic t) {
        kernels.rowSum(x, ROWS, cols(), rowOut);
        t.add(4L * size);
        return rowOut;
    }

    @Benchmark
    public float[] rowMax(Traffic t) {
        kernels.rowMax(x, ROWS, cols(), rowOut);
        t.add(4L * size);
        return rowOut;
    }

    @Benchmark
    public float mseLoss(Traffic t) {
        t.add(8L * size);
        return kernels.mseLoss(x, y, size);
    }

    @Benchmark
    public float[] mseGrad(Traffic t) {
        kernels.mseGrad(x, y, out, size);
        t.add(12L * size);
        return out;
    }

    @Benchmark
    public float[] softmax(Traffic t) {
        kernels.softmax(x, ROWS, cols(), out);
        t.add(8L * size);
        return out;
    }

    /** Top-8 of every row: reads the row once per pick, counted once (the data read per row). */
    @Benchmark
    public int[] topK(Traffic t) {
        kernels.topK(x, ROWS, cols(), TOP_K, topIndices, topValues);
        t.add(4L * size);
        return topIndices;
    }

    /**
     * Top-8 of rows of 256 scores ({@code size/256} tokens), the MoE router's shape; target
     * (issue 14) at least 10 GB/s of scores read.
     */
    @Benchmark
    public int[] topKRouter(Traffic t) {
        kernels.topK(x, size / EXPERTS, EXPERTS, TOP_K, routeIndices, routeValues);
        t.add(4L * size);
        return routeIndices;
    }

    @Benchmark
    public float[] roundTripBf16(Traffic t) {
        kernels.roundTripBf16(x, out, size);
        t.add(8L * size);
        return out;
    }

    @Benchmark
    public byte[] castFp8E4m3(Traffic t) {
        kernels.castFp8E4m3(x, ROWS, cols(), codes, scales);
        t.add(5L * size);
        return codes;
    }

    @Benchmark
    public float[] castBackFp8E4m3(Traffic t) {
        kernels.castBackFp8E4m3(codes, scales, ROWS, cols(), out);
        t.add(5L * size);
        return out;
    }
}
