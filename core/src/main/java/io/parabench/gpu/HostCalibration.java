package io.parabench.gpu;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.kernels.KernelProvider;
import io.parabench.kernels.Kernels;

import java.util.Arrays;
import java.util.Random;

/**
 * Measures this JVM on this machine and turns the figures into a {@link DeviceSpec} named
 * {@value #SPEC_NAME}: the "host" device of issue 4 calibrated instead of hand-set.
 *
 * <p>What is measured, with the process's own kernels ({@link KernelProvider#get()}):
 * <ul>
 *   <li>FP32 GEMM throughput, {@code C = A·Bᵀ} ({@link GemmLayout#FORWARD}) on n×n×n, first on
 *       one host thread, then on a {@link HostPool} of every available processor. Each is warmed
 *       up for a fixed time (the first calls run many times slower until C2 has compiled the
 *       micro-kernel), then timed call by call; the best call counts, as a peak is what a
 *       datasheet gives. FLOPs are {@code 2·n³}.</li>
 *   <li>Streaming memory bandwidth: {@link Kernels#add} on arrays far past the caches, split
 *       over all threads (each thread its own slice, as all SMs share one HBM), best call,
 *       counting 12 bytes per element (read a, read b, write out, as STREAM's "Add" does; the
 *       write-allocate read is not counted).</li>
 *   <li>Launch overhead: the median time of handing one empty task per thread to the pool and
 *       waiting for all of them, which is what a kernel launch costs the emulator.</li>
 * </ul>
 * Before timing, the calibration checks sampled elements of the GEMM it timed against a scalar
 * FMA chain in the same order (the kernels promise identical bits), so a broken kernel fails the
 * calibration instead of producing a fast but meaningless figure.
 *
 * <p>The resulting spec has one "SM" per available processor. Its FP32 FLOP/s per SM is the
 * all-thread GEMM rate divided by the thread count, so that a kernel granted every SM is
 * predicted at the rate the host really reached with all its cores (sharing caches, memory and,
 * on a busy machine, the cores themselves); the single-thread rate is reported alongside. BF16
 * and FP8 get the FP32 figure: the host has no faster path for them (the kernels compute in
 * float and only round values to those formats). Memory, NVLink and network bandwidths are all
 * the measured streaming bandwidth, since copies between host "devices" are memcpys; memory
 * capacity is the JVM's maximum heap.
 *
 * <p><b>Determinism.</b> This is the only place where the emulator's device model reads a wall
 * clock, and it does so only to produce numbers: the virtual clock never does. But a trace
 * simulated on a calibrated spec depends on the host that calibrated it and on how busy it was,
 * so tests, golden files and any run that must be reproducible use the fixed presets
 * ({@link DeviceSpec#host()}, {@link DeviceSpec#h800()}, …), never a calibration.
 *
 * <p>Takes about two seconds with {@link Settings#DEFAULT} and allocates about 100 MiB. Holds no
 * shared state, but anything else running on the machine (another calibration included) is
 * measured with it: figures from a machine shared with other jobs are rough.
 */
public final class HostCalibration {
    /** Name of the calibrated spec, as written to traces' {@code deviceProperties}. */
    public static final String SPEC_NAME = "host (calibrated)";

    /** Bytes moved per element by {@code add}: two reads and one write of a float. */
    static final int ADD_BYTES_PER_ELEMENT = 3 * Float.BYTES;

    private static final long SEED = 20261127L;

    private HostCalibration() {
    }

    /**
     * How long and how big to measure.
     *
     * @param gemmSize          n of the n×n×n GEMM
     * @param streamArrayBytes  size of each of the three {@code add} arrays, summed over threads
     * @param warmupNs          warm-up time per measurement
     * @param measureNs         timing time per measurement (at least {@code minSamples} calls)
     * @param minSamples        fewest timed calls per measurement
     */
    public record Settings(int gemmSize, int streamArrayBytes, long warmupNs, long measureNs, int minSamples) {
        /**
         * 512³ GEMMs (a few ms each at vector speed) and three 32 MiB arrays (96 MiB streamed
         * per call, three times a 32 MiB L3, so the figure is DRAM's); 0.3 s warm-up and 0.25 s
         * timing per figure keep the whole run near 2 s.
         */
        public static final Settings DEFAULT = new Settings(512, 32 << 20, 300_000_000L, 250_000_000L, 3);

