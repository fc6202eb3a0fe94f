package io.parabench.analysis.read;

/**
 * The GPU events of one trace file (kernels, memcpy, memset) as parallel primitive columns:
 * 45 bytes per event whatever the length of its JSON, so a trace of hundreds of MB fits
 * in a small heap. Times are integer nanoseconds on the trace's clock (the profiler writes
 * microseconds with up to three decimals, which are kept exactly).
 *
 * <p>Filled by {@link TraceReader}; read-only afterwards. Index {@code i} runs from 0 to
 * {@link #size()} − 1 in file order (not necessarily time order).
 */
public final class GpuEvents {
    /** Marks an absent {@code grid} or {@code sms} argument. */
    public static final int UNKNOWN = -1;

    private final long[] startNs;
    private final long[] endNs;
    private final int[] name;
    private final int[] device;
    private final int[] stream;
    private final int[] gridBlocks;
    private final int[] sms;
    private final byte[] kind;
    private final long[] correlation;
    private final int size;

    GpuEvents(long[] startNs, long[] endNs, int[] name, int[] device, int[] stream, int[] gridBlocks, int[] sms,
              byte[] kind, long[] correlation) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.name = name;
        this.device = device;
        this.stream = stream;
        this.gridBlocks = gridBlocks;
        this.sms = sms;
        this.kind = kind;
        this.correlation = correlation;
        this.size = startNs.length;
    }

    /** Number of events. */
    public int size() {
        return size;
    }

    public long startNs(int i) {
        return startNs[i];
    }

    public long endNs(int i) {
        return endNs[i];
    }

    /** Id of the event's name in the trace's {@link NameTable}. */
    public int nameId(int i) {
        return name[i];
    }

    /** The device: the event's {@code pid}. */
    public int device(int i) {
        return device[i];
    }

    /** The stream: {@code args.stream}, else the event's {@code tid}. */
    public int stream(int i) {
        return stream[i];
    }

    /** Blocks launched ({@code grid} x·y·z), or {@link #UNKNOWN}. */
    public int gridBlocks(int i) {
        return gridBlocks[i];
    }

    /** SMs the emulator recorded ({@code args.sms}), or {@link #UNKNOWN} for real traces. */
    public int sms(int i) {
        return sms[i];
    }

    /** The profiler's {@code args.correlation} linking the event to its CPU launch, or -1. */
    public long correlation(int i) {
        return correlation[i];
    }

    public GpuEventKind kind(int i) {
        return GpuEventKind.of(kind[i]);
    }
}
