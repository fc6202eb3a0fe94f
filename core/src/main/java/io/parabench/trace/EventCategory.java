package io.parabench.trace;

/**
 * The {@code cat} of a Chrome-trace event in the PyTorch-profiler (Kineto) schema, limited to
 * what parabench writes. GPU work is {@link #KERNEL}, {@link #GPU_MEMCPY} or
 * {@link #GPU_MEMSET}; {@link #USER_ANNOTATION} marks a named range such as a pipeline op.
 */
public enum EventCategory {
    KERNEL("kernel"),
    GPU_MEMCPY("gpu_memcpy"),
    GPU_MEMSET("gpu_memset"),
    USER_ANNOTATION("user_annotation"),
    GPU_USER_ANNOTATION("gpu_user_annotation");

    private final String traceName;

    EventCategory(String traceName) {
        this.traceName = traceName;
    }

    /** The exact string of the {@code cat} field. */
    public String traceName() {
        return traceName;
    }
}
