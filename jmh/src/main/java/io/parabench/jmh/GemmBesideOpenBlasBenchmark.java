package io.parabench.jmh;

import io.parabench.kernels.GemmLayout;
import jdk.incubator.vector.FloatVector;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

import static io.parabench.kernels.VectorJvmOptions.RECOMPILATION_CUTOFF;
import static io.parabench.kernels.VectorJvmOptions.TRAP_LIMIT;
import static io.parabench.kernels.VectorJvmOptions.VECTOR_MODULE;

/**
 * parabench's fp32 GEMM against OpenBLAS's {@code cblas_sgemm} ({@link OpenBlas}), both timed in
 * every invocation of one fork: {@code size³} forward, {@code Y = X·Wᵀ}, a batch of parabench
 * calls and a batch of OpenBLAS calls on the same operands and thread count, in alternating
 * order, each batch timed apart ({@link PairedTime}). Issue 14's acceptance is "ratios against
 * OpenBLAS run beside it"; on a shared VM whose speed drifts by ±10% between minutes, a ratio
 * of two separate runs carries that drift, and a ratio of batches a tenth of a second apart
 * does not. The figure is {@code openblasTime ÷ parabenchTime}: parabench's throughput as a
 * share of OpenBLAS's. The report draws it against the 90% ({@code BenchmarkHeadlines}).
 *
 * <p>One method per vector width, as {@link GemmBenchmark}'s narrowed forks: {@code sgemm} at the
 * host's width, {@code sgemm256Bit} ({@code -XX:MaxVectorSize=32}), {@code sgemmAvx2}
 * ({@code -XX:UseAVX=2}, 16 registers) and {@code sgemm128Bit} ({@code -XX:MaxVectorSize=16}),
 * each against OpenBLAS's x86 kernel of the width the fork's vectors have: SkylakeX, Haswell or
 * Nehalem ({@link ForkWidth#openBlasCoreType}; a {@code coreType} other than {@code auto} wins).
 * The fork logs both sides' kernels on stderr.
 *
 * <p>Not part of the suite unless asked for by name ({@code -Dparabench.include=GemmBesideOpenBlas}):
 * it needs OpenBLAS ({@code apt-get install -y libopenblas0-pthread}) and a fork JVM of JDK 22 or
 * later for the foreign-function API; without either, setup fails with one line saying so.
 * <pre>
 * java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar GemmBesideOpenBlas \
 *     -jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -p threads=1,2
 * </pre>
 * How it relates to a cold command line: it measures warmed-up calls (ten warm-up seconds, past
 * the 5–7% ramp a fork shows over its first seconds), as {@link GemmBenchmark#gemm}.
 *
 * <p>Pitfalls handled: OpenBLAS's idle workers spin for about 0.1 s after a multi-threaded call
 * (its {@code THREAD_TIMEOUT}, 2²⁸ cycles) before they sleep, so with more than one thread each
 * OpenBLAS batch is followed by {@link #SETTLE_MILLIS} of sleep, outside both timings, lest
 * parabench's next batch share a core with a spinning worker; both products are checked against
 * each other in setup (to float rounding of a k-term sum); the outputs stay in the state, so
 * nothing is dead code. The primary score (pairs per second) means little; read the two times.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsPrepend = GemmBesideOpenBlasBenchmark.NATIVE_ACCESS,
        jvmArgsAppend = {VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF})
public class GemmBesideOpenBlasBenchmark {
    /** In {@code jvmArgsPrepend}: the suite runner's {@code jvmArgsAppend} replaces a fork's own. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /**
     * Calls per library per invocation: about 110 ms of 1024³ on one thread, 60 on two. Each
     * library's first call after the other's batch finds its packed buffers evicted, so batches
     * are long enough that this costs little more than back-to-back calls, as {@link GemmBenchmark}
     * and {@code openblas_gemm.py} make them, and short beside the minutes the host drifts over.
     */
    static final int CALLS_PER_BATCH = 10;
    /** Sleep after a multi-threaded OpenBLAS batch: longer than its workers spin (0.1 s). */
    static final long SETTLE_MILLIS = 150;

    /**
     * Seconds spent in each library's batches; JMH divides both by the iteration's time, which
     * cancels in their ratio. {@code gflopEach} is the work each library did, so
     * {@code gflopEach ÷ parabenchTime} is parabench's GFLOP/s.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class PairedTime {
        public double parabenchTime;
        public double openblasTime;
        public double gflopEach;
    }

    /** One GEMM's operands, on the heap for parabench and copied to native memory for OpenBLAS. */
    @State(Scope.Benchmark)
    public static class Pair extends GemmBenchmark.Operands {
        @Param({"1", "2"})
        public int threads;

        @Param("1024")
        public int size;

        /** {@code OPENBLAS_CORETYPE}; {@code auto}: the fork's vector width decides ({@link ForkWidth}). */
        @Param("auto")
        public String coreType;

        OpenBlas openBlas;
        OpenBlas.NativeFloats x;
        OpenBlas.NativeFloats w;
        OpenBlas.NativeFloats y;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            ForkWidth width = width(params.getBenchmark());
            width.check();
            allocate(threads, size, size, size);
            openBlas = OpenBlas.load(coreType.equals("auto") ? ForkWidth.openBlasCoreType() : coreType);
            x = openBlas.copyOf(a);
            w = openBlas.copyOf(b);
            y = openBlas.copyOf(c);
            parabench();
            openBlasGemm();
            float[] theirs = openBlas.toArray(y);
            for (int i = 0; i < c.length; i++) {
                if (!(Math.abs(c[i] - theirs[i]) <= 1e-5f * size)) {
                    throw new IllegalStateException("products differ at " + i + ": parabench " + c[i]
                            + ", OpenBLAS " + theirs[i]);
                }
            }
            System.err.printf("parabench: %d-bit vectors; OpenBLAS: %s kernel%n",
                    FloatVector.SPECIES_PREFERRED.vectorBitSize(), openBlas.coreName());
        }

        private static ForkWidth width(String benchmark) {
            return switch (benchmark.substring(benchmark.lastIndexOf('.') + 1)) {
                case "sgemm256Bit" -> ForkWidth.BITS_256;
                case "sgemmAvx2" -> ForkWidth.AVX2;
                case "sgemm128Bit" -> ForkWidth.BITS_128;
                default -> ForkWidth.NATIVE;
            };
        }

        void parabench() {
            kernels.gemm(pool, GemmLayout.FORWARD, size, size, size, a, b, c, false);
        }

        void openBlasGemm() {
            openBlas.forward(threads, size, size, size, x, w, y);
        }

        /** Flips every invocation: which library's batch goes first. */
        boolean openBlasFirst;

        /**
         * One batch of each, in alternating order, so neither always meets the caches the other
         * left; each OpenBLAS batch on more threads is followed by the settling sleep.
         */
        float[] pair(PairedTime time) throws InterruptedException {
            openBlasFirst = !openBlasFirst;
            if (openBlasFirst) {
                time.openblasTime += openBlasBatch();
                time.parabenchTime += parabenchBatch();
            } else {
                time.parabenchTime += parabenchBatch();
                time.openblasTime += openBlasBatch();
            }
            time.gflopEach += CALLS_PER_BATCH * 2.0 * size * size * size / 1e9;
            return c;
        }

        /** Seconds of a batch of parabench GEMMs. */
        private double parabenchBatch() {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS_PER_BATCH; i++) {
                parabench();
            }
            return (System.nanoTime() - start) / 1e9;
        }

        /** Seconds of a batch of OpenBLAS GEMMs; then, on more threads, the untimed settling sleep. */
        private double openBlasBatch() throws InterruptedException {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS_PER_BATCH; i++) {
                openBlasGemm();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (threads > 1) {
                Thread.sleep(SETTLE_MILLIS);
            }
            return seconds;
        }
    }

    @Benchmark
    public float[] sgemm(Pair p, PairedTime time) throws InterruptedException {
        return p.pair(time);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsPrepend = {"-XX:MaxVectorSize=32", NATIVE_ACCESS},
            jvmArgsAppend = {VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF})
    public float[] sgemm256Bit(Pair p, PairedTime time) throws InterruptedException {
        return p.pair(time);
    }

    /** x86 only: the suite leaves it out on other hosts, whose JVMs refuse {@code -XX:UseAVX}. */
    @Benchmark
    @Fork(value = 1, jvmArgsPrepend = {"-XX:UseAVX=2", NATIVE_ACCESS},
            jvmArgsAppend = {VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF})
    public float[] sgemmAvx2(Pair p, PairedTime time) throws InterruptedException {
        return p.pair(time);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsPrepend = {"-XX:MaxVectorSize=16", NATIVE_ACCESS},
            jvmArgsAppend = {VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF})
    public float[] sgemm128Bit(Pair p, PairedTime time) throws InterruptedException {
        return p.pair(time);
    }
}
