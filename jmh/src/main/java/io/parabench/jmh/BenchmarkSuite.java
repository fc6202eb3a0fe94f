package io.parabench.jmh;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.BenchmarkRunFile;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Thresholds;
import io.parabench.analysis.regress.Verdict;
import io.parabench.analysis.report.BenchmarkReport;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark suite, writes the HTML report and applies the regression gate; the main
 * class behind {@code mvn -pl jmh verify}.
 *
 * <ol>
 *   <li>runs every JMH benchmark of {@code io.parabench.jmh} (or those matching
 *       {@code --include}) with the profile's forks and iterations, forks getting
 *       {@code --add-modules jdk.incubator.vector};</li>
 *   <li>keeps JMH's JSON as {@code reports/jmh/<timestamp>.json};</li>
 *   <li>compares it with {@code data/baselines/<profile>.json} ({@link RegressionGate});</li>
 *   <li>writes {@code reports/index.html} with the verdicts, scores, secondary metrics and the
 *       history of {@code data/history/*.json} as trend lines;</li>
 *   <li>with {@code --accept}, records the run as the new baseline and appends it to history;</li>
 *   <li>exits 1 when an exact metric fails the gate (timed ones only warn).</li>
 * </ol>
 * Everything but the final report path goes to stderr.
 */
public final class BenchmarkSuite {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;
    private final Profile profile;
    private final String include;
    private final boolean accept;
    private final boolean jfr;
    private final Map<String, String[]> params;

    BenchmarkSuite(Path root, Profile profile, String include, Map<String, String[]> params, boolean accept, boolean jfr) {
        this.root = root;
        this.profile = profile;
        this.include = include;
        this.params = params;
        this.accept = accept;
        this.jfr = jfr;
    }

    public static void main(String[] args) {
        try {
            System.exit(fromArgs(args).run(ZonedDateTime.now(ZoneOffset.UTC).format(STAMP)));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("parabench benchmarks: " + e.getMessage());
            System.exit(2);
        }
    }

    static BenchmarkSuite fromArgs(String[] args) {
        Path root = Path.of(".");
        Profile profile = Profile.QUICK;
        String include = "io\\.parabench\\.jmh\\..*";
        boolean accept = false;
        boolean jfr = false;
        Map<String, String[]> params = new java.util.TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--root" -> root = Path.of(require(args[i], value));
                case "--profile" -> profile = Profile.of(require(args[i], value));
                case "--include" -> include = blankToDefault(require(args[i], value), include);
                case "--accept" -> accept = flag(require(args[i], value));
                case "--jfr" -> jfr = flag(require(args[i], value));
                case "--params" -> params = params(require(args[i], value));
                default -> throw new IllegalArgumentException("argument (" + args[i] + ") must be one of --root,"
                        + " --profile, --include, --params, --accept, --jfr");
            }
            i++;
        }
        return new BenchmarkSuite(root.toAbsolutePath().normalize(), profile, include, params, accept, jfr);
    }

    /** {@code name=v1,v2;name2=v3} overrides the {@code @Param} values (empty: none). */
    static Map<String, String[]> params(String spec) {
        Map<String, String[]> params = new java.util.TreeMap<>();
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

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static String blankToDefault(String value, String fallback) {
        return value.isBlank() ? fallback : value;
    }

    /** Maven passes {@code -Dparabench.accept} as "true", an unset property as "false" or empty. */
    private static boolean flag(String value) {
        return value.isEmpty() || value.equalsIgnoreCase("true");
    }

    /** Runs the suite; returns the process exit code. */
    int run(String timestamp) {
        Path reports = root.resolve("reports");
        Path jmhJson = reports.resolve("jmh").resolve(timestamp + ".json");
        try {
            Files.createDirectories(jmhJson.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + jmhJson.getParent() + ": " + e.getMessage(), e);
        }
        runJmh(jmhJson, reports.resolve("jfr").resolve(timestamp));

        Map<String, String> environment = MachineFacts.collect(root);
        Path runFile = reports.resolve("jmh").resolve(timestamp + "-run.json");
        BenchmarkRunFile.write(runFile, timestamp, profile.id(), environment, jmhJson);
        BenchmarkRun current = BenchmarkRunFile.read(runFile, timestamp, profile.id());

        Path baselineFile = root.resolve("data").resolve("baselines").resolve(profile.baselineProfile() + ".json");
        RegressionGate gate = new RegressionGate(Thresholds.read(root.resolve("data/baselines/thresholds.properties")));
        List<Verdict> verdicts = new ArrayList<>(gate.selfCheck(current));
        String baselineName = null;
        if (Files.exists(baselineFile)) {
            verdicts = gate.compare(BenchmarkRunFile.read(baselineFile, "baseline", profile.baselineProfile()), current);
            baselineName = root.relativize(baselineFile).toString();
        }
        BenchmarkReport report = new BenchmarkReport(current, verdicts, BenchmarkRunFile.readHistory(root.resolve("data/history")), baselineName);
        if (jfr) {
            JfrSections.add(report, reports.resolve("jfr").resolve(timestamp));
        }
        Path index = reports.resolve("index.html");
        report.write(index);

        for (Verdict v : verdicts) {
            if (v.status().fails() || v.status() == Verdict.Status.SLOWER || v.status() == Verdict.Status.IMPROVED) {
                System.err.println((v.status().fails() ? "FAIL " : v.status() == Verdict.Status.SLOWER ? "WARN " : "NOTE ")
                        + v.message());
            }
        }
        if (accept) {
            BenchmarkRunFile.write(baselineFile, timestamp, profile.id(), environment, jmhJson);
            BenchmarkRunFile.write(root.resolve("data/history").resolve(timestamp + "-" + profile.id() + ".json"),
                    timestamp, profile.id(), environment, jmhJson);
            System.err.println("accepted as " + root.relativize(baselineFile) + " and appended to data/history");
        }
        boolean failed = RegressionGate.fails(verdicts);
        System.err.println("regression gate: " + (failed ? "FAIL" : "pass") + (baselineName == null ? " (no baseline)" : ""));
        System.out.println("report: " + index);
        return failed && !accept ? 1 : 0;
    }

    private void runJmh(Path jmhJson, Path jfrDir) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(profile.forks)
                .warmupIterations(profile.warmupIterations)
                .measurementIterations(profile.measurementIterations)
                .measurementTime(TimeValue.milliseconds(profile.measurementMillis))
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Djava.awt.headless=true")
                .resultFormat(ResultFormatType.JSON)
                .result(jmhJson.toString())
                .shouldFailOnError(true);
        params.forEach(options::param);
        if (profile.warmupIterations > 0) {
            options.warmupTime(TimeValue.milliseconds(profile.warmupMillis));
        }
        if (jfr) {
            options.addProfiler("jfr", "dir=" + jfrDir);
        }
        if (!profile.timingMatters()) {
            // JMH's lock keeps two timed runs from disturbing each other; these profiles read only
            // exact metrics, which no other run can disturb.
            System.setProperty("jmh.ignoreLock", "true");
        }
        try {
            new Runner(options.build()).run();
        } catch (RunnerException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (String.valueOf(cause.getMessage()).startsWith("No benchmarks to run")) {
                throw new IllegalArgumentException("parabench.include (" + include + ") matches no benchmark", e);
            }
            throw new IllegalStateException("JMH failed: " + cause.getMessage(), e);
        }
    }
}
