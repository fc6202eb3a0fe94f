package io.parabench.analysis.read;

/**
 * Events of a kind the analysis keeps (GPU work, annotations, runtime calls, {@code ph:"X"})
 * that the reader had to drop, by reason. They are counted, not silently lost: the command
 * line reports them.
 *
 * @param withoutTs          no {@code ts}
 * @param negativeDur        a {@code dur} below zero
 * @param withoutPidOrName   no usable {@code pid} (a device or process number), or no {@code name}
 */
public record DroppedEvents(long withoutTs, long negativeDur, long withoutPidOrName) implements java.io.Serializable {
    public static final DroppedEvents NONE = new DroppedEvents(0, 0, 0);

    public long total() {
        return withoutTs + negativeDur + withoutPidOrName;
    }

    public DroppedEvents plus(DroppedEvents o) {
        return new DroppedEvents(withoutTs + o.withoutTs, negativeDur + o.negativeDur,
                withoutPidOrName + o.withoutPidOrName);
    }
}
