package io.parabench.jmh;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the blocked FP32 GEMM ({@code C[n×n] = A·B}, {@code 2n³} FLOPs per operation)
 * on 1 and 2 host threads, in the three layouts of a linear layer.
 *
 * <p>Reported: the primary score in GEMMs per second, and the secondary {@code gflop} counter,
 * which JMH turns into a rate: GFLOP/s. Targets (issue 4, fp32 1024³): one thread at least 80% of
 * single-thread OpenBLAS measured in the same session
 * ({@code OPENBLAS_NUM_THREADS=1 python3 -c 'import numpy…'}), two threads at least 1.8× one.
 *
 * <p>Pitfalls handled: the product lands in {@code c}, which the state keeps, and the kernel
 * writes every element of it, so nothing is dead code; the first calls run tens of times slower
 * until C2 compiles the micro-kernel, hence several warm-up iterations; the JVM gets
 * {@code --add-modules jdk.incubator.vector} or it would silently fall back to scalar kernels
 * (checked in setup).
 *
 * <p>Run: {@code java -cp … org.openjdk.jmh.Main GemmBenchmark -p size=1024 -p layout=FORWARD}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {

    @Param({"1", "2"})
    public int threads;

    @Param({"256", "1024"})
    public int size;

    @Param({"FORWARD", "BACKWARD_INPUT", "BACKWARD_WEIGHT"})
    public GemmLayout layout;

    private HostPool pool;
    private Kernels kernels;
    private float[] a;
    private float[] b;
    private float[] c;

    /** FLOPs done, in units of 10⁹: reported as a rate, i.e. GFLOP/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        kernels = KernelProvider.get();
        if (!KernelProvider.isVectorized()) {
            throw new IllegalStateException("GEMM benchmark needs --add-modules jdk.incubator.vector");
        }
        pool = HostPool.of(threads);
        Random rnd = new Random(1);
        a = new float[size * size];
        b = new float[size * size];
        c = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        kernels.gemm(pool, layout, size, size, size, a, b, c, false);
        flops.gflop += 2.0 * size * size * size / 1e9;
        return c;
    }
}
