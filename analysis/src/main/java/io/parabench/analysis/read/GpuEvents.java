package io.parabench.analysis.read;

import java.util.Arrays;

/**
 * The GPU events of one trace file (kernels, memcpy, memset) as parallel primitive columns:
 * about 41 bytes per event whatever the length of its JSON, so a trace of hundreds of MB fits
 * in a small heap. Times are integer nanoseconds on the trace's clock (the profiler writes
 * microseconds with up to three decimals, which are kept exactly).
 *
 * <p>Filled by {@link TraceReader}; read-only afterwards. Index {@code i} runs from 0 to
 * {@link #size()} − 1 in file order (not necessarily time order).
 */
public final class GpuEvents {
    /** Marks an absent {@code grid} or {@code sms} argument. */
    public static final int UNKNOWN = -1;

    private long[] startNs = new long[1024];
    private long[] endNs = new long[1024];
    private int[] name = new int[1024];
    private int[] device = new int[1024];
    private int[] stream = new int[1024];
    private int[] gridBlocks = new int[1024];
    private int[] sms = new int[1024];
    private byte[] kind = new byte[1024];
    private long[] correlation = new long[1024];
    private int size;

    void add(long start, long end, int nameId, int deviceId, int streamId, int blocks, int smCount, GpuEventKind k,
             long correlationId) {
        if (size == startNs.length) {
            int capacity = size + (size >> 1);
            startNs = Arrays.copyOf(startNs, capacity);
            endNs = Arrays.copyOf(endNs, capacity);
            name = Arrays.copyOf(name, capacity);
            device = Arrays.copyOf(device, capacity);
            stream = Arrays.copyOf(stream, capacity);
            gridBlocks = Arrays.copyOf(gridBlocks, capacity);
            sms = Arrays.copyOf(sms, capacity);
            kind = Arrays.copyOf(kind, capacity);
            correlation = Arrays.copyOf(correlation, capacity);
        }
        startNs[size] = start;
        endNs[size] = end;
        name[size] = nameId;
        device[size] = deviceId;
        stream[size] = streamId;
        gridBlocks[size] = blocks;
        sms[size] = smCount;
        kind[size] = (byte) k.ordinal();
        correlation[size] = correlationId;
        size++;
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
