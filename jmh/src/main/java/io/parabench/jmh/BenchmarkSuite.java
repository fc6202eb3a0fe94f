package io.parabench.jmh;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.BenchmarkRunFile;
import io.parabench.analysis.regress.Acceptance;
import io.parabench.analysis.regress.BenchmarkData;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Thresholds;
import io.parabench.analysis.regress.Verdict;
import io.parabench.analysis.report.BenchmarkReport;
import io.parabench.analysis.report.VerdictMarkdown;
import io.parabench.gpu.HostCalibration;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static io.parabench.kernels.VectorJvmOptions.RECOMPILATION_CUTOFF;
import static io.parabench.kernels.VectorJvmOptions.TRAP_LIMIT;
import static io.parabench.kernels.VectorJvmOptions.VECTOR_MODULE;

/**
 * Runs the benchmark suite, writes the HTML report and applies the regression gate; the main
 * class behind {@code mvn -pl jmh verify}.
 *
 * <ol>
 *   <li>runs every JMH benchmark of {@code io.parabench.jmh} (or those matching
 *       {@code --include}) with the profile's forks and iterations; JMH options given with
 *       {@code --jmh} ({@code -Dparabench.jmh="-prof gc -f 2"}) are parsed by JMH itself and win
 *       over the profile's;</li>
 *   <li>keeps JMH's JSON, as JMH writes it, as {@code reports/jmh/<timestamp>.json};</li>
 *   <li>compares it with {@code data/baselines/<profile>.json} ({@link RegressionGate}; no
 *       baseline is a failure, not a pass);</li>
 *   <li>writes {@code reports/index.html} ({@link BenchmarkReport}) and
 *       {@code reports/summary.md} (the verdicts in Markdown, for a pull-request comment);</li>
 *   <li>with {@code --accept}, records the run as the baseline and in the history
 *       ({@link Acceptance}: refuses failed and partial runs unless told to merge);</li>
 *   <li>exits 1 when the gate fails (timed metrics only warn), 2 for bad options.</li>
 * </ol>
 * JMH's progress and every message go to stderr; stdout carries only the report's path.
 */
@Command(name = "parabench-benchmarks", mixinStandardHelpOptions = true,
        description = "Run the JMH suite, write reports/index.html and apply the regression gate.")
