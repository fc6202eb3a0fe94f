package io.parabench.analysis.metrics;

/**
 * One row of the kernel breakdown: all launches of one kernel name on one device.
 *
 * @param name    full kernel name as the trace has it
 * @param kind    its class
 * @param count   launches
 * @param totalNs summed duration (not a union: concurrent launches each count)
 */
public record KernelStat(String name, KernelClass kind, long count, long totalNs) implements java.io.Serializable {
    public double totalUs() {
        return totalNs / 1000.0;
    }
}
