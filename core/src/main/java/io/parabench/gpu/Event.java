package io.parabench.gpu;

/**
 * A point on a stream's virtual timeline, like a CUDA event: {@link Stream#record()} captures
 * the time all work enqueued so far on that stream finishes, and {@link Stream#waitFor(Event)}
 * makes later work on another stream start no earlier. Immutable.
 *
 * @param device device of the recording stream
 * @param stream recording stream
 * @param timeNs virtual time the event completes
 */
public record Event(int device, int stream, long timeNs) {
}
