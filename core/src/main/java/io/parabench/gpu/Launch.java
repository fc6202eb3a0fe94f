package io.parabench.gpu;

/**
 * Where one kernel, copy or annotation landed on the virtual clock.
 *
 * @param name    event name as written to the trace
 * @param device  device id
 * @param stream  stream id
 * @param startNs virtual start
 * @param endNs   virtual end ({@code >= startNs})
 */
public record Launch(String name, int device, int stream, long startNs, long endNs) {
    /** End minus start. */
    public long durationNs() {
        return endNs - startNs;
    }

    /** True when the two intervals share some time (touching ends do not count). */
    public boolean overlaps(Launch other) {
        return startNs < other.endNs && other.startNs < endNs;
    }
}
