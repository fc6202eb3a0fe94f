package io.parabench.jmh;

import io.parabench.analysis.cli.Parabench;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code parabench device predict --device h200 --format json} over the whole shared measurement
 * file ({@code ../shared/data/gpu-kernels/h200-kernels.json}, 116 GEMMs, 48 memory-bound kernels,
 * two MLP stages, two contention runs): the command as a user runs it, in process, parsing the
 * file, predicting every row (the MLP rows as timing-only stage runs, the contention rows as
 * two-stream timing-only replays) and writing the JSON with its summary.
 *
 * <p>The output is returned (its length would change if a row were dropped), so nothing is dead
 * code. The file is found relative to the repository root (the suite's working directory) or
 * from {@code -Dparabench.kernels=FILE}; a missing file fails the trial with the path it tried.
 *
 * <p>Run: {@code mvn -B -ntp -pl jmh verify -DskipTests -Dparabench.include=DevicePredict}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class DevicePredictBenchmark {
    private String[] args;

    @Setup(Level.Trial)
    public void locate() {
        Path file = Path.of(System.getProperty("parabench.kernels", "../shared/data/gpu-kernels/h200-kernels.json"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("kernel measurements " + file.toAbsolutePath()
                    + " not found: run from the repository root beside ../shared, or pass -Dparabench.kernels=FILE");
        }
        args = new String[] {"device", "predict", "--device", "h200", "--kernels", file.toString(), "--format", "json"};
    }

    @Benchmark
    public String predict() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Parabench.execute(args, new PrintWriter(out), new PrintWriter(err));
        if (exit != 0) {
            throw new IllegalStateException("device predict exited " + exit + ": " + err);
        }
        return out.toString();
    }
}
