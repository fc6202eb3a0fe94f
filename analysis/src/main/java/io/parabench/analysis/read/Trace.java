package io.parabench.analysis.read;

import io.parabench.trace.DeviceProperties;

import java.util.Collections;
import java.util.SortedMap;

/**
 * What the analysis keeps of one Chrome-trace file: its devices, its GPU events, its
 * annotations, its runtime launch calls and their names. Everything else in the file (CPU ops,
 * flow events, metadata) is dropped while reading.
 *
 * @param source       file name (or a label for an in-memory stream), used in messages
 * @param rank         {@code distributedInfo.rank}, else the {@code rank<N>} in the file name, else -1
 * @param devices      {@code deviceProperties} by device id
 * @param names        interned event names
 * @param gpuEvents    kernels, memcpy and memset
 * @param annotations  user and GPU user annotations
 * @param runtimeCalls CPU launch calls with their correlation ids
 * @param bytesRead    JSON bytes parsed (after decompression)
 * @param dropped      events of a kept kind that could not be kept (no {@code ts}, negative
 *                     {@code dur}, …), counted by reason
 */
public record Trace(String source, int rank, SortedMap<Integer, DeviceProperties> devices, NameTable names,
                    GpuEvents gpuEvents, Annotations annotations, RuntimeCalls runtimeCalls, long bytesRead,
                    DroppedEvents dropped) {
    public Trace {
        devices = Collections.unmodifiableSortedMap(devices);
    }

    /** A trace with nothing dropped. */
    public Trace(String source, int rank, SortedMap<Integer, DeviceProperties> devices, NameTable names,
                 GpuEvents gpuEvents, Annotations annotations, RuntimeCalls runtimeCalls, long bytesRead) {
        this(source, rank, devices, names, gpuEvents, annotations, runtimeCalls, bytesRead, DroppedEvents.NONE);
    }

    /** The same trace with another rank (a rank taken from the file name). */
    public Trace withRank(int newRank) {
        return new Trace(source, newRank, devices, names, gpuEvents, annotations, runtimeCalls, bytesRead, dropped);
    }

    /** The SM count of a device, or 0 when the trace does not describe it. */
    public int numSms(int device) {
        DeviceProperties d = devices.get(device);
        return d == null ? 0 : d.numSms();
    }
}
