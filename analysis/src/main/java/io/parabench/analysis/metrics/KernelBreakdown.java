package io.parabench.analysis.metrics;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel breakdown of one device: a {@link KernelStat} per kernel name, longest summed
 * duration first, at most {@code rows} of them, and the summed duration of every class (the
 * denominator of a row's share). Holistic Trace Analysis's {@code get_gpu_kernel_breakdown}
 * with {@code num_kernels} = rows, without its grouping of the tail into "others" (the count of
 * names left out is kept instead).
 *
 * <p>O(m log m) in the device's events: one sort groups them by name, whatever the number of
 * distinct names.
 *
 * @param rows       the rows kept
 * @param namesCut   distinct names left out beyond {@code rows}
 * @param classTotalNs summed duration of all launches of each class (all names, kept or not)
 */
public record KernelBreakdown(List<KernelStat> rows, int namesCut, Map<KernelClass, Long> classTotalNs) implements java.io.Serializable {
    public KernelBreakdown {
        rows = List.copyOf(rows);
        classTotalNs = Map.copyOf(classTotalNs);
    }

    /** Row's summed duration ÷ its class's; NaN when the class sums to nothing. */
    public double share(KernelStat row) {
        long total = classTotalNs.getOrDefault(row.kind(), 0L);
        return total != 0 ? (double) row.totalNs() / total : Double.NaN;
    }

    static KernelBreakdown of(DeviceEvents d, int maxRows) {
        Buckets byName = Buckets.of(d.size(), d::nameId);
        int names = byName.size();
        long[] count = new long[names];
        long[] sum = new long[names];
        long[] min = new long[names];
        long[] max = new long[names];
        long[] squareHigh = new long[names];
        long[] squareLow = new long[names];
        byte[] kind = new byte[names];
        long[] classTotal = new long[KernelClass.values().length];
        for (int b = 0; b < names; b++) {
            min[b] = Long.MAX_VALUE;
            max[b] = Long.MIN_VALUE;
            kind[b] = -1;
            for (int k : byName.positions(b)) {
                long dur = d.endNs(k) - d.startNs(k);
                count[b]++;
                sum[b] += dur;
                min[b] = Math.min(min[b], dur);
                max[b] = Math.max(max[b], dur);
                // 128-bit sum of squares: exact for any duration below 2^62 ns
                long low = dur * dur;
                long nextLow = squareLow[b] + low;
                squareHigh[b] += Math.multiplyHigh(dur, dur) + (Long.compareUnsigned(nextLow, squareLow[b]) < 0 ? 1 : 0);
                squareLow[b] = nextLow;
                int c = d.classOrdinal(k);
                if (kind[b] < 0 || c == KernelClass.COMMUNICATION.ordinal()) {
                    kind[b] = (byte) c;
                }
                classTotal[c] += dur;
            }
        }
        String[] nameOf = new String[names];
        Integer[] order = new Integer[names];
        for (int b = 0; b < names; b++) {
            order[b] = b;
            nameOf[b] = d.trace().names().name(byName.key(b));
        }
        Arrays.sort(order, (a, b) -> sum[a] != sum[b] ? Long.compare(sum[b], sum[a]) : nameOf[a].compareTo(nameOf[b]));
        KernelClass[] classes = KernelClass.values();
        List<KernelStat> rows = new ArrayList<>();
        for (int r = 0; r < Math.min(maxRows, names); r++) {
            int b = order[r];
            BigInteger squares = new BigInteger(1, bytes(squareHigh[b], squareLow[b]));
            rows.add(new KernelStat(nameOf[b], classes[kind[b]], count[b], sum[b], min[b], max[b], squares));
        }
        Map<KernelClass, Long> totals = new EnumMap<>(KernelClass.class);
        for (KernelClass c : classes) {
            totals.put(c, classTotal[c.ordinal()]);
        }
        return new KernelBreakdown(rows, Math.max(0, names - maxRows), totals);
    }

    private static byte[] bytes(long high, long low) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[7 - i] = (byte) (high >>> (8 * i));
            out[15 - i] = (byte) (low >>> (8 * i));
        }
        return out;
    }
}
