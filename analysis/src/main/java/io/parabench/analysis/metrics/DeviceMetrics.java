package io.parabench.analysis.metrics;

import java.util.List;
import java.util.SortedMap;

/**
 * The per-device metrics of a trace. Definitions (also stated in the HTML report):
 * <ul>
 *   <li>GPU events are kernels, memcpy and memset. span = last GPU event end − first GPU event
 *       start; busy = length of the union of all GPU event intervals; idle = span − busy,
 *       {@code idle_ratio} = idle ÷ span.</li>
 *   <li>computation kernels = kernels not classified communication (memcpy/memset are memory,
 *       neither); compute busy = |union(computation)|; communication busy =
 *       |union(communication)|.</li>
 *   <li>overlap ratio = |union(computation) ∩ union(communication)| ÷ |union(communication)|
 *       (Holistic Trace Analysis's definition); NaN without communication.</li>
 *   <li>per-stream busy = |union| of the stream's GPU events.</li>
 *   <li>SM occupancy: see {@link SmOccupancy}.</li>
 * </ul>
 * Invariants checked on construction: compute, communication and idle each ≤ span, overlap ≤
 * both unions.
 *
 * @param key          how the device is named in results: its id, or {@code rank/id} when ids repeat
 * @param rank         rank of the trace file holding it (-1 unknown)
 * @param device       device id (the events' {@code pid})
 * @param name         device name from {@code deviceProperties}, or {@code "device N"}
 * @param firstStartNs first GPU event start
 * @param lastEndNs    last GPU event end
 * @param busyNs       |union of all GPU events|
 * @param computeBusyNs |union of computation kernels|
 * @param commBusyNs   |union of communication kernels|
 * @param memoryBusyNs |union of memcpy/memset|
 * @param overlapNs    |union(computation) ∩ union(communication)|
 * @param streamBusyNs busy time per stream
 * @param kernels      kernel launches (memcpy/memset excluded)
 * @param commKernels  communication kernel launches
 * @param smOccupancy  SM-occupancy timeline, or null when numSms is unknown
 * @param breakdown    kernel breakdown per name, longest total first
 * @param temporal     HTA's temporal breakdown
 * @param idleBreakdown HTA's idle-time breakdown, per stream
 * @param launches     HTA's launch statistics
 * @param queueLength  HTA's queue-length summary per stream (streams with launched work)
 */
public record DeviceMetrics(String key, int rank, int device, String name, int numSms, long firstStartNs,
                            long lastEndNs, long busyNs, long computeBusyNs, long commBusyNs, long memoryBusyNs,
                            long overlapNs, SortedMap<Integer, Long> streamBusyNs, long kernels, long commKernels,
                            SmOccupancy smOccupancy, KernelBreakdown breakdown, Temporal temporal,
                            List<StreamIdle> idleBreakdown, LaunchSummary launches,
                            SortedMap<Integer, Distribution> queueLength)
        implements java.io.Serializable {
    public DeviceMetrics {
        long span = lastEndNs - firstStartNs;
        if (busyNs > span || computeBusyNs > busyNs || commBusyNs > busyNs || memoryBusyNs > busyNs
                || overlapNs > Math.min(computeBusyNs, commBusyNs)) {
            throw new IllegalStateException("device " + key + " metrics break their invariants: span " + span
                    + " busy " + busyNs + " compute " + computeBusyNs + " comm " + commBusyNs + " overlap " + overlapNs);
        }
        streamBusyNs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(streamBusyNs));
        idleBreakdown = List.copyOf(idleBreakdown);
        queueLength = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(queueLength));
    }

    /** The kernel rows, longest total first (all that the options kept). */
    public List<KernelStat> topKernels() {
        return breakdown.rows();
    }

    /** The same metrics under another key (ids repeated across the files of a directory). */
    public DeviceMetrics withKey(String newKey) {
        return new DeviceMetrics(newKey, rank, device, name, numSms, firstStartNs, lastEndNs, busyNs, computeBusyNs,
                commBusyNs, memoryBusyNs, overlapNs, streamBusyNs, kernels, commKernels, smOccupancy, breakdown, temporal,
                idleBreakdown, launches, queueLength);
    }

    public long spanNs() {
        return lastEndNs - firstStartNs;
    }

    public long idleNs() {
        return spanNs() - busyNs;
    }

    public double spanUs() {
        return spanNs() / 1000.0;
    }

    public double busyUs() {
        return busyNs / 1000.0;
    }

    public double computeBusyUs() {
        return computeBusyNs / 1000.0;
    }

    public double commBusyUs() {
        return commBusyNs / 1000.0;
    }

    /** idle ÷ span; NaN for an empty span. */
    public double idleRatio() {
        return spanNs() > 0 ? (double) idleNs() / spanNs() : Double.NaN;
    }

    /** |compute ∩ comm| ÷ |comm|; NaN without communication. */
    public double commOverlapRatio() {
        return commBusyNs > 0 ? (double) overlapNs / commBusyNs : Double.NaN;
    }

    /** Time-weighted average SM occupancy ÷ numSms; NaN when numSms is unknown. */
    public double smOccupancyAvg() {
        return smOccupancy == null ? Double.NaN : smOccupancy.averageRatio();
    }
}
