package io.parabench.trace;

/**
 * The {@code args} of a {@code gpu_memcpy} event as the PyTorch profiler writes them (the subset
 * parabench models): device, stream and bytes copied.
 *
 * @param device device id
 * @param stream stream id (also the event's {@code tid})
 * @param bytes  bytes copied
 */
public record MemcpyArgs(int device, int stream, long bytes) {
    public MemcpyArgs {
        if (bytes < 0) {
            throw new IllegalArgumentException("memcpy bytes (" + bytes + ") must be >= 0");
        }
    }
}
