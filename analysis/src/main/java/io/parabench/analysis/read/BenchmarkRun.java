package io.parabench.analysis.read;

import java.util.List;
import java.util.Map;

/**
 * The results of one benchmark-suite run with where and when it ran.
 *
 * @param timestamp   UTC time of the run, {@code yyyyMMdd-HHmmss}; sorts chronologically
 * @param profile     {@code quick}, {@code full}, … (timed scores compare only within a profile)
 * @param environment machine and JVM facts (cpu, cores, memory, java, vm, commit …), sorted by name
 * @param results     one entry per benchmark and parameter set
 */
public record BenchmarkRun(String timestamp, String profile, Map<String, String> environment,
                           List<BenchmarkResult> results) {
    public BenchmarkRun {
        environment = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(environment));
        results = List.copyOf(results);
    }
}