public final class BenchmarkSuite implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String ALL = "io\\.parabench\\.jmh\\..*";
    /** Benchmarks whose forks take x86 flags ({@code -XX:UseAVX=2}: {@code GemmBenchmark.gemmAvx2} and the like). */
    private static final String X86_ONLY =
            "(GemmBenchmark\\.gemmAvx2|GemmBenchmark\\.skinnyPackedFromMemoryAvx2|GemmBesideOpenBlasBenchmark\\.sgemmAvx2)$";
    /**
     * Benchmarks run only when {@code --include} (or JMH's own include) asks for them: they need
     * what a bare machine lacks ({@link GemmBesideOpenBlasBenchmark}: OpenBLAS and a JDK 22+ fork).
     */
    private static final String ON_REQUEST = "GemmBesideOpenBlasBenchmark\\..*";
    private static final Set<String> X86 = Set.of("amd64", "x86_64");

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "repository root (default: .)")
    Path root;

    @Option(names = "--profile", defaultValue = "quick", converter = ProfileConverter.class,
            description = "quick, full, gate or tiny (default: ${DEFAULT-VALUE})")
    Profile profile;

    @Option(names = "--include", paramLabel = "REGEX", defaultValue = "",
            description = "benchmarks to run (default: all of io.parabench.jmh)")
    String include;

    @Option(names = "--params", paramLabel = "SPEC", defaultValue = "",
            description = "@Param overrides: name=v1,v2;name2=v3")
    String params;

    @Option(names = "--accept", paramLabel = "MODE", defaultValue = "false",
            description = "record the run as baseline: true (complete, passing runs), merge, replace, false")
    String accept;

    @Option(names = "--jfr", paramLabel = "BOOL", defaultValue = "false", description = "JMH's JFR profiler per benchmark")
    String jfr;

    @Option(names = "--jmh", paramLabel = "OPTIONS", defaultValue = "",
            description = "JMH command-line options, e.g. \"-prof gc -f 2 -wi 3\"; they win over the profile")
    String jmh;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchmarkSuite());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new java.io.PrintWriter(System.err, true));   // --help and --version too: stdout is the report path
        cli.setParameterExceptionHandler((ex, ignored) -> {
            System.err.println("parabench benchmarks: " + ex.getMessage());
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException) {
                System.err.println("parabench benchmarks: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        return run(ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
    }

    /** Maven passes {@code -Dparabench.jfr} as "true" (or empty), an unset property as "false". */
    private static boolean flag(String value) {
        return value.isEmpty() || value.equalsIgnoreCase("true");
    }

    /** {@code name=v1,v2;name2=v3} overrides the {@code @Param} values (empty: none). */
    static Map<String, String[]> params(String spec) {
        Map<String, String[]> params = new TreeMap<>();
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("parabench.params (" + spec + ") must look like name=v1,v2;name2=v3");
            }
            params.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim().split(","));
        }
        return params;
    }

    /** JMH's own parser reads {@code -Dparabench.jmh}; its message says what was wrong. */
    static CommandLineOptions jmhOptions(String spec) {
        try {
            return new CommandLineOptions(spec.isBlank() ? new String[0] : spec.trim().split("\\s+"));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("parabench.jmh (" + spec + "): " + e.getMessage(), e);
        }
    }

    /**
     * The JVMs the forks ran, when any is not this process's ({@code -jvm}, as
     * {@link GemmBesideOpenBlasBenchmark} needs): the environment's {@code java} is this
     * process's, and the report would otherwise name a JVM no benchmark ran on.
     */
    static Optional<String> forkJava(List<String> forkVmVersions, String own) {
        List<String> distinct = forkVmVersions.stream().distinct().sorted().toList();
        return distinct.isEmpty() || distinct.equals(List.of(own)) ? Optional.empty()
                : Optional.of(String.join(", ", distinct));
    }

    /** What makes this run partial (fewer benchmarks or other settings than the profile's), if anything. */
    Optional<String> partial() {
        List<String> why = new ArrayList<>();
        if (!include.isBlank()) {
            why.add("-Dparabench.include=" + include);
        }
        if (!params.isBlank()) {
            why.add("-Dparabench.params=" + params);
        }
        if (!jmh.isBlank()) {
            why.add("-Dparabench.jmh=" + jmh);
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", why));
    }

    /** Runs the suite; returns the process exit code. */
    int run(String timestamp) {
        Path rootDir = root.toAbsolutePath().normalize();
        BenchmarkData data = new BenchmarkData(rootDir);
        Acceptance.Mode mode = Acceptance.Mode.of(accept);
        Map<String, String[]> overrides = params(params);
        CommandLineOptions userJmh = jmhOptions(jmh);
        Path reports = rootDir.resolve("reports");
        Path jmhJson = reports.resolve("jmh").resolve(timestamp + ".json");
        PrintStream err = System.err;

        Map<String, String> environment = new LinkedHashMap<>(MachineFacts.collect(rootDir));
        if (profile.timingMatters()) {
            calibrate(environment, err);
        }
        Collection<RunResult> results = runJmh(userJmh, overrides, reports.resolve("jfr").resolve(timestamp), err);
        writeJmhJson(results, jmhJson);
        forkJava(results.stream().map(r -> r.getParams().getVmVersion()).toList(), System.getProperty("java.vm.version"))
                .ifPresent(v -> environment.put("fork_java", v));

        Path runFile = reports.resolve("jmh").resolve(timestamp + "-run.json");
        BenchmarkRunFile.write(runFile, timestamp, profile.id(), environment, jmhJson);
        BenchmarkRun current = BenchmarkRunFile.read(runFile, timestamp, profile.id());

        Path baselineFile = data.baseline(profile.id());
        RegressionGate gate = new RegressionGate(Thresholds.read(data.thresholds()));
        boolean hasBaseline = Files.exists(baselineFile);
        List<Verdict> verdicts = hasBaseline
                ? gate.compare(BenchmarkRunFile.read(baselineFile, "baseline", profile.id()), current)
                : gate.selfCheck(current);
        String baselineName = hasBaseline ? data.relative(baselineFile) : null;
        BenchmarkReport report = new BenchmarkReport(current, verdicts, BenchmarkRunFile.readHistory(data.history()),
                baselineName);
        Path eplbReference = rootDir.resolveSibling("shared").resolve("data/eplb/reference-cases.json");
        report.withEplbReference(Files.isRegularFile(eplbReference) ? eplbReference : null);
        if (flag(jfr)) {
            JfrSections.add(report, reports.resolve("jfr").resolve(timestamp));
        }
        Path index = reports.resolve("index.html");
        report.write(index);
        io.parabench.output.AtomicFile.writeString(reports.resolve("summary.md"),
                VerdictMarkdown.render(verdicts, baselineName, current));

        verdicts.forEach(v -> v.logLine().ifPresent(err::println));
        boolean failed = RegressionGate.fails(verdicts) || !hasBaseline;
        Optional<String> refusal = mode == Acceptance.Mode.NO ? Optional.empty()
                : Acceptance.refusal(mode, verdicts, partial());
        if (!hasBaseline && (mode == Acceptance.Mode.NO || refusal.isPresent())) {
            err.println("FAIL no baseline for profile '" + profile.id() + "' (" + data.relative(baselineFile)
                    + "): record one with -Dparabench.accept");
        }
        int exit = failed ? 1 : 0;
        if (mode != Acceptance.Mode.NO) {
            if (refusal.isPresent()) {
                err.println(refusal.get());
                exit = 1;
            } else {
                Path written = Acceptance.record(mode, data, timestamp, profile.id(), environment, jmhJson);
                err.println("accepted (" + mode.name().toLowerCase(Locale.ROOT) + ") as " + data.relative(written)
                        + " and data/history/" + timestamp + "-" + profile.id() + ".json");
                exit = 0;
            }
        }
        err.println("regression gate: " + (!hasBaseline ? "no baseline" : failed ? "FAIL against " + baselineName
                : "pass against " + baselineName));
        System.out.println(index);
        return exit;
    }

    /** Records the host's GEMM peak ({@link HostCalibration}, about 2 s) for the report's GEMM chart. */
    private static void calibrate(Map<String, String> environment, PrintStream err) {
        err.println("parabench benchmarks: calibrating the host's GEMM peak (about 2 s)...");
        HostCalibration.Figures f = HostCalibration.calibrate().figures();
        environment.put("gemm_peak_gflops_1_thread", String.format(Locale.ROOT, "%.1f", f.gemmGflopsOneThread()));
        environment.put("gemm_peak_gflops_all_threads", String.format(Locale.ROOT, "%.1f", f.gemmGflopsAllThreads()));
    }

    /**
     * The profile's settings under the user's JMH options: JMH's {@code parent} rule lets what
     * this builder sets win, so only what the user left unset is set here.
     */
    Options options(CommandLineOptions user, Map<String, String[]> overrides, Path jfrDir) {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(user)
                .jvmArgsAppend(VECTOR_MODULE, TRAP_LIMIT, RECOMPILATION_CUTOFF, "-Djava.awt.headless=true")
                .shouldFailOnError(true);
        if (user.getIncludes().isEmpty()) {
            options.include(include.isBlank() ? ALL : include);
        }
        if (user.getIncludes().isEmpty() && include.isBlank()) {
            options.exclude(ON_REQUEST);
        }
        if (!X86.contains(System.getProperty("os.arch", ""))) {
            options.exclude(X86_ONLY); // HotSpot elsewhere refuses -XX:UseAVX, and the fork would fail
        }
        if (!user.getForkCount().hasValue()) {
            options.forks(profile.forks);
        }
        if (!user.getWarmupIterations().hasValue()) {
            options.warmupIterations(profile.warmupIterations);
        }
        if (!user.getWarmupTime().hasValue() && profile.warmupIterations > 0) {
            options.warmupTime(TimeValue.milliseconds(profile.warmupMillis));
        }
        if (!user.getMeasurementIterations().hasValue()) {
            options.measurementIterations(profile.measurementIterations);
        }
        if (!user.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.milliseconds(profile.measurementMillis));
        }
        overrides.forEach(options::param);
        if (flag(jfr)) {
            options.addProfiler("jfr", "dir=" + jfrDir);
        }
        return options.build();
    }

    private Collection<RunResult> runJmh(CommandLineOptions user, Map<String, String[]> overrides, Path jfrDir,
                                         PrintStream err) {
        Options options = options(user, overrides, jfrDir);
        if (!profile.timingMatters()) {
            // JMH's lock keeps two timed runs from disturbing each other; these profiles read only
            // exact metrics, which no other run can disturb.
            System.setProperty("jmh.ignoreLock", "true");
        }
        try {
            return new Runner(options, OutputFormatFactory.createFormatInstance(err,
                    options.verbosity().orElse(VerboseMode.NORMAL))).run();
        } catch (RunnerException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (String.valueOf(cause.getMessage()).startsWith("No benchmarks to run")) {
                throw new IllegalArgumentException("parabench.include (" + options.getIncludes()
                        + ") matches no benchmark", e);
            }
            throw new IllegalStateException("JMH failed: " + cause.getMessage(), e);
        }
    }

    /** JMH's JSON, written by JMH's own formatter: what {@code -rf json} writes, so jmh-visualizer reads it. */
    private static void writeJmhJson(Collection<RunResult> results, Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        io.parabench.output.AtomicFile.write(file, out -> {
            PrintStream print = new PrintStream(out, false, java.nio.charset.StandardCharsets.UTF_8);
            ResultFormatFactory.getInstance(ResultFormatType.JSON, print).writeOut(results);
            print.flush();
        });
    }

    /** Profiles by their lower-case id, with {@link Profile#of}'s message. */
    static final class ProfileConverter implements CommandLine.ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            return Profile.of(value);
        }
    }
}
