package io.parabench.gpu;

import java.util.EnumMap;
import java.util.Map;

/**
 * The fitted clock parameters of the Hopper presets: {@link DeviceFit} run on
 * {@code gpu-kernels/h200-kernels.json} from {@link #START} (regenerate with
 * {@code ./parabench device fit ../shared/data/gpu-kernels/h200-kernels.json --out h200.json};
 * {@code DeviceFitTest} checks that the two agree).
 */
final class HopperCalibration {
    private HopperCalibration() {
    }

    /** L2 of GH100 (H100/H200 datasheets: 50 MB). */
    private static final long L2_BYTES = 50_000_000L;

    /**
     * Links, not in the kernel file: one 32 MiB activation point-to-point took 0.151 ms between two
     * H200s of one node ({@code gpu-traces/README.md}). With 450 GB/s a direction and an assumed
     * 5 µs per transfer (NCCL's small-message latency; one size was measured, so latency and rate
     * cannot both be fitted) that is 51% of the link. Copy engines: not measured; 3 as
     * {@code asyncEngineCount} reports on Hopper boards.
     */
    static final Calibration.LinkFit LINKS = new Calibration.LinkFit(5_000,
            (32 << 20) / ((151_000 - 5_000) * 1e-9) / 450e9, 3);

    /** Where fits start: round datasheet-like figures (the fit does not depend much on them). */
    static final Calibration START = calibration(
            new double[][] {
                    {50e12, 1000, 2000, 0.9, 0.9, 0.1, 1e6, 1e10, 1000},
                    {400e12, 1000, 2000, 0.9, 0.9, 0.1, 1e6, 1e10, 1000},
                    {800e12, 1000, 2000, 0.9, 0.9, 0.1, 1e6, 1e10, 1000},
                    {1500e12, 1000, 2000, 0.9, 0.9, 0.1, 1e6, 1e10, 1000}},
            new double[][] {
                    {900, 1e12, 0.9}, {900, 1e12, 0.9}, {1000, 1e12, 0.9},
                    {1100, 1e12, 0.9}, {1600, 1e12, 0.9}, {2400, 1e12, 0.9}},
            4.2e12, 8e12, new Calibration.LaunchFit(200, 8_000, 1_100));

    /**
     * Fitted to one H200 SXM (values rounded to four digits; memset thresholds exact: they are FLOP counts of measured shapes). GEMM: peak, tile overhead, floor,
     * small-tile efficiency, wave tail, throttle, throttle time, memset threshold, memset; memory: min, element rate, bandwidth fraction.
     */
    static final Calibration H200 = calibration(
            new double[][] {
                    {51.63e12, 0, 3918, 0.8853, 1.0, 0, 6.010e6, Double.MAX_VALUE, 1000},
                    {414.5e12, 3856, 5694, 0.9997, 0.1058, 0.9824, 30.35e6, 9.0194313216e10, 1000},
                    {824.0e12, 1249, 2489, 0.9493, 0.2016, 0.2298, 2.943e6, 1.20259084288e11, 1000},
                    {1508e12, 1114, 3255, 0.9387, 0.2637, 0.3032, 4.614e6, 3.4359738368e10, 1000}},
            new double[][] {
                    {905.9, 4.436e12, 0.9428}, {878.3, 1.136e12, 0.9980}, {1058, 0.8933e12, 0.9634},
                    {1275, 0.8100e12, 0.9148}, {1621, 0.6319e12, 0.9614}, {2473, 1.596e12, 0.8387}},
            4.413e12, 8.781e12, new Calibration.LaunchFit(166.6, 8365, 1095));

    /** gemm rows in {@link Precision} order, memory rows in {@link MemoryOp} order. */
    static Calibration calibration(double[][] gemm, double[][] memory, double hbm, double l2, Calibration.LaunchFit launch) {
        Map<Precision, Calibration.GemmFit> g = new EnumMap<>(Precision.class);
        for (Precision p : Precision.values()) {
            double[] v = gemm[p.ordinal()];
            g.put(p, new Calibration.GemmFit(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
        }
        Map<MemoryOp, Calibration.MemoryFit> m = new EnumMap<>(MemoryOp.class);
        for (MemoryOp op : MemoryOp.values()) {
            double[] v = memory[op.ordinal()];
            m.put(op, new Calibration.MemoryFit(v[0], v[1], v[2]));
        }
        return new Calibration(g, m, hbm, L2_BYTES, l2, launch, LINKS);
    }
}
