package io.parabench.analysis.report;

import io.parabench.analysis.chart.HeadlineBar;
import io.parabench.analysis.read.BenchmarkResult;
import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.EplbReferenceTimes;
import io.parabench.analysis.read.MetricResult;
import io.parabench.analysis.regress.RegressionGate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a run's JMH results into the dashboard's headline figures — what the suite exists to
 * show — each with its trend over the recorded runs:
 * <ol>
 *   <li>pipeline bubble rate and makespan per schedule kind against ranks and micro-batches
 *       ({@code SimulatorBenchmark}, exact virtual-time metrics);</li>
 *   <li>EPLB rebalance time per policy against DeepSeek's {@code eplb.py} on the same shape,
 *       and the balancedness each policy reaches ({@code EplbBenchmark});</li>
 *   <li>kernels, vector against scalar twin, in GB/s ({@code KernelBenchmark});</li>
 *   <li>GEMM GFLOP/s against the host's calibrated peak, with the vector width of the run
 *       ({@code GemmBenchmark}), and as a share of OpenBLAS's timed beside it
 *       ({@code GemmBesideOpenBlasBenchmark}, when run);</li>
 *   <li>trace reading MB/s ({@code TraceReadBenchmark}) and the training step's virtual time
 *       ({@code TrainingStepBenchmark}).</li>
 * </ol>
 * A headline whose benchmark is not in the run is left out; benchmarks no headline covers are
 * charted generically by the report. Results are matched by class and method name and read by
 * the parameter and metric names those benchmarks declare.
 */
final class BenchmarkHeadlines {
    /** Environment keys of a run file that name the vector width the run had. */
    static final List<String> VECTOR_KEYS = List.of("vector_bits", "vector_width", "vector_species");
    /** Environment keys of the calibrated GEMM peak (GFLOP/s), set by the suite from {@code HostCalibration}. */
    static final String PEAK_ONE_THREAD = "gemm_peak_gflops_1_thread";
    static final String PEAK_ALL_THREADS = "gemm_peak_gflops_all_threads";

    /**
     * The shapes of {@code EplbBenchmark}'s deployments (58 layers × 256 experts of DeepSeek-V3):
     * prefill 288 replicas, 8 groups, 4 nodes, 32 GPUs; decode 288 replicas on 144 GPUs of 18 nodes.
     */
    private static final Map<String, EplbReferenceTimes.Shape> EPLB_SHAPES = Map.of(
            "prefill", new EplbReferenceTimes.Shape(58, 256, 288, 8, 4, 32),
            "decode", new EplbReferenceTimes.Shape(58, 256, 288, 8, 18, 144));

    /**
     * One headline: its chart for this run and its trend.
     *
     * @param title      chart title
     * @param valueLabel value axis label with unit
     * @param bars       this run's bars
     * @param references reference lines (label → value), may be empty
     * @param trendTitle title of the trend chart
     * @param trend      per series, one value per run of {@code runs} (NaN where absent)
     * @param caption    what the figure shows and where the numbers come from
     * @param wide       spans two dashboard columns (many categories)
     */
    record Headline(String title, String valueLabel, List<HeadlineBar> bars, Map<String, Double> references,
                    String trendTitle, Map<String, double[]> trend, String caption, boolean wide) {
    }

    private final BenchmarkRun current;
    private final List<BenchmarkRun> runs;
    private final Map<EplbReferenceTimes.Shape, Double> eplbReference;
    private final Set<String> covered = new LinkedHashSet<>();

    /**
     * @param current       this run
     * @param runs          the runs of the trend, chronological, ending with {@code current}
     * @param eplbReference DeepSeek's reference seconds per shape (empty when not available)
     */
    BenchmarkHeadlines(BenchmarkRun current, List<BenchmarkRun> runs, Map<EplbReferenceTimes.Shape, Double> eplbReference) {
        this.current = current;
        this.runs = runs;
        this.eplbReference = eplbReference;
    }

