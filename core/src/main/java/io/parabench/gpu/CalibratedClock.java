package io.parabench.gpu;

/**
 * Virtual durations from a {@link Calibration}: the clock of the presets and of specs fitted by
 * {@link DeviceFit}. Durations are what a profiler shows as a kernel's device time on the real
 * GPU; launch gaps, host issue and contention between streams are the {@link Device}'s business.
 *
 * <ul>
 *   <li><b>GEMM</b> ({@link KernelCost#gemm()} set): tile and (partial) wave quantisation over the SMs
 *       granted, k depth through a per-tile overhead, split-k when the tiles cannot fill the SMs,
 *       a small-shape floor, the clock drop of sustained load and cuBLAS' workspace memset, as
 *       {@link Calibration.GemmFit} says; never
 *       faster than moving its bytes at the HBM rate.</li>
 *   <li><b>Memory-bound kernel</b> on HBM: {@link Calibration.MemoryFit} of its {@link MemoryOp};
 *       working sets up to the L2 size run at the L2 rate. A stream granted part of the SMs gets
 *       that share of the bandwidth (not measured; the roofline's rule).</li>
 *   <li><b>Transfer</b> over NVLink or the network (a communication kernel or a copy):
 *       {@code latency + bytes ÷ (link bandwidth per direction × efficiency)}.</li>
 * </ul>
 * Whole nanoseconds, rounded up, from the spec and the cost alone. Stateless and thread-safe.
 */
public final class CalibratedClock {
    /** Output tile sizes cuBLAS/cuBLASLt picks from on Hopper, largest first. */
    static final int[][] TILES = {{256, 128}, {128, 128}, {128, 64}, {64, 64}, {64, 32}, {32, 32}};
    /** Split-k keeps at least this much of k per split (shallower splits do not pay off). */
    static final int SPLIT_K_MIN_DEPTH = 512;

    private CalibratedClock() {
    }

    /**
     * Duration of a kernel given {@code sms} SMs on a device with a calibration.
     *
     * @throws IllegalArgumentException if sms is not in 1..numSms or the spec has no calibration
     */
    public static long kernelNs(DeviceSpec spec, KernelCost cost, int sms) {
        Calibration c = calibration(spec);
        if (sms < 1 || sms > spec.numSms()) {
            throw new IllegalArgumentException("kernel SMs (" + sms + ") must be in 1.." + spec.numSms()
                    + "; a stream with 0 SMs can only copy");
        }
        double ns;
        if (cost.path() != MemoryPath.HBM) {
            ns = transferNs(spec, c, cost.bytes(), cost.path());
        } else if (cost.gemm() != null) {
            ns = gemmNs(c, spec.numSms(), cost.gemm(), cost.precision(), cost.bytes(), sms);
        } else {
            ns = memoryNs(c, cost.op(), cost.elements(), cost.bytes(), (double) sms / spec.numSms());
            if (cost.flops() > 0) {
                // CUDA-core arithmetic beyond what the kind's element rate already holds
                ns = Math.max(ns, cost.flops() / (spec.fp32FlopsPerSm() * sms) * 1e9);
            }
        }
        return ceil(ns);
    }

    /** Duration of a copy engine moving {@code bytes} over {@code path} (HBM: a device-local copy). */
    public static long copyNs(DeviceSpec spec, long bytes, MemoryPath path) {
        Calibration c = calibration(spec);
        if (bytes < 0) {
            throw new IllegalArgumentException("copy bytes (" + bytes + ") must be >= 0");
        }
        if (path == MemoryPath.HBM) {
            // a copy reads and writes every byte
            return ceil(memoryNs(c, MemoryOp.COPY, bytes / 4, 2 * bytes, 1));
        }
        return ceil(transferNs(spec, c, bytes, path));
    }

    /** GEMM duration in ns (fractional) on {@code sms} of a {@code deviceSms}-SM device. */
    static double gemmNs(Calibration c, int deviceSms, GemmShape shape, Precision precision, long bytes, int sms) {
        Calibration.GemmFit fit = c.gemm().get(precision);
        double best = Double.POSITIVE_INFINITY;
        double efficiency = 1;
        int k = shape.k();
        for (int[] tile : TILES) {
            long tiles = shape.tiles(tile[0], tile[1]);
            if (tiles == 0) {
                best = 0;
                break;
            }
            long split = 1;
            if (tiles < sms) {
                split = Math.max(1, Math.min(sms / tiles, k / SPLIT_K_MIN_DEPTH));
            }
            double exact = (double) (tiles * split) / sms;
            double full = Math.floor(exact);
            double partial = exact - full;
            double waves = full + (partial > 0 ? fit.waveTail() + (1 - fit.waveTail()) * partial : 0);
            // the fit's peak is for all SMs of the device it was measured on; a tile runs on one SM
            double tileFlopsPerNs = fit.peakFlops() / deviceSms * efficiency / 1e9;
            double ns = waves * (fit.tileOverheadNs() + 2.0 * tile[0] * tile[1] * ((double) k / split) / tileFlopsPerNs);
            best = Math.min(best, ns);
            efficiency *= fit.smallTileEfficiency();
        }
        double memoryNs = bytes / c.hbmBytesPerSecond() * 1e9;
        double memset = shape.flops() >= fit.memsetAboveFlops() ? fit.memsetNs() : 0;
        double busy = Math.max(best, memoryNs);
        busy *= 1 + fit.throttle() * busy / (busy + fit.throttleNs());
        return fit.floorNs() + busy + memset;
    }

    /** Memory-bound kernel duration in ns (fractional) with {@code bandwidthShare} of the device's bandwidth. */
    static double memoryNs(Calibration c, MemoryOp op, long elements, long bytes, double bandwidthShare) {
        Calibration.MemoryFit fit = c.memory().get(op);
        double bandwidth = (bytes <= c.l2Bytes() ? c.l2BytesPerSecond() : c.hbmBytesPerSecond())
                * fit.bandwidthFraction() * bandwidthShare;
        return fit.minNs() + Math.max(bytes / bandwidth * 1e9, elements / fit.elementsPerSecond() * 1e9);
    }

    static double transferNs(DeviceSpec spec, Calibration c, long bytes, MemoryPath path) {
        return c.links().latencyNs() + bytes / (spec.bytesPerSecond(path) * c.links().efficiency()) * 1e9;
    }

    private static Calibration calibration(DeviceSpec spec) {
        if (spec.calibration() == null) {
            throw new IllegalArgumentException("device " + spec.name() + " has no calibration; time it with the roofline");
        }
        return spec.calibration();
    }

    private static long ceil(double ns) {
        return (long) Math.ceil(ns);
    }
}
