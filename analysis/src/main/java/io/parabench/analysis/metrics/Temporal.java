package io.parabench.analysis.metrics;

/**
 * Holistic Trace Analysis's temporal breakdown of one device
 * ({@code hta/analyzers/breakdown_analysis.py:get_temporal_breakdown}), with HTA's definitions:
 * <ul>
 *   <li>kernel time = end of the last merged GPU interval − start of the first (the span);</li>
 *   <li>idle = kernel time − |union of all GPU events|;</li>
 *   <li>compute = |union of computation kernels|;</li>
 *   <li>non-compute = kernel time − compute − idle (communication, memory and other time not
 *       hidden under computation);</li>
 * </ul>
 * and how the busy time splits between every combination of computation, communication and
 * memory running at once ({@link #classMixNs}: HTA's kernel-type breakdown, whose
 * {@code COMPUTATION overlapping COMMUNICATION} is the time both run).
 * Invariants as HTA asserts them: idle ≤ kernel time, compute ≤ kernel time, non-compute ≥ 0.
 *
 * @param kernelTimeNs       span of the device's GPU events
 * @param idleNs             span without any GPU event
 * @param computeNs          |union of computation kernels|
 * @param nonComputeNs       kernel time − compute − idle
 * @param classMixNs         busy time per combination of classes running at once, named as HTA
 *                           names them ({@code COMPUTATION}, {@code COMPUTATION overlapping
 *                           COMMUNICATION}, …), combinations that never occur left out
 */
public record Temporal(long kernelTimeNs, long idleNs, long computeNs, long nonComputeNs,
                       java.util.SortedMap<String, Long> classMixNs) implements java.io.Serializable {
    /** HTA's order of the classes in a combination's name. */
    private static final KernelClass[] MIX_ORDER = {KernelClass.COMPUTATION, KernelClass.COMMUNICATION,
            KernelClass.MEMORY};

    public Temporal {
        if (idleNs > kernelTimeNs || computeNs > kernelTimeNs || nonComputeNs < 0) {
            throw new IllegalStateException("temporal breakdown breaks HTA's invariants: kernel time " + kernelTimeNs
                    + " idle " + idleNs + " compute " + computeNs + " non-compute " + nonComputeNs);
        }
        classMixNs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(classMixNs));
    }

    /** The breakdown of one device. */
    public static Temporal of(DeviceEvents d) {
        long[] all = d.mergedTotal(k -> true);
        if (all == null) {
            return new Temporal(0, 0, 0, 0, new java.util.TreeMap<>());
        }
        long kernelTime = all[1] - all[0];
        long idle = kernelTime - all[2];
        int comp = KernelClass.COMPUTATION.ordinal();
        long[] compute = d.mergedTotal(k -> d.classOrdinal(k) == comp);
        long computeNs = compute == null ? 0 : compute[2];
        IntervalSet[] sets = new IntervalSet[MIX_ORDER.length];
        for (int c = 0; c < sets.length; c++) {
            sets[c] = d.union(MIX_ORDER[c]);
        }
        return new Temporal(kernelTime, idle, computeNs, kernelTime - computeNs - idle, classMix(sets));
    }

    /**
     * Time per combination of the sets covering it: a sweep over all their bounds with a bit
     * per set, as HTA's {@code _get_gpu_kernel_type_time} does.
     */
    static java.util.TreeMap<String, Long> classMix(IntervalSet[] sets) {
        int n = 0;
        for (IntervalSet s : sets) {
            n += 2 * s.size();
        }
        long[] time = new long[n];
        int[] change = new int[n];
        int m = 0;
        for (int c = 0; c < sets.length; c++) {
            for (int k = 0; k < sets[c].size(); k++) {
                time[m] = sets[c].start(k);
                change[m++] = 1 << c;
                time[m] = sets[c].end(k);
                change[m++] = -(1 << c);
            }
        }
        int[] order = StartOrder.sort(time);
        long[] byMask = new long[1 << sets.length];
        int mask = 0;
        for (int j = 0; j < n; j++) {
            if (j > 0) {
                byMask[mask] += time[order[j]] - time[order[j - 1]];
            }
            mask += change[order[j]];
        }
        java.util.TreeMap<String, Long> out = new java.util.TreeMap<>();
        for (int b = 1; b < byMask.length; b++) {
            if (byMask[b] > 0) {
                StringBuilder name = new StringBuilder();
                for (int c = 0; c < sets.length; c++) {
                    if ((b & (1 << c)) != 0) {
                        name.append(name.length() == 0 ? "" : " overlapping ").append(MIX_ORDER[c].name());
                    }
                }
                out.put(name.toString(), byMask[b]);
            }
        }
        return out;
    }

    /** x ÷ kernel time; NaN for an empty span. */
    public double share(long ns) {
        return kernelTimeNs > 0 ? (double) ns / kernelTimeNs : Double.NaN;
    }
}
