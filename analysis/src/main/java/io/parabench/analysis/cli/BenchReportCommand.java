package io.parabench.analysis.cli;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.BenchmarkRunFile;
import io.parabench.analysis.regress.BenchmarkData;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Thresholds;
import io.parabench.analysis.regress.Verdict;
import io.parabench.analysis.report.BenchmarkReport;
import io.parabench.analysis.report.VerdictMarkdown;
import io.parabench.output.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code parabench bench-report}: the benchmark report and the regression verdicts for a JMH
 * result file that already exists (a CI artifact, a colleague's run), without running JMH.
 *
 * <p>The run is compared with {@code --against FILE}, or else with its profile's baseline
 * {@code data/baselines/<profile>.json} of the repository ({@link BenchmarkData}: found from the
 * repository root, wherever the command runs). Without either it says so and exits 1, unless
 * {@code --no-baseline} asks only for the run's own checks. Exit code 1 when the gate fails, as
 * {@code mvn -pl jmh verify} would; 2 for bad input.
 */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = {"Write the benchmark HTML report for a JMH result file (-rf json, or a parabench run file)"
                + " and judge it against its profile's baseline (data/baselines/<profile>.json of the repository)"
                + " or --against another run; exit 1 when the gate fails or there is nothing to compare with."})
final class BenchReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RESULTS", description = "JMH result JSON or parabench run file")
    Path results;

    @Option(names = "--profile", defaultValue = "quick", description = "the run's profile when the file does not say"
            + " (a bare JMH array; default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = {"--against", "--baseline"}, paramLabel = "FILE",
            description = "compare with this run or baseline file (default: the repository's"
                    + " data/baselines/<profile>.json)")
    Path against;

    @Option(names = "--no-baseline", description = "no comparison: only check the run itself (not empty, finite,"
            + " deterministic exact metrics)")
    boolean noBaseline;

    @Option(names = "--history", paramLabel = "DIR",
            description = "folder of recorded runs for the trend lines (default: the repository's data/history)")
    Path history;

    @Option(names = "--thresholds", paramLabel = "FILE",
            description = "per-benchmark thresholds for timed metrics (default: the repository's"
                    + " data/baselines/thresholds.properties)")
    Path thresholds;

    @Option(names = "--eplb-reference", paramLabel = "FILE", description = "DeepSeek's EPLB reference cases with"
            + " their measured seconds, for the EPLB chart (default: ../shared/data/eplb/reference-cases.json beside"
            + " the repository, when present)")
    Path eplbReference;

    @Option(names = "--markdown", paramLabel = "FILE", description = "also write the verdicts as a Markdown summary"
            + " (for a pull-request comment)")
    Path markdown;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "reports/index.html",
            description = "report to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(results)) {
            throw new IllegalArgumentException("RESULTS (" + results + ") must be an existing JMH result file");
        }
        if (against != null && !Files.isRegularFile(against)) {
            throw new IllegalArgumentException("--against (" + against + ") must be an existing run file");
        }
        if (against != null && noBaseline) {
            throw new IllegalArgumentException("--against (" + against + ") and --no-baseline exclude each other");
        }
        Optional<BenchmarkData> data = BenchmarkData.find(Path.of(""));
        String name = results.getFileName().toString().replaceFirst("\\.json$", "");
        BenchmarkRun current = BenchmarkRunFile.read(results, name, profile);
        Path base = against != null ? against : data.map(d -> d.baseline(current.profile())).orElse(null);
        if (!noBaseline && (base == null || !Files.isRegularFile(base))) {
            throw new CheckFailedException("no baseline for profile '" + current.profile() + "' ("
                    + (base == null ? "no repository with data/baselines at or above " + Path.of("").toAbsolutePath()
                    : base + " does not exist") + "); pass --against FILE, or --no-baseline to check the run alone");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path thresholdFile = thresholds != null ? thresholds : data.map(BenchmarkData::thresholds).orElse(null);
        RegressionGate gate = new RegressionGate(thresholdFile == null ? Thresholds.defaults() : Thresholds.read(thresholdFile));
        List<Verdict> verdicts;
        String baselineName = null;
        if (noBaseline) {
            verdicts = gate.selfCheck(current);
        } else {
            BenchmarkRun baselineRun = BenchmarkRunFile.read(base, "baseline", current.profile());
            verdicts = gate.compare(baselineRun, current);
            baselineName = data.map(d -> d.relative(base)).orElse(base.toString());
        }
        Path historyDir = history != null ? history : data.map(BenchmarkData::history).orElse(null);
        List<BenchmarkRun> runs = historyDir == null ? List.of() : BenchmarkRunFile.readHistory(historyDir);
        Path eplb = eplbReference != null ? eplbReference
                : data.map(d -> d.root().resolveSibling("shared").resolve("data/eplb/reference-cases.json")).orElse(null);
        new BenchmarkReport(current, verdicts, runs, baselineName)
                .withEplbReference(eplb != null && Files.isRegularFile(eplb) ? eplb : null)
                .write(out);
        if (markdown != null) {
            AtomicFile.writeString(markdown, VerdictMarkdown.render(verdicts, baselineName, current));
        }
        for (Verdict v : verdicts) {
            v.logLine().ifPresent(err::println);
        }
        boolean failed = RegressionGate.fails(verdicts);
        err.println("regression gate: " + (failed ? "FAIL" : "pass") + (baselineName == null ? " (no baseline)"
                : " against " + baselineName));
        err.flush();
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return failed ? Parabench.EXIT_CHECK_FAILED : 0;
    }
}
