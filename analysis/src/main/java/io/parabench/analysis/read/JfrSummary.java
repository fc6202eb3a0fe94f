package io.parabench.analysis.read;

import java.util.List;

/**
 * What a JFR recording (e.g. from JMH's {@code -prof jfr}) says about where a benchmark spends
 * its time and memory: hot methods from execution samples, allocation by class, GC pauses and
 * CPU load.
 *
 * @param executionSamples  execution samples in the recording
 * @param hotMethods        methods on top of the sampled stacks, most samples first
 * @param allocatedBytes    bytes allocated, estimated from allocation samples or TLAB events
 * @param allocationByClass allocated bytes per class, largest first
 * @param gcCount           garbage collections
 * @param gcPauseTotalMs    summed GC pause time
 * @param gcPauseMaxMs      longest GC pause
 * @param jvmCpuAvg         average JVM CPU load (user + system, 0..1 of the machine), NaN without samples
 * @param machineCpuAvg     average machine CPU load (0..1), NaN without samples
 * @param jvmCpuMax         highest JVM CPU load sample (0..1), NaN without samples
 */
public record JfrSummary(long executionSamples, List<Entry> hotMethods, long allocatedBytes,
                         List<Entry> allocationByClass, long gcCount, double gcPauseTotalMs, double gcPauseMaxMs,
                         double jvmCpuAvg, double machineCpuAvg, double jvmCpuMax) {
    public JfrSummary {
        hotMethods = List.copyOf(hotMethods);
        allocationByClass = List.copyOf(allocationByClass);
    }

    /**
     * One row of a ranking.
     *
     * @param name  method ({@code pkg.Class.method}) or class name
     * @param value samples or bytes
     */
    public record Entry(String name, long value) {
    }
}
