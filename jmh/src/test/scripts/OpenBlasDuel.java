import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.kernels.KernelProvider;
import io.parabench.kernels.Kernels;
import io.parabench.kernels.PackedWeight;
import io.parabench.jmh.OpenBlas;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * parabench's GEMM and OpenBLAS's {@code cblas_sgemm} in one process, call batches alternated, so
 * both meet the same host in the same seconds: on a shared VM whose speed moves by a third between
 * minutes, ratios taken from separate runs (JMH here, {@code openblas_gemm.py} there) carry that
 * third; ratios of batches alternated every few milliseconds do not. What it prints, per case,
 * is the harmonic mean over all batches (total work ÷ total time) and the median call:
 * <ul>
 *   <li>{@code square}: fp32 {@code n³} forward ({@code Y = X·Wᵀ}) on 1 and 2 threads for both
 *       libraries, each one's 2-thread scaling, and parabench ÷ OpenBLAS per thread count; beside
 *       them a loop of register-only vector FMAs on 1 and 2 threads, the host's own 2-thread
 *       scaling with no memory traffic at all, which no GEMM can beat;</li>
 *   <li>{@code skinny}: {@code Y[m×2048] = X·Wᵀ}, m = 1 and 8, on one thread, as the rate W is
 *       read, against a plain sequential read of the same W ({@code GemmBenchmark.skinnyReadBound}'s
 *       loop), alternated the same way; the share is issue 14's 70% figure. Beside them, m = 8's
 *       vector FMAs alone in registers, as a rate of W: no m = 8 product can run faster. parabench runs twice,
 *       on W as stored and on W packed once beforehand ({@code Kernels.packWeight}); the two must
 *       give the same bits.</li>
 * </ul>
 * It calls OpenBLAS through the foreign-function API ({@code io.parabench.jmh.OpenBlas}), final in
 * JDK 22, so it needs a newer JDK than the build's 17; source-file mode compiles it on the fly.
 * {@code OPENBLAS_CORETYPE} picks OpenBLAS's kernel as for the Python script (unset, OpenBLAS
 * 0.3.21 falls back to Haswell on a Zen 5); {@code -XX:MaxVectorSize} narrows parabench's:
 * <pre>
 * OPENBLAS_CORETYPE=SkylakeX /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector \
 *     --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar jmh/src/test/scripts/OpenBlasDuel.java square
 * </pre>
 * Arguments: {@code square|skinny} (default square), then {@code rounds=N} (default 10) and
 * {@code size=N} (square, default 1024). The library is Debian's {@code libopenblas0-pthread}
 * (override with {@code -Dopenblas=/path/libopenblas.so}). Exit 1 if it is missing or a
 * product differs from OpenBLAS's by more than rounding allows. The JMH benchmark
 * {@code GemmBesideOpenBlasBenchmark} makes the square comparison the same way, per vector width,
 * with JMH's statistics.
 */
public class OpenBlasDuel {
    private static final int CALLS_PER_BATCH = 10;
    /**
     * Pause after an OpenBLAS batch on several threads: its idle workers spin for 2^28 cycles
     * (OpenBLAS's THREAD_TIMEOUT, about 0.1 s) before they sleep, and a one-thread batch run in
     * that time shares its core with one of them.
     */
    private static final long SETTLE_MILLIS = 200;

    private static OpenBlas openBlas;
    private static float sink;