        public Settings {
            if (gemmSize < 1 || gemmSize > 4096) {
                throw new IllegalArgumentException("gemmSize (" + gemmSize + ") must be in 1..4096");
            }
            if (streamArrayBytes < Float.BYTES) {
                throw new IllegalArgumentException("streamArrayBytes (" + streamArrayBytes + ") must be >= " + Float.BYTES);
            }
            if (warmupNs < 0 || measureNs < 0) {
                throw new IllegalArgumentException("warmupNs (" + warmupNs + ") and measureNs (" + measureNs
                        + ") must be >= 0");
            }
            if (minSamples < 1) {
                throw new IllegalArgumentException("minSamples (" + minSamples + ") must be >= 1");
            }
        }
    }

    /**
     * The measured figures, for printing.
     *
     * @param kernels                the kernel twin measured ({@link Kernels#name()})
     * @param threads                host threads of the all-thread measurements (= the spec's SMs)
     * @param gemmSize               n of the n×n×n GEMM
     * @param gemmGflopsOneThread    best GEMM rate on one thread, GFLOP/s
     * @param gemmGflopsAllThreads   best GEMM rate on {@code threads} threads, GFLOP/s
     * @param streamArrayBytes       size of each {@code add} array
     * @param streamGbPerSecond      best {@code add} bandwidth on all threads, GB/s (10⁹ bytes)
     * @param launchOverheadUs       median pool hand-off, µs
     * @param elapsedSeconds         wall time of the whole calibration
     */
    public record Figures(String kernels, int threads, int gemmSize, double gemmGflopsOneThread,
                          double gemmGflopsAllThreads, int streamArrayBytes, double streamGbPerSecond,
                          double launchOverheadUs, double elapsedSeconds) {

        /** All-thread rate over {@code threads} × single-thread rate; 1 is perfect scaling. */
        public double scalingEfficiency() {
            return gemmGflopsAllThreads / (threads * gemmGflopsOneThread);
        }
    }

    /** The figures and the spec built from them. */
    public record Result(Figures figures, DeviceSpec spec) {
    }

    /** Calibrates with {@link Settings#DEFAULT}. */
    public static Result calibrate() {
        return calibrate(Settings.DEFAULT);
    }

