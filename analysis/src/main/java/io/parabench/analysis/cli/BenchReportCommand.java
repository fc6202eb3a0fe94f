package io.parabench.analysis.cli;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.BenchmarkRunFile;
import io.parabench.analysis.regress.RegressionGate;
import io.parabench.analysis.regress.Thresholds;
import io.parabench.analysis.regress.Verdict;
import io.parabench.analysis.report.BenchmarkReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code parabench bench-report}: the benchmark report and the regression verdicts for a JMH
 * result file that already exists (a CI artifact, a colleague's run), without running JMH.
 * Exit code 1 when an exact metric fails the gate, as {@code mvn -pl jmh verify} would.
 */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = {"Write the benchmark HTML report for a JMH result file (-rf json, or a parabench run file)"
                + " and judge it against a baseline; exit 1 when an exact metric fails the gate."})
final class BenchReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RESULTS", description = "JMH result JSON or parabench run file")
    Path results;

    @Option(names = "--profile", defaultValue = "quick", description = "the run's profile when the file does not say"
            + " (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--baseline", paramLabel = "FILE", description = "baseline run file (default: data/baselines/quick.json"
            + " when it exists)")
    Path baseline;

    @Option(names = "--history", paramLabel = "DIR", defaultValue = "data/history",
            description = "folder of recorded runs for the trend lines (default: ${DEFAULT-VALUE})")
    Path history;

    @Option(names = "--thresholds", paramLabel = "FILE", defaultValue = "data/baselines/thresholds.properties",
            description = "per-benchmark thresholds for timed metrics (default: ${DEFAULT-VALUE})")
    Path thresholds;

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
        if (baseline != null && !Files.isRegularFile(baseline)) {
            throw new IllegalArgumentException("--baseline (" + baseline + ") must be an existing run file");
        }
        Path base = baseline != null ? baseline : Path.of("data/baselines/quick.json");
        String name = results.getFileName().toString().replaceFirst("\\.json$", "");
        BenchmarkRun current = BenchmarkRunFile.read(results, name, profile);
        RegressionGate gate = new RegressionGate(Thresholds.read(thresholds));
        List<Verdict> verdicts;
        String baselineName = null;
        if (Files.isRegularFile(base)) {
            verdicts = gate.compare(BenchmarkRunFile.read(base, "baseline", "quick"), current);
            baselineName = base.toString();
        } else {
            verdicts = gate.selfCheck(current);
        }
        new BenchmarkReport(current, verdicts, BenchmarkRunFile.readHistory(history), baselineName).write(out);
        var err = spec.commandLine().getErr();
        for (Verdict v : verdicts) {
            if (v.status().fails() || v.status() == Verdict.Status.SLOWER) {
                err.println((v.status().fails() ? "FAIL " : "WARN ") + v.message());
            }
        }
        err.flush();
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return RegressionGate.fails(verdicts) ? 1 : 0;
    }
}
