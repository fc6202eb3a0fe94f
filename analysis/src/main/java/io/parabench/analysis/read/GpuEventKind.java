package io.parabench.analysis.read;

/**
 * What kind of GPU work an event is, from its Chrome-trace {@code cat}: the three categories
 * the PyTorch profiler records on a device timeline. Everything else (CPU ops, runtime calls,
 * flows) is not GPU work and is skipped by the reader.
 */
public enum GpuEventKind {
    /** {@code cat: "kernel"}. */
    KERNEL,
    /** {@code cat: "gpu_memcpy"} (copy engine; holds no SMs). */
    MEMCPY,
    /** {@code cat: "gpu_memset"}. */
    MEMSET;

    private static final GpuEventKind[] VALUES = values();

    static GpuEventKind of(int ordinal) {
        return VALUES[ordinal];
    }

    /** The kind for a {@code cat} string, or null when the category is not GPU work. */
    static GpuEventKind fromCategory(String cat) {
        switch (cat) {
            case "kernel":
                return KERNEL;
            case "gpu_memcpy":
            case "Memcpy":
                return MEMCPY;
            case "gpu_memset":
            case "Memset":
                return MEMSET;
            default:
                return null;
        }
    }
}
