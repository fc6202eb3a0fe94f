package io.parabench.gpu;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link Calibration} to {@link KernelMeasurements}: the named parameters of the
 * {@link CalibratedClock}, not a table of the rows, so the result predicts shapes nobody measured.
 *
 * <ul>
 *   <li>GEMM, per precision: the memset threshold is the FLOP count that best separates the rows
 *       whose kernels include a {@code Memset} from those that do not; then peak, tile overhead,
 *       floor, small-tile efficiency, wave tail and throttle minimise {@code Σ |ln(predicted ÷ measured)|} over the
 *       rows (Nelder–Mead from the base calibration's values, restarted once).</li>
 *   <li>Memory-bound kernels: the HBM rate is the best streaming rate among rows past L2
 *       ({@code bytes ÷ kernel time}); the L2 rate and, per op, minimum duration, element rate and
 *       bandwidth fraction minimise the same log error.</li>
 *   <li>Launch: eager and graph rates from the {@code launch} block; the device-side gap is the
 *       graph's time per kernel minus a tiny kernel's duration.</li>
 * </ul>
 * Precisions and ops without measured rows, the L2 size and the links keep the base values.
 * Deterministic: the same file and base give the same spec. Thread-safe (no shared state).
 */
public final class DeviceFit {
    private static final int EVALUATIONS = 1500;

    private DeviceFit() {
    }

    /**
     * Fits {@code measured} starting from {@code base} (its datasheet fields and calibration);
     * the result is named after the measured device and has its SM count when the file gives one.
     *
     * @throws IllegalArgumentException if base has no calibration or the file has no timed rows
     */
    public static DeviceSpec fit(KernelMeasurements measured, DeviceSpec base) {
        Calibration start = base.calibration();
        if (start == null) {
            throw new IllegalArgumentException("base device " + base.name() + " must have a calibration to start the fit from");
        }
        int sms = measured.sms() > 0 ? measured.sms() : base.numSms();
        boolean any = measured.gemm().stream().anyMatch(r -> r.kernelUs() != null)
                || measured.mem().stream().anyMatch(r -> r.kernelUs() != null);
        if (!any) {
            throw new IllegalArgumentException("measurements of " + measured.device()
                    + " must time at least one gemm[] or mem[] row (kernel_us)");
        }
        Map<Precision, Calibration.GemmFit> gemm = new EnumMap<>(start.gemm());
        for (Precision p : Precision.values()) {
            List<KernelMeasurements.GemmRow> rows = new ArrayList<>();
            for (KernelMeasurements.GemmRow r : measured.gemm()) {
                if (r.precision() == p && r.kernelUs() != null) {
                    rows.add(r);
                }
            }
            if (!rows.isEmpty()) {
                gemm.put(p, fitGemm(rows, start, sms, start.gemm().get(p)));
            }
        }
        Calibration withGemm = new Calibration(gemm, start.memory(), start.hbmBytesPerSecond(), start.l2Bytes(),
                start.l2BytesPerSecond(), launch(measured, start), start.links());
        Calibration fitted = fitMemory(measured.mem(), withGemm);
        return new DeviceSpec(measured.device(), sms, base.fp32FlopsPerSm() * base.numSms() / sms,
                base.bf16FlopsPerSm() * base.numSms() / sms, base.fp8FlopsPerSm() * base.numSms() / sms,
                base.memoryBytes(), base.hbmBytesPerSecond(), base.nvlinkBytesPerSecond(),
                base.networkBytesPerSecond(), base.launchOverheadNs(), fitted);
    }

    private static Calibration.LaunchFit launch(KernelMeasurements measured, Calibration start) {
        KernelMeasurements.Launch l = measured.launch();
        if (l == null) {
            return start.launch();
        }
        return new Calibration.LaunchFit(Math.max(0, l.graphUsPerKernel() - l.tinyKernelUs()) * 1e3,
                l.eagerUsPerKernel() * 1e3, l.graphUsPerKernel() * 1e3);
    }

    private static Calibration.GemmFit fitGemm(List<KernelMeasurements.GemmRow> rows, Calibration start, int sms,
                                               Calibration.GemmFit from) {
        double threshold = memsetThreshold(rows);
        double memsetNs = from.memsetNs();
        double[] x = {Math.log(from.peakFlops()), Math.log(Math.max(1, from.tileOverheadNs())),
                Math.log(Math.max(1, from.floorNs())), logit(Math.min(0.999, from.smallTileEfficiency())),
                logit(Math.min(0.999, Math.max(0.001, from.waveTail()))),
                logit(Math.min(0.999, Math.max(0.001, from.throttle()))), Math.log(from.throttleNs())};
        java.util.function.ToDoubleFunction<double[]> error = p -> {
            Calibration.GemmFit fit = gemmFit(p, threshold, memsetNs);
            Calibration c = withGemm(start, rows.get(0).precision(), fit);
            double sum = 0;
            for (KernelMeasurements.GemmRow r : rows) {
                double ns = CalibratedClock.gemmNs(c, sms, r.shape(), r.precision(), r.bytes(), sms);
                sum += Math.abs(Math.log(ns / (r.kernelUs() * 1e3)));
            }
            return sum;
        };
        x = NelderMead.minimize(error, x, 0.3, EVALUATIONS);
        x = NelderMead.minimize(error, x, 0.1, EVALUATIONS);
        return gemmFit(x, threshold, memsetNs);
    }

    private static Calibration.GemmFit gemmFit(double[] p, double memsetAboveFlops, double memsetNs) {
        return new Calibration.GemmFit(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2]), logistic(p[3]), logistic(p[4]),
                logistic(p[5]), Math.exp(p[6]), memsetAboveFlops, memsetNs);
    }

    private static Calibration withGemm(Calibration c, Precision p, Calibration.GemmFit fit) {
        Map<Precision, Calibration.GemmFit> gemm = new EnumMap<>(c.gemm());
        gemm.put(p, fit);
        return new Calibration(gemm, c.memory(), c.hbmBytesPerSecond(), c.l2Bytes(), c.l2BytesPerSecond(),
                c.launch(), c.links());
    }

    /** The smallest FLOP count at which "memset from here on" misclassifies the fewest rows. */
    static double memsetThreshold(List<KernelMeasurements.GemmRow> rows) {
        double best = Double.MAX_VALUE;
        int bestErrors = 0;
        for (KernelMeasurements.GemmRow r : rows) {
            bestErrors += r.memset() ? 1 : 0;
        }
        List<Double> candidates = new ArrayList<>();
        for (KernelMeasurements.GemmRow r : rows) {
            candidates.add((double) r.shape().flops());
        }
        candidates.sort(Double::compare);
        for (double t : candidates) {
            int errors = 0;
            for (KernelMeasurements.GemmRow r : rows) {
                errors += r.memset() != (r.shape().flops() >= t) ? 1 : 0;
            }
            if (errors < bestErrors) {
                bestErrors = errors;
                best = t;
            }
        }
        return best;
    }

    private static Calibration fitMemory(List<KernelMeasurements.MemRow> all, Calibration c) {
        List<KernelMeasurements.MemRow> timed = new ArrayList<>();
        for (KernelMeasurements.MemRow r : all) {
            if (r.kernelUs() != null) {
                timed.add(r);
            }
        }
        if (timed.isEmpty()) {
            return c;
        }
        double hbm = 0;
        for (KernelMeasurements.MemRow r : timed) {
            if (r.bytes() > c.l2Bytes()) {
                hbm = Math.max(hbm, r.bytes() / (r.kernelUs() * 1e-6));
            }
        }
        double hbmRate = hbm > 0 ? hbm : c.hbmBytesPerSecond();
        double[] x = {Math.log(Math.max(hbmRate, c.l2BytesPerSecond()))};
        java.util.function.ToDoubleFunction<double[]> error = p -> {
            Calibration trial = new Calibration(c.gemm(), c.memory(), hbmRate, c.l2Bytes(),
                    Math.max(hbmRate, Math.exp(p[0])), c.launch(), c.links());
            Map<MemoryOp, Calibration.MemoryFit> ops = new EnumMap<>(c.memory());
            double sum = 0;
            for (MemoryOp op : MemoryOp.values()) {
                List<KernelMeasurements.MemRow> rows = new ArrayList<>();
                for (KernelMeasurements.MemRow r : timed) {
                    if (r.op() == op) {
                        rows.add(r);
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                Calibration.MemoryFit fit = fitOp(rows, trial, c.memory().get(op));
                ops.put(op, fit);
                sum += memoryError(rows, withOp(trial, op, fit));
            }
            return sum;
        };
        x = NelderMead.minimize(error, x, 0.3, 60);
        // rebuild the winner (the objective does not keep its fits)
        double l2Rate = Math.max(hbmRate, Math.exp(x[0]));
        Calibration result = new Calibration(c.gemm(), c.memory(), hbmRate, c.l2Bytes(), l2Rate, c.launch(), c.links());
        for (MemoryOp op : MemoryOp.values()) {
            List<KernelMeasurements.MemRow> rows = new ArrayList<>();
            for (KernelMeasurements.MemRow r : timed) {
                if (r.op() == op) {
                    rows.add(r);
                }
            }
            if (!rows.isEmpty()) {
                result = withOp(result, op, fitOp(rows, result, c.memory().get(op)));
            }
        }
        return result;
    }

    private static Calibration.MemoryFit fitOp(List<KernelMeasurements.MemRow> rows, Calibration c,
                                               Calibration.MemoryFit from) {
        MemoryOp op = rows.get(0).op();
        double[] x = {Math.log(Math.max(1, from.minNs())), Math.log(from.elementsPerSecond()),
                logit(Math.min(0.99, from.bandwidthFraction()))};
        java.util.function.ToDoubleFunction<double[]> error = p -> memoryError(rows, withOp(c, op, memoryFit(p)));
        x = NelderMead.minimize(error, x, 0.3, 600);
        x = NelderMead.minimize(error, x, 0.1, 600);
        return memoryFit(x);
    }

    private static Calibration.MemoryFit memoryFit(double[] p) {
        return new Calibration.MemoryFit(Math.exp(p[0]), Math.exp(p[1]), Math.max(1e-6, logistic(p[2])));
    }

    private static double memoryError(List<KernelMeasurements.MemRow> rows, Calibration c) {
        double sum = 0;
        for (KernelMeasurements.MemRow r : rows) {
            double ns = CalibratedClock.memoryNs(c, r.op(), r.elements(), r.bytes(), 1);
            sum += Math.abs(Math.log(ns / (r.kernelUs() * 1e3)));
        }
        return sum;
    }

    private static Calibration withOp(Calibration c, MemoryOp op, Calibration.MemoryFit fit) {
        Map<MemoryOp, Calibration.MemoryFit> memory = new EnumMap<>(c.memory());
        memory.put(op, fit);
        return new Calibration(c.gemm(), memory, c.hbmBytesPerSecond(), c.l2Bytes(), c.l2BytesPerSecond(),
                c.launch(), c.links());
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