    /**
     * Measures this host with {@code settings}.
     *
     * @throws IllegalStateException if the timed GEMM gives a wrong result
     */
    public static Result calibrate(Settings settings) {
        long start = System.nanoTime();
        Kernels kernels = KernelProvider.get();
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), 256);
        int n = settings.gemmSize();
        Random random = new Random(SEED);
        float[] a = randomMatrix(random, n * n);
        float[] b = randomMatrix(random, n * n);
        float[] c = new float[n * n];
        double flops = 2.0 * n * n * n;

        kernels.gemm(HostPool.SERIAL, GemmLayout.FORWARD, n, n, n, a, b, c, false);
        checkForwardGemm(n, a, b, c);
        long oneThreadNs = bestNs(() -> kernels.gemm(HostPool.SERIAL, GemmLayout.FORWARD, n, n, n, a, b, c, false),
                settings);

        double streamBytesPerSecond;
        long launchNs;
        long allThreadsNs;
        try (HostPool pool = HostPool.of(threads)) {
            Arrays.fill(c, Float.NaN); // the all-thread result must be computed afresh to pass the check
            kernels.gemm(pool, GemmLayout.FORWARD, n, n, n, a, b, c, false);
            checkForwardGemm(n, a, b, c);
            allThreadsNs = bestNs(() -> kernels.gemm(pool, GemmLayout.FORWARD, n, n, n, a, b, c, false), settings);
            streamBytesPerSecond = streamBytesPerSecond(kernels, pool, settings);
            launchNs = medianLaunchNs(pool, settings);
        }

        Figures figures = new Figures(kernels.name(), threads, n, flops / oneThreadNs, flops / allThreadsNs,
                settings.streamArrayBytes(), streamBytesPerSecond / 1e9, launchNs / 1e3,
                (System.nanoTime() - start) / 1e9);
        return new Result(figures, spec(figures));
    }

    /** The spec for {@code figures}: see the class Javadoc for how each field is derived. */
    static DeviceSpec spec(Figures figures) {
        double perSm = figures.gemmGflopsAllThreads() * 1e9 / figures.threads();
        double bandwidth = figures.streamGbPerSecond() * 1e9;
        return new DeviceSpec(SPEC_NAME, figures.threads(), perSm, perSm, perSm, Runtime.getRuntime().maxMemory(),
                bandwidth, bandwidth, bandwidth, Math.round(figures.launchOverheadUs() * 1e3));
    }

    /**
     * Checks a sample of C = A·Bᵀ (B stored n×k) against a scalar FMA chain in increasing
     * reduction index, which the kernels promise to match bit for bit: the corners, the diagonal
     * and a seeded scatter, O(n²) work in all.
     *
     * @throws IllegalStateException naming the first element that differs
     */
    static void checkForwardGemm(int n, float[] a, float[] b, float[] c) {
        Random pick = new Random(SEED + 1);
        int samples = Math.min(n * n, 4 + 2 * n);
        for (int s = 0; s < samples; s++) {
            int i;
            int j;
            if (s < 4) {
                i = (s & 1) == 0 ? 0 : n - 1;
                j = (s & 2) == 0 ? 0 : n - 1;
            } else if (s < 4 + n) {
                i = s - 4;
                j = i;
            } else {
                i = pick.nextInt(n);
                j = pick.nextInt(n);
            }
            float expected = 0f;
            for (int p = 0; p < n; p++) {
                expected = Math.fma(a[i * n + p], b[j * n + p], expected);
            }
            float actual = c[i * n + j];
            if (Float.floatToIntBits(actual) != Float.floatToIntBits(expected)) {
                throw new IllegalStateException("calibration GEMM gave C[" + i + "][" + j + "] = " + actual
                        + ", expected " + expected + " (scalar FMA chain): the kernel is wrong, no figure is meaningful");
            }
        }
    }

    private static float[] randomMatrix(Random random, int length) {
        float[] m = new float[length];
        for (int i = 0; i < length; i++) {
            m[i] = random.nextFloat() * 2f - 1f;
        }
        return m;
    }

    /** Runs {@code call} for the warm-up time, then returns the fastest of the timed calls. */
    private static long bestNs(Runnable call, Settings settings) {
        long warmEnd = System.nanoTime() + settings.warmupNs();
        do {
            call.run();
        } while (System.nanoTime() < warmEnd);
        long best = Long.MAX_VALUE;
        long stop = System.nanoTime() + settings.measureNs();
        for (int samples = 0; samples < settings.minSamples() || System.nanoTime() < stop; samples++) {
            long t0 = System.nanoTime();
            call.run();
            // max(1, …): a coarse clock must not yield a zero time and an infinite rate
            best = Math.min(best, Math.max(1, System.nanoTime() - t0));
        }
        return best;
    }

    private static double streamBytesPerSecond(Kernels kernels, HostPool pool, Settings settings) {
        int threads = pool.threads();
        int perThread = Math.max(1, settings.streamArrayBytes() / Float.BYTES / threads);
        float[][] x = new float[threads][];
        float[][] y = new float[threads][];
        float[][] sum = new float[threads][];
        Random random = new Random(SEED + 2);
        for (int t = 0; t < threads; t++) {
            x[t] = randomMatrix(random, perThread);
            y[t] = randomMatrix(random, perThread);
            sum[t] = new float[perThread];
        }
        long ns = bestNs(() -> pool.parallelFor(threads, t -> kernels.add(x[t], y[t], sum[t], perThread)), settings);
        return (double) ADD_BYTES_PER_ELEMENT * perThread * threads / (ns / 1e9);
    }

    /**
     * Median of empty hand-offs: the typical cost, where a best case would hide the wake-up of
     * parked workers that a real launch pays.
     */
    private static long medianLaunchNs(HostPool pool, Settings settings) {
        int threads = pool.threads();
        long[] samples = new long[4096];
        int count = 0;
        long stop = System.nanoTime() + Math.max(settings.measureNs() / 4, 1);
        while (count < samples.length && (count < settings.minSamples() || System.nanoTime() < stop)) {
            long t0 = System.nanoTime();
            pool.parallelFor(threads, t -> {
            });
            samples[count++] = System.nanoTime() - t0;
        }
        Arrays.sort(samples, 0, count);
        return samples[count / 2];
    }
}
