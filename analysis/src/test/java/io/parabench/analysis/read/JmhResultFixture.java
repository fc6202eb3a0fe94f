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

    /**
     * Any result: a benchmark with its params, a primary score ± error and secondary metrics;
     * an {@code exact_…} metric gets its value in each of {@code iterations} iterations, a timed
     * one (value, error) pairs in {@code timed}.
     */
    public static String result(String benchmark, String mode, java.util.Map<String, String> params, double score,
                                double error, String unit, java.util.Map<String, Double> exact,
                                java.util.Map<String, double[]> timed) {
        StringBuilder sb = new StringBuilder("{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + benchmark + "\",\"mode\":\""
                + mode + "\",\"threads\":1,\"params\":{");
        String sep = "";
        for (var p : new java.util.TreeMap<>(params).entrySet()) {
            sb.append(sep).append('"').append(p.getKey()).append("\":\"").append(p.getValue()).append('"');
            sep = ",";
        }
        sb.append("},\"primaryMetric\":").append(metric(score, error, unit, "[[" + score + "]]"))
                .append(",\"secondaryMetrics\":{");
        sep = "";
        for (var e : exact.entrySet()) {
            double v = e.getValue();
            sb.append(sep).append('"').append(e.getKey()).append("\":")
                    .append(metric(3 * v, Double.NaN, "#", "[[" + v + "," + v + "," + v + "]]"));
            sep = ",";
        }
        for (var e : timed.entrySet()) {
            double[] ve = e.getValue();
            sb.append(sep).append('"').append(e.getKey()).append("\":").append(metric(ve[0], ve[1], "ops/s",
                    "[[" + ve[0] + "]]"));
            sep = ",";
        }
        return sb.append("}}").toString();
    }

    private static String metric(double score, double error, String unit, String raw) {
        String err = Double.isNaN(error) ? "\"NaN\"" : Double.toString(error);
        String ci = Double.isNaN(error) ? "[\"NaN\",\"NaN\"]" : "[" + (score - error) + "," + (score + error) + "]";
        return "{\"score\":" + score + ",\"scoreError\":" + err + ",\"scoreConfidence\":" + ci + ",\"scoreUnit\":\""
                + unit + "\",\"rawData\":" + raw + "}";
    }

    /** Writes the entries as a JMH result array and reads it back as a run. */
    public static BenchmarkRun run(Path dir, String timestamp, String profile, String... entries) throws Exception {
        Path file = Files.createTempFile(dir, "run", ".json");
        Files.writeString(file, "[" + String.join(",", entries) + "]");
        return BenchmarkRunFile.read(file, timestamp, profile);
    }
}