    /** The headlines present in the run, in dashboard order. */
    List<Headline> build() {
        List<Headline> all = new ArrayList<>();
        pipeline("exact_bubble_rate", "Pipeline bubble rate", "bubble rate (idle share of ranks × makespan)", all);
        pipeline("exact_makespan", "Pipeline makespan", "makespan (virtual cost units)", all);
        eplbTime(all);
        kernels(all);
        eplbBalance(all);
        gemm(all);
        decode(all);
        decodeShare(all);
        besideOpenBlas(all);
        traceRead(all);
        trainingStep(all);
        return all;
    }

    /** Benchmark methods (fully qualified) that a headline shows. */
    Set<String> covered() {
        return covered;
    }

    private void pipeline(String metric, String title, String label, List<Headline> out) {
        List<BenchmarkResult> results = sorted(select(current, method("SimulatorBenchmark.simulate")),
                Comparator.comparingLong((BenchmarkResult r) -> number(r, "ranks")).thenComparingLong(r -> number(r, "chunks")));
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : results) {
            bar(r.params().getOrDefault("kind", "?"), pipelineCategory(r), r, metric).ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        String reference = bars.get(0).category();
        Map<String, double[]> trend = trend(method("SimulatorBenchmark.simulate")
                .and(r -> pipelineCategory(r).equals(reference)), r -> r.params().getOrDefault("kind", "?"), metric);
        out.add(new Headline(title, label, bars, Map.of(), title + " at " + reference + " over recorded runs", trend,
                title + " of each schedule kind from the simulator (exact, virtual time: P = pipeline ranks, mb ="
                        + " micro-batches). Lower is better.", false));
    }

    private static String pipelineCategory(BenchmarkResult r) {
        return "P=" + r.params().getOrDefault("ranks", "?") + ", " + r.params().getOrDefault("chunks", "?") + " mb";
    }

