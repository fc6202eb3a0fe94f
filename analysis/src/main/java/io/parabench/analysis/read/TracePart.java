package io.parabench.analysis.read;

import io.parabench.trace.DeviceProperties;

import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What one scan of a byte range of a trace file keeps, before it becomes a {@link Trace}: the
 * whole file for a sequential read, or one of the consecutive event ranges of a file read in
 * parallel, which {@link #merge} joins in file order. Not thread-safe: one scanner fills one part.
 */
final class TracePart {
    final NameTable names = new NameTable();

    final LongColumn gpuStart;
    final LongColumn gpuEnd;
    final IntColumn gpuName;
    final IntColumn gpuDevice;
    final IntColumn gpuStream;
    final IntColumn gpuBlocks;
    final IntColumn gpuSms;
    final IntColumn gpuBlock;
    final ByteColumn gpuKind;
    final LongColumn gpuCorrelation;

    final LongColumn annStart;
    final LongColumn annEnd;
    final IntColumn annName;
    final IntColumn annPid;
    final IntColumn annTid;
    final ByteColumn annOnGpu;

    final LongColumn rtStart;
    final LongColumn rtEnd;
    final LongColumn rtCorrelation;
    final IntColumn rtPid;
    final IntColumn rtTid;
    final IntColumn rtName;

    final TreeMap<Integer, DeviceProperties> devices = new TreeMap<>();
    int rank = -1;
    /** Elements of the {@code traceEvents} array this part scanned. */
    long events;
    long withoutTs;
    long negativeDur;
    long withoutPidOrName;
    /** Absolute offset where this part stopped: the end of the document, or the next part's start. */
    long endOffset;
    /** True when the scan stopped exactly where the next part starts (the split was at an event boundary). */
    boolean reachedNext;

    TracePart(ColumnBlocks budget) {
        gpuStart = new LongColumn(budget);
        gpuEnd = new LongColumn(budget);
        gpuName = new IntColumn(budget);
        gpuDevice = new IntColumn(budget);
        gpuStream = new IntColumn(budget);
        gpuBlocks = new IntColumn(budget);
        gpuSms = new IntColumn(budget);
        gpuBlock = new IntColumn(budget);
        gpuKind = new ByteColumn(budget);
        gpuCorrelation = new LongColumn(budget);
        annStart = new LongColumn(budget);
        annEnd = new LongColumn(budget);
        annName = new IntColumn(budget);
        annPid = new IntColumn(budget);
        annTid = new IntColumn(budget);
        annOnGpu = new ByteColumn(budget);
        rtStart = new LongColumn(budget);
        rtEnd = new LongColumn(budget);
        rtCorrelation = new LongColumn(budget);
        rtPid = new IntColumn(budget);
        rtTid = new IntColumn(budget);
        rtName = new IntColumn(budget);
    }

    void addGpu(long start, long end, int nameId, int device, int stream, int blocks, int sms, int block,
                GpuEventKind kind, long correlation) {
        gpuStart.add(start);
        gpuEnd.add(end);
        gpuName.add(nameId);
        gpuDevice.add(device);
        gpuStream.add(stream);
        gpuBlocks.add(blocks);
        gpuSms.add(sms);
        gpuBlock.add(block);
        gpuKind.add((byte) kind.ordinal());
        gpuCorrelation.add(correlation);
    }

    void addAnnotation(long start, long end, int nameId, int pid, int tid, boolean onGpu) {
        annStart.add(start);
        annEnd.add(end);
        annName.add(nameId);
        annPid.add(pid);
        annTid.add(tid);
        annOnGpu.add((byte) (onGpu ? 1 : 0));
    }

    void addRuntimeCall(long start, long end, long correlation, int pid, int tid, int nameId) {
        rtStart.add(start);
        rtEnd.add(end);
        rtCorrelation.add(correlation);
        rtPid.add(pid);
        rtTid.add(tid);
        rtName.add(nameId);
    }

    /**
     * Joins consecutive parts of one file, in file order, into its trace; the parts' columns
     * are released while they are copied. Later parts' name ids are mapped into the first
     * part's table; a later {@code distributedInfo} or device entry wins, as in one sequential read.
     */
    static Trace merge(String source, List<TracePart> parts) {
        TracePart first = parts.get(0);
        NameTable names = first.names;
        int[][] remap = new int[parts.size()][];
        for (int k = 1; k < parts.size(); k++) {
            remap[k] = names.absorb(parts.get(k).names);
        }
        int gpuN = 0;
        int annN = 0;
        int rtN = 0;
        TreeMap<Integer, DeviceProperties> devices = new TreeMap<>();
        int rank = -1;
        DroppedEvents dropped = DroppedEvents.NONE;
        for (TracePart p : parts) {
            gpuN = Math.addExact(gpuN, p.gpuStart.size());
            annN = Math.addExact(annN, p.annStart.size());
            rtN = Math.addExact(rtN, p.rtStart.size());
            devices.putAll(p.devices);
            rank = p.rank >= 0 ? p.rank : rank;
            dropped = dropped.plus(new DroppedEvents(p.withoutTs, p.negativeDur, p.withoutPidOrName));
        }
        // One column at a time, each part's blocks released as they are copied: the peak is the
        // columns plus one final array, not twice the columns.
        GpuEvents gpu = new GpuEvents(longs(parts, gpuN, p -> p.gpuStart), longs(parts, gpuN, p -> p.gpuEnd),
                ints(parts, gpuN, p -> p.gpuName, remap), ints(parts, gpuN, p -> p.gpuDevice, null),
                ints(parts, gpuN, p -> p.gpuStream, null), ints(parts, gpuN, p -> p.gpuBlocks, null),
                ints(parts, gpuN, p -> p.gpuSms, null), ints(parts, gpuN, p -> p.gpuBlock, null),
                bytes(parts, gpuN, p -> p.gpuKind),
                longs(parts, gpuN, p -> p.gpuCorrelation));
        Annotations annotations = new Annotations(longs(parts, annN, p -> p.annStart),
                longs(parts, annN, p -> p.annEnd), ints(parts, annN, p -> p.annName, remap),
                ints(parts, annN, p -> p.annPid, null), ints(parts, annN, p -> p.annTid, null),
                bytes(parts, annN, p -> p.annOnGpu));
        RuntimeCalls calls = new RuntimeCalls(longs(parts, rtN, p -> p.rtStart), longs(parts, rtN, p -> p.rtEnd),
                longs(parts, rtN, p -> p.rtCorrelation), ints(parts, rtN, p -> p.rtPid, null),
                ints(parts, rtN, p -> p.rtTid, null), ints(parts, rtN, p -> p.rtName, remap));
        TracePart last = parts.get(parts.size() - 1);
        return new Trace(source, rank, devices, names, gpu, annotations, calls, last.endOffset, dropped);
    }

    private static long[] longs(List<TracePart> parts, int n, Function<TracePart, LongColumn> column) {
        long[] out = new long[n];
        int at = 0;
        for (TracePart p : parts) {
            LongColumn c = column.apply(p);
            int size = c.size();
            c.drainInto(out, at);
            at += size;
        }
        return out;
    }

    private static int[] ints(List<TracePart> parts, int n, Function<TracePart, IntColumn> column, int[][] remap) {
        int[] out = new int[n];
        int at = 0;
        for (int k = 0; k < parts.size(); k++) {
            IntColumn c = column.apply(parts.get(k));
            int size = c.size();
            c.drainInto(out, at, remap == null ? null : remap[k]);
            at += size;
        }
        return out;
    }

    private static byte[] bytes(List<TracePart> parts, int n, Function<TracePart, ByteColumn> column) {
        byte[] out = new byte[n];
        int at = 0;
        for (TracePart p : parts) {
            ByteColumn c = column.apply(p);
            int size = c.size();
            c.drainInto(out, at);
            at += size;
        }
        return out;
    }
}
