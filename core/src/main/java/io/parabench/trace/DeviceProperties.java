package io.parabench.trace;

/**
 * One entry of a trace's {@code deviceProperties} array, as the PyTorch profiler writes it.
 * Only the fields analysis needs are kept: the device id (the {@code pid} of its events),
 * a name, and the SM count that bounds SM occupancy.
 *
 * @param id     device id; equals the {@code pid} of the device's GPU events
 * @param name   device name, e.g. {@code "NVIDIA H800"} or {@code "rank 3"} for a simulated rank
 * @param numSms streaming multiprocessors on the device (0 for a simulated rank without SMs)
 */
public record DeviceProperties(int id, String name, int numSms) {
    public DeviceProperties {
        if (id < 0) {
            throw new IllegalArgumentException("device id (" + id + ") must be >= 0");
        }
        if (numSms < 0) {
            throw new IllegalArgumentException("numSms (" + numSms + ") must be >= 0");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("device name must not be empty");
        }
    }
}
