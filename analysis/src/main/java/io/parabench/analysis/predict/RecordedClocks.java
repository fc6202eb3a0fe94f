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
 * what kernels of its shape (name, grid, block: the same work) typically took on all the step's
 * GPUs, and that factor holds from its start until the next such kernel's. Shapes that only one
 * GPU ran give no reading (their typical time is that GPU's own).
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
        Map<String, List<Double>> alone = new HashMap<>();
        Map<String, Set<Integer>> ranksOf = new HashMap<>();
        int ranks = step.ops().size();
        for (List<RecordedOp> rank : step.ops()) {
            for (RecordedOp op : rank) {
                for (RecordedKernel k : op.kernels()) {
                    if (k.besideUs() == 0 && k.us() > 0) {
                        alone.computeIfAbsent(k.shape(), s -> new ArrayList<>()).add(k.us());
                        ranksOf.computeIfAbsent(k.shape(), s -> new HashSet<>()).add(op.rank());
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
        long origin = step.window().windowStartNs();
        List<DeviceClock> clocks = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            List<RecordedKernel> readings = new ArrayList<>();
            for (RecordedOp op : step.ops().get(r)) {
                for (RecordedKernel k : op.kernels()) {
                    if (k.besideUs() == 0 && k.us() > 0 && typical.containsKey(k.shape())) {
                        readings.add(k);
                    }
                }
            }
            readings.sort(Comparator.comparingLong(RecordedKernel::startNs));
            double[] from = new double[readings.size()];
            double[] factor = new double[readings.size()];
            int n = 0;
            for (RecordedKernel k : readings) {
                double at = (k.startNs() - origin) / 1000.0;
                if (n > 0 && !(at > from[n - 1])) {
                    continue;
                }
                from[n] = at;
                factor[n] = k.us() / typical.get(k.shape());
                n++;
            }
            clocks.add(DeviceClock.of(Arrays.copyOf(from, n), Arrays.copyOf(factor, n)));
        }
        return new RecordedClocks(List.copyOf(clocks), origin, step.measuredStepUs());
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