    public static void main(String[] args) throws Throwable {
        String shape = args.length > 0 && !args[0].contains("=") ? args[0] : "square";
        int rounds = option(args, "rounds", 10);
        int size = option(args, "size", 1024);
        if (!shape.equals("square") && !shape.equals("skinny")) {
            fail("shape (" + shape + ") must be square or skinny");
        }
        try {
            openBlas = OpenBlas.load("");
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        }
        if (!KernelProvider.isVectorized()) {
            fail("parabench runs scalar kernels: add --add-modules jdk.incubator.vector");
        }
        System.out.printf("vectors %d-bit, OpenBLAS %s kernel (OPENBLAS_CORETYPE %s), %s%n",
                FloatVector.SPECIES_PREFERRED.vectorBitSize(), openBlas.coreName(),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"), Runtime.version());
        if (shape.equals("square")) {
            square(size, rounds);
        } else {
            skinny(rounds);
        }
    }

    /** 1 and 2 threads, both libraries and the FMA loop, alternated batch by batch. */
    private static void square(int size, int rounds) throws Throwable {
        Operands o = new Operands(size, size, size);
        HostPool one = HostPool.SERIAL;
        HostPool two = HostPool.of(2);
        ExecutorService second = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fma-loop");
            t.setDaemon(true);
            return t;
        });
        long fmaSteps = (long) size * size * size / (FMA_CHAINS * FloatVector.SPECIES_PREFERRED.length());
        List<Case> cases = List.of(
                new Case("FMA loop 1 thread", () -> sink += fmaLoop(fmaSteps), false),
                new Case("FMA loop 2 threads", () -> {
                    Future<Float> other = second.submit(() -> fmaLoop(fmaSteps / 2));
                    sink += fmaLoop(fmaSteps / 2) + other.get();
                }, false),
                new Case("parabench 1 thread", () -> o.parabench(one), false),
                new Case("parabench 2 threads", () -> o.parabench(two), false),
                new Case("OpenBLAS 1 thread", () -> o.openBlas(1), false),
                new Case("OpenBLAS 2 threads", () -> o.openBlas(2), true));
        run(cases, rounds);
        o.check();
        double flop = 2.0 * size * size * size / 1e9;
        for (Case c : cases) {
            System.out.printf("%-22s %7.1f GFLOP/s (median call %7.1f)%n", c.name, flop / c.meanSeconds(), flop / c.medianSeconds());
        }
        System.out.printf("2-thread scaling: FMA loop %.2f×, parabench %.2f×, OpenBLAS %.2f×%n",
                scaling(cases, 0), scaling(cases, 2), scaling(cases, 4));
        System.out.printf("parabench ÷ OpenBLAS: 1 thread %.2f, 2 threads %.2f%n",
                cases.get(4).meanSeconds() / cases.get(2).meanSeconds(), cases.get(5).meanSeconds() / cases.get(3).meanSeconds());
        two.close();
        second.shutdown();
    }

    /** m = 1 and 8 against 2048×2048 W, one thread, against reading W once. */
    private static void skinny(int rounds) throws Throwable {
        Operands one = new Operands(1, 2048, 2048);
        Operands eight = new Operands(8, 2048, 2048);
        eight.w = one.w; // one W for all cases, so every case reads the same pages
        eight.copyToNative();
        eight.packedW = one.packedW;
        // m = 8's vector FMAs (8·n·k ÷ lanes) in registers: the compute bound of the m = 8 product.
        long eightSteps = 8L * 2048 * 2048 / (FloatVector.SPECIES_PREFERRED.length() * FMA_CHAINS);
        List<Case> cases = List.of(
                new Case("read W once", () -> sink += readOnce(one.w), false),
                new Case("FMAs of m=8", () -> sink += fmaLoop(eightSteps), false),
                new Case("parabench m=1", () -> one.parabench(HostPool.SERIAL), false),
                new Case("packed m=1", () -> one.packed(HostPool.SERIAL), false),
                new Case("OpenBLAS m=1", () -> one.openBlas(1), false),
                new Case("parabench m=8", () -> eight.parabench(HostPool.SERIAL), false),
                new Case("packed m=8", () -> eight.packed(HostPool.SERIAL), false),
                new Case("OpenBLAS m=8", () -> eight.openBlas(1), false));
        run(cases, rounds);
        one.check();
        eight.check();
        double gbytes = 4.0 * one.w.length / 1e9;
        double bound = gbytes / cases.get(0).meanSeconds();
        for (Case c : cases) {
            double rate = gbytes / c.meanSeconds();
            System.out.printf("%-16s %6.1f GB/s of W (median call %6.1f), %3.0f%% of reading W once%n", c.name, rate,
                    gbytes / c.medianSeconds(), 100 * rate / bound);
        }
    }

    /** Warms every case up, then runs {@code rounds} rounds of one batch per case, in order. */
    private static void run(List<Case> cases, int rounds) throws Throwable {
        for (int i = 0; i < 30; i++) {
            for (Case c : cases) {
                c.body.run();
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Case c : cases) {
                for (int i = 0; i < CALLS_PER_BATCH; i++) {
                    long t0 = System.nanoTime();
                    c.body.run();
                    c.seconds.add((System.nanoTime() - t0) / 1e9);
                }
                if (c.spinsAfter) {
                    Thread.sleep(SETTLE_MILLIS);
                }
            }
        }
    }

    /** GEMMs' operands, on the heap for parabench and copied to native memory for OpenBLAS. */
    private static final class Operands {
        final int m;
        final int n;
        final int k;
        float[] x;
        float[] w;
        final float[] y;
        OpenBlas.NativeFloats nx;
        OpenBlas.NativeFloats nw;
        OpenBlas.NativeFloats ny;
        final Kernels kernels = KernelProvider.get();
        /** W packed once for {@link #packed}, as a decode loop keeps it; null until {@link #copyToNative}. */
        PackedWeight packedW;

        Operands(int m, int n, int k) {
            this.m = m;
            this.n = n;
            this.k = k;
            Random rnd = new Random(1);
            x = new float[m * k];
            w = new float[n * k];
            y = new float[m * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextFloat() - 0.5f;
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = rnd.nextFloat() - 0.5f;
            }
            copyToNative();
        }

        void copyToNative() {
            nx = openBlas.copyOf(x);
            nw = openBlas.copyOf(w);
            ny = openBlas.copyOf(y);
            packedW = kernels.packWeight(n, k, w);
        }

        void parabench(HostPool pool) {
            kernels.gemm(pool, GemmLayout.FORWARD, m, n, k, x, w, y, false);
        }

        /** The same product with W packed beforehand (same bits as {@link #parabench}). */
        void packed(HostPool pool) {
            kernels.gemm(pool, m, x, packedW, y, false);
        }

        void openBlas(int threads) {
            openBlas.forward(threads, m, n, k, nx, nw, ny);
        }

        /** Both libraries' last products agree to within float rounding of a k-term sum. */
        void check() throws Throwable {
            packed(HostPool.SERIAL);
            float[] fromPacked = y.clone();
            parabench(HostPool.SERIAL);
            if (!Arrays.equals(fromPacked, y)) {
                fail("the packed product's bits differ from the unpacked one's (m = " + m + ")");
            }
            openBlas(1);
            float[] theirs = openBlas.toArray(ny);
            for (int i = 0; i < y.length; i++) {
                if (Math.abs(y[i] - theirs[i]) > 1e-5f * k) {
                    fail("products differ at " + i + ": parabench " + y[i] + ", OpenBLAS " + theirs[i]);
                }
            }
        }
    }

    private static double scaling(List<Case> cases, int oneThread) {
        return cases.get(oneThread).meanSeconds() / cases.get(oneThread + 1).meanSeconds();
    }

    private static final int FMA_CHAINS = 12;

    /**
     * {@code steps × 12} vector FMAs in twelve independent chains (enough to fill two FMA pipes
     * of 4-cycle latency), all in registers: as many FLOPs as the GEMM when {@code steps} is the
     * GEMM's FLOPs ÷ (2 × 12 × lanes).
     */
    private static float fmaLoop(long steps) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        FloatVector a = FloatVector.broadcast(s, 1.0001f);
        FloatVector b = FloatVector.broadcast(s, 0.9999f);
        FloatVector c0 = FloatVector.zero(s);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        for (long i = 0; i < steps; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** GemmBenchmark.skinnyReadBound's loop: four independent vector sums over W. */
    private static float readOnce(float[] b) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        int v = s.length();
        FloatVector a0 = FloatVector.zero(s);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int bound = b.length - b.length % (4 * v);
        for (int i = 0; i < bound; i += 4 * v) {
            a0 = a0.add(FloatVector.fromArray(s, b, i));
            a1 = a1.add(FloatVector.fromArray(s, b, i + v));
            a2 = a2.add(FloatVector.fromArray(s, b, i + 2 * v));
            a3 = a3.add(FloatVector.fromArray(s, b, i + 3 * v));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Throwable;
    }

    private static final class Case {
        final String name;
        final Body body;
        /** Leaves threads spinning after it returns, so the next batch waits {@link #SETTLE_MILLIS}. */
        final boolean spinsAfter;
        final List<Double> seconds = new ArrayList<>();

        Case(String name, Body body, boolean spinsAfter) {
            this.name = name;
            this.body = body;
            this.spinsAfter = spinsAfter;
        }

        double meanSeconds() {
            return seconds.stream().mapToDouble(Double::doubleValue).sum() / seconds.size();
        }

        double medianSeconds() {
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s[s.length / 2];
        }
    }

    private static int option(String[] args, String name, int fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith(name + "=")).findFirst()
                .map(a -> Integer.parseInt(a.substring(name.length() + 1))).orElse(fallback);
    }

    private static void fail(String message) {
        System.err.println("OpenBlasDuel: " + message);
        System.exit(1);
    }
}
