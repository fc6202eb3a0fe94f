package io.parabench.gpu;

import io.parabench.trace.DeviceProperties;

/**
 * What the clock knows about a device: its SMs, the peak FLOP/s of one SM per precision, the
 * bandwidths of its memory and links, its memory size, a fixed launch overhead per kernel, and
 * optionally a {@link Calibration} fitted to kernels measured on the real GPU. With a calibration
 * the device is timed by the {@link CalibratedClock} (and streams contend, see {@link Device});
 * without one by the datasheet {@link RooflineCostModel}, whose launch overhead is
 * {@code launchOverheadNs}.
 *
 * <p>Datasheet figures of the GPU presets (NVIDIA H100 Tensor Core GPU datasheet, SXM5 column;
 * H800 SXM5 product brief; H200 datasheet, SXM column): dense tensor-core peaks (the datasheets'
 * "with sparsity" figures halved) divided evenly over 132 SMs; NVLink per direction, half of the
 * datasheets' two-direction totals (900 GB/s → 450, H800's 400 → 200). The network figure is one
 * 400 Gb/s InfiniBand NIC per GPU, as in DeepSeek-V3's H800 cluster (50 GB/s a direction).
 *
 * <p>Calibrations of the presets: {@code h200} is fitted to {@code gpu-kernels/h200-kernels.json}
 * (one H200 SXM, PyTorch 2.11, CUDA 13.0) by {@link DeviceFit}. H100 and H800 are the same GH100
 * chip with the same 132 SMs, clocks and L2 (50 MB), so GEMM and launch parameters are the
 * H200's; they differ in memory: HBM3 at 3.35 TB/s instead of HBM3e at 4.8 TB/s, so streaming
 * rates are scaled by 3.35/4.8 (unmeasured: the H200's achieved fraction of the datasheet figure is
 * assumed), and 80 GB instead of 141 GB. The H800 differs from the H100 only in NVLink (400 GB/s
 * total, the export variant), which changes link time alone.
 *
 * @param name                  device name written to the trace's {@code deviceProperties}
 * @param numSms                streaming multiprocessors
 * @param fp32FlopsPerSm        FP32 FLOP/s of one SM
 * @param bf16FlopsPerSm        dense BF16 tensor FLOP/s of one SM
 * @param fp8FlopsPerSm         dense FP8 tensor FLOP/s of one SM
 * @param memoryBytes           device memory capacity
 * @param hbmBytesPerSecond     device memory bandwidth
 * @param nvlinkBytesPerSecond  NVLink bandwidth per GPU, one direction
 * @param networkBytesPerSecond inter-node network bandwidth per GPU, one direction
 * @param launchOverheadNs      added to every kernel and copy by the roofline
 * @param calibration           the fitted clock's parameters, or null to time with the roofline
 */
