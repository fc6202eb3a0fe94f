package io.parabench.gpu;

import java.util.EnumMap;
import java.util.Map;

/**
 * The named parameters of the {@link CalibratedClock}: what was fitted to kernels measured on a
 * real GPU ({@link DeviceFit}) rather than read off a datasheet. A {@link DeviceSpec} holding a
 * calibration is timed by that clock; one without is timed by the {@link RooflineCostModel}.
 *
 * @param gemm              per precision, how GEMMs turn shape into time
 * @param memory            per kind of memory-bound kernel, its floor, element rate and bandwidth share
 * @param hbmBytesPerSecond bandwidth a streaming kernel achieves on working sets larger than L2
 * @param l2Bytes           working sets up to this size stay in L2 between back-to-back kernels
 * @param l2BytesPerSecond  bandwidth achieved on such L2-resident working sets
 * @param launch            device-side gaps and host launch rates
 * @param links             point-to-point transfers and copy engines
 */
public record Calibration(Map<Precision, GemmFit> gemm, Map<MemoryOp, MemoryFit> memory, double hbmBytesPerSecond,
                          long l2Bytes, double l2BytesPerSecond, LaunchFit launch, LinkFit links) {

    public Calibration {
        if (gemm == null || memory == null || launch == null || links == null) {
            throw new IllegalArgumentException("calibration parts must not be null");
        }
        for (Precision p : Precision.values()) {
            if (!gemm.containsKey(p)) {
                throw new IllegalArgumentException("calibration gemm." + p.label() + " is missing");
            }
        }
        for (MemoryOp op : MemoryOp.values()) {
            if (!memory.containsKey(op)) {
                throw new IllegalArgumentException("calibration mem." + op.label() + " is missing");
            }
        }
        positive("hbm_bytes_per_s", hbmBytesPerSecond);
        positive("l2_bytes", l2Bytes);
        positive("l2_bytes_per_s", l2BytesPerSecond);
        gemm = Map.copyOf(new EnumMap<>(gemm));
        memory = Map.copyOf(new EnumMap<>(memory));
    }

    static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " (" + value + ") must be a positive finite number");
        }
    }

    static void nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " (" + value + ") must be a finite number >= 0");
        }
    }

    /**
     * How one precision's GEMMs run. A GEMM is cut into output tiles; cuBLAS picks, among tile
     * sizes from 256×128 down to 32×32, the one that finishes first, each smaller size running at
     * {@code smallTileEfficiency} of the next larger (less reuse per loaded byte); tiles run in
     * waves of one tile per SM, a wave taking {@code tileOverheadNs} (prologue and epilogue, the
     * k-depth effect) plus the tile's FLOPs at {@code peakFlops ÷ SMs}. A partial last wave costs
     * {@code waveTail} of a full one (1: classic wave quantisation; less when persistent
     * stream-k kernels spread the last tiles' k loop over the idle SMs). Too few tiles to fill the
     * SMs are split along k. Every call also pays {@code floorNs} (the small-shape floor), and
     * calls of at least {@code memsetAboveFlops} FLOPs a {@code memsetNs} workspace memset.
     * Sustained load lowers the clock (the power cap): a GEMM busy for {@code t} runs
     * {@code 1 + throttle·t ÷ (t + throttleNs)} times slower, so long GEMMs approach
     * {@code 1 + throttle}.
     *
     * @param peakFlops           achieved FLOP/s of the whole device on large tiles
     * @param tileOverheadNs      fixed time of one tile per wave
     * @param floorNs             fixed time of every call
     * @param smallTileEfficiency throughput of a tile relative to the next larger tile size, in (0, 1]
     * @param waveTail            cost of a partial last wave relative to a full one, in [0, 1]
     * @param throttle            slowdown approached under sustained load, in [0, 1]
     * @param throttleNs          busy time at which half of that slowdown is reached
     * @param memsetAboveFlops    calls with at least this many FLOPs add the workspace memset
     * @param memsetNs            duration of cuBLAS' workspace memset
     */
    public record GemmFit(double peakFlops, double tileOverheadNs, double floorNs, double smallTileEfficiency,
                          double waveTail, double throttle, double throttleNs, double memsetAboveFlops,
                          double memsetNs) {
        public GemmFit {
            positive("peak_flops", peakFlops);
            nonNegative("tile_overhead_ns", tileOverheadNs);
            nonNegative("floor_ns", floorNs);
            if (!(smallTileEfficiency > 0 && smallTileEfficiency <= 1)) {
                throw new IllegalArgumentException("small_tile_efficiency (" + smallTileEfficiency + ") must be in (0, 1]");
            }
            if (!(waveTail >= 0 && waveTail <= 1)) {
                throw new IllegalArgumentException("wave_tail (" + waveTail + ") must be in [0, 1]");
            }
            if (!(throttle >= 0 && throttle <= 1)) {
                throw new IllegalArgumentException("throttle (" + throttle + ") must be in [0, 1]");
            }
            positive("throttle_ns", throttleNs);
            positive("memset_above_flops", memsetAboveFlops);
            nonNegative("memset_ns", memsetNs);
        }
    }

    /**
     * How one kind of memory-bound kernel runs:
     * {@code minNs + max(bytes ÷ (bandwidth × bandwidthFraction), elements ÷ elementsPerSecond)},
     * the bandwidth being L2's or HBM's by working-set size.
     *
     * @param minNs             duration of the smallest call (launch, one wave, tail)
     * @param elementsPerSecond the kind's instruction-bound element rate (math or reduction bound)
     * @param bandwidthFraction share of the streaming bandwidth this kind achieves, in (0, 1]
     */
    public record MemoryFit(double minNs, double elementsPerSecond, double bandwidthFraction) {
        public MemoryFit {
            nonNegative("min_ns", minNs);
            positive("elements_per_s", elementsPerSecond);
            if (!(bandwidthFraction > 0 && bandwidthFraction <= 1)) {
                throw new IllegalArgumentException("bandwidth_fraction (" + bandwidthFraction + ") must be in (0, 1]");
            }
        }
    }

    /**
     * Launches. Back-to-back kernels on one stream are {@code kernelGapNs} apart on the device; the
     * host issues one kernel per {@code eagerLaunchNs} in eager mode or per {@code graphLaunchNs}
     * under CUDA-graph replay, and a kernel cannot start before it was issued.
     *
     * @param kernelGapNs   device-side gap between back-to-back kernels of one stream
     * @param eagerLaunchNs host time to issue one kernel eagerly
     * @param graphLaunchNs host time per kernel of a replayed CUDA graph
     */
    public record LaunchFit(double kernelGapNs, double eagerLaunchNs, double graphLaunchNs) {
        public LaunchFit {
            nonNegative("kernel_gap_ns", kernelGapNs);
            nonNegative("eager_launch_ns", eagerLaunchNs);
            nonNegative("graph_launch_ns", graphLaunchNs);
        }
    }

    /**
     * Point-to-point transfers over a link: {@code latencyNs + bytes ÷ (link bandwidth per direction
     * × efficiency)}; at most {@code copyEngines} copies run at once on a device.
     *
     * @param latencyNs   fixed cost of one transfer
     * @param efficiency  achieved share of a link's bandwidth in one direction, in (0, 1]
     * @param copyEngines copies a device runs at once
     */
    public record LinkFit(double latencyNs, double efficiency, int copyEngines) {
        public LinkFit {
            nonNegative("p2p_latency_ns", latencyNs);
            if (!(efficiency > 0 && efficiency <= 1)) {
                throw new IllegalArgumentException("link_efficiency (" + efficiency + ") must be in (0, 1]");
            }
            if (copyEngines < 1) {
                throw new IllegalArgumentException("copy_engines (" + copyEngines + ") must be >= 1");
            }
        }
    }

    /** This calibration on a device whose HBM streams {@code ratio} times as fast (same SMs, same L2). */
    Calibration withHbmScaled(double ratio) {
        return new Calibration(gemm, memory, hbmBytesPerSecond * ratio, l2Bytes, l2BytesPerSecond, launch, links);
    }
}
