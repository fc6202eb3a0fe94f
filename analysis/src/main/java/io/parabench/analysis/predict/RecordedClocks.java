package io.parabench.analysis.predict;

import io.parabench.gpu.DeviceClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each GPU's clock over a profiled step ({@link DeviceClock}), read from its computation kernels:
 * a kernel that ran alone (no comm kernel held SMs when it started) took {@code factor} times
 * what kernels doing the same work ({@link #works}) typically took on all the step's GPUs, and
 * that factor holds from its start until the next such kernel's. Work that only one GPU did
 * gives no reading (its typical time is that GPU's own).
 *
 * <p>GPUs of one model at one clock run a shape in the same time to within a percent
 * ({@code gpu-traces/1f1b}: every rank's GEMMs at 1.00 of the typical time throughout). A GPU
 * whose clock dropped shows it here: GPU 0 of {@code gpu-traces/torch_zbv} reads 1.0 until
 * 120 ms, then 1.0, 1.2 or 2.0 kernel by kernel until 200 ms, then 1.18.
 *
 * <p>Times are µs from the measured window's start (the replay's 0). Immutable.
 */
final class RecordedClocks {
    private final List<DeviceClock> clocks;
    private final long originNs;
    private final double stepUs;

    private RecordedClocks(List<DeviceClock> clocks, long originNs, double stepUs) {
        this.clocks = clocks;
        this.originNs = originNs;
        this.stepUs = stepUs;
    }

    static RecordedClocks of(RecordedStep step) {
        return of(step.ops(), step.window().windowStartNs(), step.measuredStepUs());
    }

    /**
     * @param ops      per rank, its recorded ops
     * @param originNs the trace time that is the replay's 0 (the measured window's start)
     * @param stepUs   the measured step, over which {@link #meanFactors()} averages
     */
    static RecordedClocks of(List<List<RecordedOp>> ops, long originNs, double stepUs) {
        Map<String, List<Double>> alone = new HashMap<>();
        Map<String, Set<Integer>> ranksOf = new HashMap<>();
        int ranks = ops.size();
        for (List<RecordedOp> rank : ops) {
            for (RecordedOp op : rank) {
                List<String> works = works(op);
                for (int i = 0; i < works.size(); i++) {
                    RecordedKernel k = op.kernels().get(i);
                    if (k.besideUs() == 0 && k.us() > 0) {
                        alone.computeIfAbsent(works.get(i), s -> new ArrayList<>()).add(k.us());
                        ranksOf.computeIfAbsent(works.get(i), s -> new HashSet<>()).add(op.rank());
                    }
                }
            }
        }
        Map<String, Double> typical = new HashMap<>();
        alone.forEach((shape, us) -> {
            if (ranksOf.get(shape).size() > 1) {
                typical.put(shape, MeasuredCosts.median(us.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
            }
        });
        long origin = originNs;
        List<DeviceClock> clocks = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            List<double[]> readings = new ArrayList<>();
            for (RecordedOp op : ops.get(r)) {
                List<String> works = works(op);
                for (int i = 0; i < works.size(); i++) {
                    RecordedKernel k = op.kernels().get(i);
                    Double usual = typical.get(works.get(i));
                    if (k.besideUs() == 0 && k.us() > 0 && usual != null) {
                        readings.add(new double[] {(k.startNs() - origin) / 1000.0, k.us() / usual});
                    }
                }
            }
            readings.sort(Comparator.comparingDouble(x -> x[0]));
            double[] from = new double[readings.size()];
            double[] factor = new double[readings.size()];
            int n = 0;
            for (double[] reading : readings) {
                if (n > 0 && !(reading[0] > from[n - 1])) {
                    continue;
                }
                from[n] = reading[0];
                factor[n] = reading[1];
                n++;
            }
            clocks.add(DeviceClock.of(Arrays.copyOf(from, n), Arrays.copyOf(factor, n)));
        }
        return new RecordedClocks(List.copyOf(clocks), origin, stepUs);
    }

    /**
     * What each of the op's kernels did, as far as the trace tells: its launch (name, grid, block)
     * and which launch of that shape it is in an op of this kind. One launch shape can do
     * different work (the emulator's two forward GEMMs share a name and grid); the same launch at
     * the same place of the same kind of op does the same work on every stage of one model.
     */
    private static List<String> works(RecordedOp op) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (RecordedKernel k : op.kernels()) {
            int n = seen.merge(k.shape(), 1, Integer::sum);
            out.add(op.op().kind() + " #" + n + " " + k.shape());
        }
        return out;
    }

    /** Per rank, its clock; time 0 is the measured window's start. */
    List<DeviceClock> clocks() {
        return clocks;
    }

    /** The factor of rank {@code rank}'s clock at {@code ns} on the trace's clock. */
    double factorAt(int rank, long ns) {
        return clocks.get(rank).factor((ns - originNs) / 1000.0);
    }

    /** Per rank, the time-weighted mean factor over the measured step. */
    double[] meanFactors() {
        return clocks.stream().mapToDouble(c -> c.meanFactor(0, stepUs)).toArray();
    }

}