public record DeviceSpec(String name, int numSms, double fp32FlopsPerSm, double bf16FlopsPerSm,
                         double fp8FlopsPerSm, long memoryBytes, double hbmBytesPerSecond,
                         double nvlinkBytesPerSecond, double networkBytesPerSecond, long launchOverheadNs,
                         Calibration calibration) {

    private static final int HOPPER_SMS = 132;
    private static final double FP32_TOTAL = 67e12;
    private static final double BF16_DENSE_TOTAL = 989.5e12;
    private static final double FP8_DENSE_TOTAL = 1979e12;
    private static final long GB = 1_000_000_000L;
    private static final long LAUNCH_NS = 2_000;

    public DeviceSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("device spec name must not be blank");
        }
        if (numSms < 1) {
            throw new IllegalArgumentException("numSms (" + numSms + ") must be >= 1");
        }
        positive("fp32FlopsPerSm", fp32FlopsPerSm);
        positive("bf16FlopsPerSm", bf16FlopsPerSm);
        positive("fp8FlopsPerSm", fp8FlopsPerSm);
        positive("memoryBytes", memoryBytes);
        positive("hbmBytesPerSecond", hbmBytesPerSecond);
        positive("nvlinkBytesPerSecond", nvlinkBytesPerSecond);
        positive("networkBytesPerSecond", networkBytesPerSecond);
        if (launchOverheadNs < 0) {
            throw new IllegalArgumentException("launchOverheadNs (" + launchOverheadNs + ") must be >= 0");
        }
    }

    /** A spec timed by the roofline (no calibration). */
    public DeviceSpec(String name, int numSms, double fp32FlopsPerSm, double bf16FlopsPerSm, double fp8FlopsPerSm,
                      long memoryBytes, double hbmBytesPerSecond, double nvlinkBytesPerSecond,
                      double networkBytesPerSecond, long launchOverheadNs) {
        this(name, numSms, fp32FlopsPerSm, bf16FlopsPerSm, fp8FlopsPerSm, memoryBytes, hbmBytesPerSecond,
                nvlinkBytesPerSecond, networkBytesPerSecond, launchOverheadNs, null);
    }

    /** This device timed by the datasheet roofline instead of its calibration. */
    public DeviceSpec withoutCalibration() {
        return new DeviceSpec(name, numSms, fp32FlopsPerSm, bf16FlopsPerSm, fp8FlopsPerSm, memoryBytes,
                hbmBytesPerSecond, nvlinkBytesPerSecond, networkBytesPerSecond, launchOverheadNs, null);
    }

    /** This device timed by {@code fitted} (null: the roofline). */
    public DeviceSpec withCalibration(Calibration fitted) {
        return new DeviceSpec(name, numSms, fp32FlopsPerSm, bf16FlopsPerSm, fp8FlopsPerSm, memoryBytes,
                hbmBytesPerSecond, nvlinkBytesPerSecond, networkBytesPerSecond, launchOverheadNs, fitted);
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " (" + value + ") must be a positive finite number");
        }
    }

    /** NVIDIA H800 SXM5: H100 compute and HBM3 (80 GB, 3.35 TB/s), NVLink cut to 200 GB/s a direction. */
    public static DeviceSpec h800() {
        return hopper("NVIDIA H800", 80 * GB, 3.35e12, 200e9, HopperCalibration.H200.withHbmScaled(3.35 / 4.8));
    }

    /** NVIDIA H100 SXM5: 80 GB HBM3 at 3.35 TB/s, NVLink 450 GB/s a direction. */
    public static DeviceSpec h100() {
        return hopper("NVIDIA H100", 80 * GB, 3.35e12, 450e9, HopperCalibration.H200.withHbmScaled(3.35 / 4.8));
    }

    /** NVIDIA H200 SXM: H100 compute, 141 GB HBM3e at 4.8 TB/s, NVLink 450 GB/s a direction. */
    public static DeviceSpec h200() {
        return hopper("NVIDIA H200", 141 * GB, 4.8e12, 450e9, HopperCalibration.H200);
    }

    private static DeviceSpec hopper(String name, long memory, double hbm, double nvlink, Calibration calibration) {
        return new DeviceSpec(name, HOPPER_SMS, FP32_TOTAL / HOPPER_SMS, BF16_DENSE_TOTAL / HOPPER_SMS,
                FP8_DENSE_TOTAL / HOPPER_SMS, memory, hbm, nvlink, 50e9, LAUNCH_NS, calibration);
    }

    /**
     * This host as a device: one "SM" per core (2 here), each running the Vector API GEMM at the
     * single-thread rate measured by {@code GemmBenchmark} at 1024³ (about 90 GFLOP/s on one
     * Zen 4 core; the host has no faster BF16/FP8 path, so all precisions share it); memory
     * bandwidth from {@code KernelBenchmark.add} on arrays past the caches (15–25 GB/s measured,
     * 20 used); copies between "devices" are host memcpys at that rate. Launch overhead is a task
     * hand-off to a pool thread, ~10 µs. Measured on a machine shared with other builds: rough.
     * Fixed on purpose, so traces do not depend on the host; {@link HostCalibration} measures
     * the current machine instead.
     */
    public static DeviceSpec host() {
        double gemmPerCore = 90e9;
        double memory = 20e9;
        return new DeviceSpec("host", 2, gemmPerCore, gemmPerCore, gemmPerCore, 8L * 1024 * 1024 * 1024,
                memory, memory, memory, 10_000);
    }

    /** A preset by name: {@code h800}, {@code h100}, {@code h200} or {@code host}. */
    public static DeviceSpec preset(String name) {
        switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
            case "h800":
                return h800();
            case "h100":
                return h100();
            case "h200":
                return h200();
            case "host":
                return host();
            default:
                throw new IllegalArgumentException("device preset (" + name + ") must be one of h800, h100, h200, host");
        }
    }

    /** Peak FLOP/s of one SM in {@code precision}. */
    public double flopsPerSm(Precision precision) {
        switch (precision) {
            case FP32:
                return fp32FlopsPerSm;
            case TF32:
                // dense TF32 tensor peak is half the BF16 one on Hopper (494.7 vs 989.5 TFLOP/s)
                return bf16FlopsPerSm / 2;
            case BF16:
                return bf16FlopsPerSm;
            case FP8:
                return fp8FlopsPerSm;
            default:
                throw new IllegalArgumentException("precision " + precision);
        }
    }

    /** Bandwidth of {@code path} in bytes per second. */
    public double bytesPerSecond(MemoryPath path) {
        switch (path) {
            case HBM:
                return hbmBytesPerSecond;
            case NVLINK:
                return nvlinkBytesPerSecond;
            case NETWORK:
                return networkBytesPerSecond;
            default:
                throw new IllegalArgumentException("memory path " + path);
        }
    }

    /** This spec as the trace's {@code deviceProperties} entry of device {@code id}. */
    public DeviceProperties properties(int id) {
        return new DeviceProperties(id, name, numSms);
    }
}
