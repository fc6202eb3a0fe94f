package io.parabench.analysis.read;

import java.nio.file.Files;
import java.nio.file.Path;

/** Builds JMH result files as JMH 1.37 writes them with {@code -rf json} (the fields the suite reads). */
public final class JmhResultFixture {
    public static final String SIMULATE = "io.parabench.jmh.SimulatorBenchmark.simulate";

    private JmhResultFixture() {
    }

    /**
     * One result of {@link #SIMULATE} with params {@code kind=dualpipe, ranks=<ranks>}, a primary
     * score and an {@code exact_makespan} secondary metric with the given per-iteration values.
     */
    public static String entry(int ranks, String mode, double score, double error, String unit, double... makespan) {
        StringBuilder raw = new StringBuilder();
        double sum = 0;
        for (int i = 0; i < makespan.length; i++) {
            raw.append(i == 0 ? "" : ",").append(makespan[i]);
            sum += makespan[i];
        }
        return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + SIMULATE + "\",\"mode\":\"" + mode + "\",\"threads\":1,"
                + "\"params\":{\"kind\":\"dualpipe\",\"ranks\":\"" + ranks + "\"},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error + ",\"scoreConfidence\":["
                + (score - error) + "," + (score + error) + "],\"scoreUnit\":\"" + unit + "\",\"rawData\":[[" + score + "]]},"
                + "\"secondaryMetrics\":{\"exact_makespan\":{\"score\":" + sum
                + ",\"scoreError\":\"NaN\",\"scoreConfidence\":[0,0],\"scoreUnit\":\"#\",\"rawData\":[[" + raw + "]]}}}";
    }

    /** Writes the entries as a JMH result array and reads it back as a run. */
    public static BenchmarkRun run(Path dir, String timestamp, String profile, String... entries) throws Exception {
        Path file = Files.createTempFile(dir, "run", ".json");
        Files.writeString(file, "[" + String.join(",", entries) + "]");
        return BenchmarkRunFile.read(file, timestamp, profile);
    }
}
