package io.parabench.analysis.read;

import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * One JMH benchmark result: a benchmark method with one set of {@code @Param} values.
 *
 * @param benchmark fully qualified method, e.g. {@code io.parabench.jmh.SimulatorBenchmark.simulate}
 * @param mode      JMH mode ({@code thrpt}, {@code avgt}, {@code sample}, {@code ss})
 * @param threads   benchmark threads
 * @param params    {@code @Param} values by name, sorted
 * @param primary   the primary metric
 * @param secondary secondary metrics by name, in JMH's order
 */
public record BenchmarkResult(String benchmark, String mode, int threads, SortedMap<String, String> params,
                              MetricResult primary, Map<String, MetricResult> secondary) {

    /** Identifies the result across runs: method plus parameters, e.g. {@code …simulate{chunks=128,kind=dualpipe}}. */
    public String key() {
        return key(benchmark, params);
    }

    /** The key of a method with these {@code @Param} values (see {@link #key()}). */
    static String key(String benchmark, SortedMap<String, String> params) {
        if (params.isEmpty()) {
            return benchmark;
        }
        return benchmark + params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** The benchmark's simple name, {@code SimulatorBenchmark.simulate}, for charts and tables. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int cls = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        return benchmark.substring(cls + 1);
    }

    /** {@link #shortName()} with the parameters. */
    public String shortKey() {
        return shortName() + key().substring(benchmark.length());
    }
}