    private void eplbTime(List<Headline> out) {
        List<BenchmarkResult> results = select(current, method("EplbBenchmark.rebalance"));
        List<HeadlineBar> bars = new ArrayList<>();
        String unit = "";
        for (BenchmarkResult r : results) {
            unit = r.primary().unit();
            bar("parabench " + r.params().getOrDefault("policy", "?"), r.params().getOrDefault("deployment", "?"), r,
                    "primary").ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        double perSecond = perSecond(unit);
        String source = "no DeepSeek reference times available (../shared/data/eplb/reference-cases.json)";
        if (!eplbReference.isEmpty() && !Double.isNaN(perSecond)) {
            List<String> deployments = bars.stream().map(HeadlineBar::category).distinct().toList();
            int found = 0;
            for (String deployment : deployments) {
                EplbReferenceTimes.Shape shape = EPLB_SHAPES.get(deployment);
                Double seconds = shape == null ? null : eplbReference.get(shape);
                if (seconds != null) {
                    bars.add(HeadlineBar.exact("DeepSeek eplb.py (PyTorch, CPU)", deployment, seconds * perSecond));
                    found++;
                }
            }
            if (found > 0) {
                source = "DeepSeek's eplb.py times: the seconds recorded with the reference cases of the same shape"
                        + " (58 layers × 256 experts), one call each";
            }
        }
        Map<String, double[]> trend = trend(method("EplbBenchmark.rebalance"), BenchmarkHeadlines::policyAndDeployment,
                "primary");
        out.add(new Headline("EPLB rebalance time vs DeepSeek", "time per rebalance (" + unit + ")", bars, Map.of(),
                "EPLB rebalance time over recorded runs", trend,
                "One rebalance of DeepSeek-V3 (58 layers × 256 experts), one thread, per policy and deployment;"
                        + " lower is better. " + source + ".", false));
    }

    private void eplbBalance(List<Headline> out) {
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : select(current, method("EplbBenchmark.rebalance"))) {
            bar(r.params().getOrDefault("policy", "?"), r.params().getOrDefault("deployment", "?"), r,
                    "exact_balancedness").ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, double[]> trend = trend(method("EplbBenchmark.rebalance"), BenchmarkHeadlines::policyAndDeployment,
                "exact_balancedness");
        out.add(new Headline("EPLB balancedness per policy", "balancedness (mean ÷ max GPU load)", bars,
                Map.of("perfect balance", 1.0), "EPLB balancedness over recorded runs", trend,
                "Mean ÷ max GPU load, averaged over layers, of each policy's placement on the benchmark's seeded"
                        + " loads (exact); 1 is perfect, higher is better.", false));
    }

    private void kernels(List<Headline> out) {
        List<BenchmarkResult> results = select(current, cls("KernelBenchmark"));
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : results) {
            bar(r.params().getOrDefault("impl", "?"), methodName(r) + varying(results, r, Set.of("impl", "size")), r,
                    "gbytes").ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, double[]> trend = trend(run -> {
            Map<String, List<Double>> rates = new TreeMap<>(Comparator.reverseOrder());   // vector before scalar
            for (BenchmarkResult r : select(run, cls("KernelBenchmark"))) {
                value(r, "gbytes").filter(v -> v > 0).ifPresent(v ->
                        rates.computeIfAbsent(r.params().getOrDefault("impl", "?"), k -> new ArrayList<>()).add(v));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            rates.forEach((impl, list) -> values.put(impl + " (geometric mean of " + list.size() + ")", geometricMean(list)));
            return values;
        });
        out.add(new Headline("Kernels: vector vs scalar twin", "GB/s moved", bars, Map.of(),
                "Kernel GB/s over recorded runs (geometric mean)", trend,
                "Bytes read and written per second by each kernel on 1 M floats, the Vector API implementation"
                        + " beside its plain scalar twin; higher is better.", true));
    }

    private void gemm(List<Headline> out) {
        List<BenchmarkResult> results = select(current, method("GemmBenchmark.gemm"));
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : results) {
            bar(threads(r), varying(results, r, Set.of("threads")).strip(), r, "gflop").ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, Double> peaks = new LinkedHashMap<>();
        environmentNumber(PEAK_ONE_THREAD).ifPresent(v -> peaks.put("calibrated peak, 1 thread", v));
        environmentNumber(PEAK_ALL_THREADS).ifPresent(v -> peaks.put("calibrated peak, " + current.environment()
                .getOrDefault("cores", "all") + " threads", v));
        String width = vectorWidth();
        String reference = bars.get(bars.size() - 1).category();
        // The JVM-narrowed forks name their width in the method; the skinny (decode) shapes name m.
        for (BenchmarkResult r : select(current, method("GemmBenchmark.gemm256Bit").or(method("GemmBenchmark.gemm128Bit")))) {
            String bits = methodName(r).replaceAll("\\D", "");
            bar("1 thread", "1024³ FORWARD at " + bits + "-bit vectors", r, "gflop").ifPresent(bars::add);
        }
        for (BenchmarkResult r : select(current, method("GemmBenchmark.gemmAvx2"))) {
            bar("1 thread", "1024³ FORWARD with AVX2 (256-bit, 16 registers)", r, "gflop").ifPresent(bars::add);
        }
        for (BenchmarkResult r : select(current, method("GemmBenchmark.skinny"))) {
            bar(threads(r), "m=" + r.params().getOrDefault("m", "?") + " ×2048×2048 FORWARD (skinny)", r, "gflop")
                    .ifPresent(bars::add);
        }
        Map<String, double[]> trend = trend(method("GemmBenchmark.gemm")
                .and(r -> varying(results, r, Set.of("threads")).strip().equals(reference)), BenchmarkHeadlines::threads,
                "gflop");
        out.add(new Headline("GEMM fp32 GFLOP/s (" + width + ")", "GFLOP/s", bars, peaks,
                "GEMM GFLOP/s at " + reference + " over recorded runs", trend,
                "fp32 GEMM per shape and layout on 1 and 2 host threads, 1024³ again with the JVM limited to"
                        + " narrower vectors, and the skinny decode shapes; dashed lines: the host's peak measured by"
                        + " calibrate (GEMM 512³) before the run" + (peaks.isEmpty() ? " (not recorded for this run)" : "")
                        + ". Vector width: " + width + ".", false));
    }

    /**
     * The decode shapes ({@code skinny}, {@code skinnyPacked}) as the rate they read W, against
     * the host's rate of reading the same W once on as many threads ({@code skinnyReadBound}),
     * one 16 MiB W that a large L3 may hold, so the line is the limit of whichever level serves
     * it; the share of the memory-bound limit is {@link #decodeShare}'s.
     */
    private void decode(List<Headline> out) {
        List<HeadlineBar> bars = new ArrayList<>();
        for (String method : List.of("skinny", "skinnyPacked")) {
            String series = method.equals("skinny") ? "W as stored" : "W packed once";
            for (BenchmarkResult r : select(current, method("GemmBenchmark." + method))) {
                bar(series, decodeCategory(r), r, "wGbytes").ifPresent(bars::add);
            }
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, Double> references = new LinkedHashMap<>();
        for (BenchmarkResult r : select(current, method("GemmBenchmark.skinnyReadBound"))) {
            value(r, "wGbytes").ifPresent(v -> references.put("reading W once, " + threads(r), v));
        }
        Map<String, double[]> trend = trend(method("GemmBenchmark.skinnyPacked"), BenchmarkHeadlines::decodeCategory,
                "wGbytes");
        out.add(new Headline("Decode GEMM: W read, GB/s", "GB/s of W", bars, references,
                "Decode with W packed, GB/s over recorded runs", trend,
                "Y[m×2048] = X·Wᵀ with a 2048×2048 fp32 W (16 MiB), as the rate W is read, with W as stored and"
                        + " packed once beforehand; dashed lines: the same W read once, sequentially, on as many threads,"
                        + " in the same run (from whichever cache level holds it: an L3 of 32 MiB or more holds all of"
                        + " it). Higher is better.", false));
    }

    /**
     * The packed decode product's share of the memory-bound W-read limit as
     * {@code skinnyPackedFromMemory} measures it, product and read alternated call by call, each on a
     * W that comes from memory: 100 × readTime ÷ productTime, with
     * the relative errors of the two times added in quadrature; the line is issue 14's 70%.
     */
    private void decodeShare(List<Headline> out) {
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : select(current, method("GemmBenchmark.skinnyPackedFromMemory"))) {
            percentBar("W packed once", decodeCategory(r), r, "readTime", "productTime").ifPresent(bars::add);
        }
        for (BenchmarkResult r : select(current, method("GemmBenchmark.skinnyPackedFromMemoryAvx2"))) {
            percentBar("W packed once, AVX2 (-XX:UseAVX=2)", decodeCategory(r), r, "readTime", "productTime")
                    .ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, double[]> trend = percentTrend(
                method("GemmBenchmark.skinnyPackedFromMemory").or(method("GemmBenchmark.skinnyPackedFromMemoryAvx2")),
                r -> decodeCategory(r) + (r.shortName().endsWith("Avx2") ? ", AVX2" : ""), "readTime", "productTime");
        out.add(new Headline("Decode GEMM: share of the W-read limit, W from memory", "% of reading W once", bars,
                Map.of("issue 14 target", 70.0), "Share of the memory-bound W-read limit over recorded runs", trend,
                "The packed decode product's rate of reading W as a share of reading a packed W once on as many"
                        + " threads, both timed call by call in one benchmark (skinnyPackedFromMemory: 100 × readTime"
                        + " ÷ productTime), so the host's memory speed, which moves between minutes, cancels out. Each"
                        + " call reads the next of copies of W that together outgrow the last-level cache twice, so"
                        + " W comes from memory, as a decode step's weights do. The AVX2 series forks a JVM limited to"
                        + " AVX2's 256 bits and 16 registers (skinnyPackedFromMemoryAvx2, x86 only), whose kernels differ."
                        + " The 70% line is issue 14's target for the host's memory-bound limit, its read on all its"
                        + " threads, so it applies to the bars at the host's thread count; fewer threads are shown against"
                        + " their own read. Higher is better; above 100% the product reads W faster than the plain read.",
                false));
    }

    /**
     * parabench's 1024³ GEMM throughput as a share of OpenBLAS's, both timed batch by batch in
     * one fork ({@code GemmBesideOpenBlasBenchmark}: 100 × openblasTime ÷ parabenchTime), per
     * vector width and thread count; the line is issue 14's 90%.
     */
    private void besideOpenBlas(List<Headline> out) {
        Predicate<BenchmarkResult> which = cls("GemmBesideOpenBlasBenchmark");
        List<HeadlineBar> bars = new ArrayList<>();
        StringBuilder rates = new StringBuilder();
        for (BenchmarkResult r : select(current, which)) {
            String category = besideCategory(r);
            percentBar("parabench ÷ OpenBLAS", category, r, "openblasTime", "parabenchTime").ifPresent(bars::add);
            double gflop = value(r, "gflopEach").orElse(Double.NaN);
            double ours = gflop / value(r, "parabenchTime").orElse(Double.NaN);
            double theirs = gflop / value(r, "openblasTime").orElse(Double.NaN);
            if (Double.isFinite(ours) && Double.isFinite(theirs)) {
                rates.append(String.format(Locale.ROOT, "%s%s %.0f against %.0f", rates.length() == 0 ? "" : "; ",
                        category, ours, theirs));
            }
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, double[]> trend = percentTrend(which, BenchmarkHeadlines::besideCategory, "openblasTime",
                "parabenchTime");
        out.add(new Headline("parabench beside OpenBLAS: fp32 GEMM, % of OpenBLAS's throughput", "% of OpenBLAS", bars,
                Map.of("issue 14 target", 90.0), "parabench as % of OpenBLAS over recorded runs", trend,
                "Y = X·Wᵀ, fp32, 1024³ unless named, parabench's GEMM and OpenBLAS's cblas_sgemm timed batch by batch"
                        + " in one fork (GemmBesideOpenBlasBenchmark: 100 × openblasTime ÷ parabenchTime), so the"
                        + " host's drift between minutes cancels out; narrowed forks run OpenBLAS's kernel of the same"
                        + " width (SkylakeX, Haswell, Nehalem). Higher is better. GFLOP/s, parabench against OpenBLAS: "
                        + rates + ".", false));
    }

    private static String besideCategory(BenchmarkResult r) {
        String width = switch (methodName(r)) {
            case "sgemm256Bit" -> "256-bit";
            case "sgemmAvx2" -> "AVX2";
            case "sgemm128Bit" -> "128-bit";
            default -> "native width";
        };
        String size = r.params().getOrDefault("size", "1024");
        return width + (size.equals("1024") ? "" : ", " + size + "³") + ", " + threads(r);
    }

    /**
     * A bar of 100 × {@code numerator} ÷ {@code denominator} of one result, two times measured
     * side by side, with their relative errors added in quadrature.
     */
    private static java.util.Optional<HeadlineBar> percentBar(String series, String category, BenchmarkResult r,
                                                              String numerator, String denominator) {
        MetricResult top = r.secondary().get(numerator);
        MetricResult bottom = r.secondary().get(denominator);
        double percent = percent(r, numerator, denominator);
        if (top == null || bottom == null || !Double.isFinite(percent)) {
            return java.util.Optional.empty();
        }
        double relative = Math.hypot(top.error() / top.score(), bottom.error() / bottom.score());
        return java.util.Optional.of(new HeadlineBar(series, category, percent, percent * relative,
                relative <= RegressionGate.DEFAULT_THRESHOLD));
    }

    private Map<String, double[]> percentTrend(Predicate<BenchmarkResult> which, Function<BenchmarkResult, String> series,
                                               String numerator, String denominator) {
        return trend(run -> {
            Map<String, Double> values = new LinkedHashMap<>();
            for (BenchmarkResult r : select(run, which)) {
                double percent = percent(r, numerator, denominator);
                if (Double.isFinite(percent)) {
                    values.put(series.apply(r), percent);
                }
            }
            return values;
        });
    }

    /** 100 × {@code numerator} ÷ {@code denominator} of a result; NaN without both. */
    private static double percent(BenchmarkResult r, String numerator, String denominator) {
        double top = value(r, numerator).orElse(Double.NaN);
        double bottom = value(r, denominator).orElse(Double.NaN);
        return bottom > 0 ? 100 * top / bottom : Double.NaN;
    }

    private static String decodeCategory(BenchmarkResult r) {
        return "m=" + r.params().getOrDefault("m", "?") + ", " + threads(r);
    }

    private void traceRead(List<Headline> out) {
        List<BenchmarkResult> results = select(current, cls("TraceReadBenchmark"));
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : results) {
            bar("MB/s", methodName(r) + varying(results, r, Set.of()), r, "megabytes").ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, double[]> trend = trend(cls("TraceReadBenchmark"), BenchmarkHeadlines::methodName, "megabytes");
        out.add(new Headline("Trace reading", "MB/s of trace JSON", bars, Map.of(),
                "Trace reading MB/s over recorded runs", trend,
                "Megabytes of profiler-trace JSON read (and analysed) per second, streamed; higher is better.", false));
    }

    private void trainingStep(List<Headline> out) {
        List<HeadlineBar> bars = new ArrayList<>();
        for (BenchmarkResult r : select(current, method("TrainingStepBenchmark.trainStep"))) {
            bar("virtual step time", r.params().getOrDefault("kind", "?"), r, "exact_step_time_us").ifPresent(bars::add);
        }
        if (bars.isEmpty()) {
            return;
        }
        Map<String, double[]> trend = trend(method("TrainingStepBenchmark.trainStep"),
                r -> r.params().getOrDefault("kind", "?"), "exact_step_time_us");
        out.add(new Headline("Training step (virtual time)", "step time (µs, virtual)", bars, Map.of(),
                "Training step virtual time over recorded runs", trend,
                "Virtual time of one pipelined training step on emulated H800s per schedule kind (exact); lower is"
                        + " better.", false));
    }

    // --- reading results ---

    private List<BenchmarkResult> select(BenchmarkRun run, Predicate<BenchmarkResult> which) {
        List<BenchmarkResult> out = new ArrayList<>();
        for (BenchmarkResult r : run.results()) {
            if (which.test(r)) {
                out.add(r);
                if (run == current) {
                    covered.add(r.benchmark());
                }
            }
        }
        return out;
    }

    private static Predicate<BenchmarkResult> method(String classAndMethod) {
        return r -> r.shortName().equals(classAndMethod);
    }

    private static Predicate<BenchmarkResult> cls(String className) {
        return r -> r.shortName().startsWith(className + ".");
    }

    private static String methodName(BenchmarkResult r) {
        return r.shortName().substring(r.shortName().indexOf('.') + 1);
    }

    private static List<BenchmarkResult> sorted(List<BenchmarkResult> results, Comparator<BenchmarkResult> order) {
        List<BenchmarkResult> copy = new ArrayList<>(results);
        copy.sort(order);
        return copy;
    }

    private static long number(BenchmarkResult r, String param) {
        try {
            return Long.parseLong(r.params().getOrDefault(param, "0"));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** " v1 v2" of the parameters, other than {@code except}, whose values differ among {@code results}. */
    private static String varying(List<BenchmarkResult> results, BenchmarkResult r, Set<String> except) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> p : r.params().entrySet()) {
            if (except.contains(p.getKey())) {
                continue;
            }
            long distinct = results.stream().map(o -> o.params().get(p.getKey())).distinct().count();
            if (distinct > 1) {
                sb.append(' ').append(p.getKey()).append('=').append(p.getValue());
            }
        }
        return sb.toString();
    }

    private static java.util.Optional<Double> value(BenchmarkResult r, String metric) {
        MetricResult m = metric.equals("primary") ? r.primary() : r.secondary().get(metric);
        if (m == null) {
            return java.util.Optional.empty();
        }
        double v = RegressionGate.value(m);
        return Double.isFinite(v) ? java.util.Optional.of(v) : java.util.Optional.empty();
    }

    /**
     * A bar for one metric of one result; timed values carry their interval and are judged only
     * when it is narrower than the gate's default threshold (as the gate decides UNRESOLVED).
     */
    private static java.util.Optional<HeadlineBar> bar(String series, String category, BenchmarkResult r, String metric) {
        MetricResult m = metric.equals("primary") ? r.primary() : r.secondary().get(metric);
        if (m == null) {
            return java.util.Optional.empty();
        }
        double v = RegressionGate.value(m);
        if (!Double.isFinite(v)) {
            return java.util.Optional.empty();
        }
        if (m.exact()) {
            return java.util.Optional.of(HeadlineBar.exact(series, category, v));
        }
        boolean judged = v != 0 && m.error() / Math.abs(v) <= RegressionGate.DEFAULT_THRESHOLD;
        return java.util.Optional.of(new HeadlineBar(series, category, v, m.error(), judged));
    }

    /** One trend line per series: the metric of the run's results that {@code which} selects. */
    private Map<String, double[]> trend(Predicate<BenchmarkResult> which, Function<BenchmarkResult, String> series,
                                        String metric) {
        return trend(run -> {
            Map<String, Double> values = new LinkedHashMap<>();
            for (BenchmarkResult r : select(run, which)) {
                value(r, metric).ifPresent(v -> values.put(series.apply(r), v));
            }
            return values;
        });
    }

    private static String policyAndDeployment(BenchmarkResult r) {
        return r.params().getOrDefault("policy", "?") + " " + r.params().getOrDefault("deployment", "?");
    }

    private static String threads(BenchmarkResult r) {
        String threads = r.params().getOrDefault("threads", "?");
        return threads + (threads.equals("1") ? " thread" : " threads");
    }

    private Map<String, double[]> trend(Function<BenchmarkRun, Map<String, Double>> valuesOf) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            final int run = i;
            valuesOf.apply(runs.get(i)).forEach((name, v) -> {
                double[] line = series.computeIfAbsent(name, k -> {
                    double[] empty = new double[runs.size()];
                    java.util.Arrays.fill(empty, Double.NaN);
                    return empty;
                });
                line[run] = v;
            });
        }
        return series;
    }

    private static double geometricMean(List<Double> values) {
        double logs = 0;
        for (double v : values) {
            logs += Math.log(v);
        }
        return Math.exp(logs / values.size());
    }

    /** Multiplier from seconds to the unit's time ({@code ms/op} → 1000), NaN for other units. */
    private static double perSecond(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "s/op" -> 1;
            case "ms/op" -> 1e3;
            case "us/op", "µs/op" -> 1e6;
            case "ns/op" -> 1e9;
            default -> Double.NaN;
        };
    }

    private java.util.Optional<Double> environmentNumber(String key) {
        String text = current.environment().get(key);
        if (text == null) {
            return java.util.Optional.empty();
        }
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) && v > 0 ? java.util.Optional.of(v) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** The vector width the run had, from its environment, e.g. {@code vector_bits 256}. */
    String vectorWidth() {
        for (String key : VECTOR_KEYS) {
            String v = current.environment().get(key);
            if (v != null && !v.isBlank()) {
                return key.equals("vector_bits") ? v + "-bit vectors" : key + " " + v;
            }
        }
        return "vector width not recorded";
    }
}
