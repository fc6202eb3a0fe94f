package io.parabench.analysis.read;

import io.parabench.gpu.BlockShape;

/**
 * The GPU events of one trace file (kernels, memcpy, memset) as parallel primitive columns:
 * 49 bytes per event whatever the length of its JSON, so a trace of hundreds of MB fits
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
    /** Block resources packed by {@link #packBlock}, or {@link #UNKNOWN}. */
    private final int[] block;
    private final byte[] kind;
    private final long[] correlation;
    private final int size;

    GpuEvents(long[] startNs, long[] endNs, int[] name, int[] device, int[] stream, int[] gridBlocks, int[] sms,
              int[] block, byte[] kind, long[] correlation) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.name = name;
        this.device = device;
        this.stream = stream;
        this.gridBlocks = gridBlocks;
        this.sms = sms;
        this.block = block;
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

    /**
     * What one block of the kernel holds on its SM ({@code args.block} threads,
     * {@code registers per thread}, {@code shared memory}, as the PyTorch profiler writes them for
     * kernels), or null when the event does not say.
     */
    public BlockShape blockShape(int i) {
        int b = block[i];
        if (b == UNKNOWN) {
            return null;
        }
        return new BlockShape(b >>> 20, (b >>> 11) & 0x1FF, (b & 0x7FF) * SHARED_MEMORY_UNIT);
    }

    /** Shared memory is kept in the SM's allocation unit (128 B on Hopper), rounded up. */
    private static final int SHARED_MEMORY_UNIT = 128;

    /**
     * Packs a block's threads (1..1024, 11 bits), registers per thread (0..511, 9 bits) and shared
     * memory (in 128 B units up to 256 KiB, 11 bits) into one non-negative int; anything absent
     * or out of range gives {@link #UNKNOWN}.
     */
    static int packBlock(int threads, int registersPerThread, int sharedMemoryBytes) {
        if (threads < 1 || threads > 1024 || registersPerThread < 0 || registersPerThread > 511
                || sharedMemoryBytes < 0 || sharedMemoryBytes > 2047 * SHARED_MEMORY_UNIT) {
            return UNKNOWN;
        }
        int units = (sharedMemoryBytes + SHARED_MEMORY_UNIT - 1) / SHARED_MEMORY_UNIT;
        return (threads << 20) | (registersPerThread << 11) | units;
    }

    /** The profiler's {@code args.correlation} linking the event to its CPU launch, or -1. */
    public long correlation(int i) {
        return correlation[i];
    }

    public GpuEventKind kind(int i) {
        return GpuEventKind.of(kind[i]);
    }
}
