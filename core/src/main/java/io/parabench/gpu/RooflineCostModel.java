package io.parabench.gpu;

/**
 * Virtual durations from the roofline model (Williams, Waterman &amp; Patterson, "Roofline",
 * CACM 2009), per kernel:
 * <pre>
 *   duration = max(flops ÷ (FLOP/s per SM × SMs granted), bytes ÷ bandwidth share) + launch overhead
 * </pre>
 * The bandwidth share of HBM traffic is the granted fraction of the device's SMs (memory-bound
 * kernels scale with the SMs issuing loads); link traffic (NVLink, network) gets the whole link,
 * because a few SMs keep a link busy (DeepSeek-V3 drives IB and NVLink with 20 SMs). A copy
 * (copy engine, no SMs) takes {@code bytes ÷ path bandwidth + launch overhead}.
 *
 * <p>Durations are whole nanoseconds, rounded up, computed from the spec and the cost alone:
 * never from host time. Stateless and thread-safe.
 */
public final class RooflineCostModel {
    private RooflineCostModel() {
    }

    /**
     * Duration of a kernel given {@code sms} SMs on a {@code spec} device.
     *
     * @throws IllegalArgumentException if sms is not in 1..numSms
     */
    public static long kernelNs(DeviceSpec spec, KernelCost cost, int sms) {
        if (sms < 1 || sms > spec.numSms()) {
            throw new IllegalArgumentException("kernel SMs (" + sms + ") must be in 1.." + spec.numSms()
                    + "; a stream with 0 SMs can only copy");
        }
        double computeSeconds = cost.flops() / (spec.flopsPerSm(cost.precision()) * sms);
        double bandwidth = spec.bytesPerSecond(cost.path());
        if (cost.path() == MemoryPath.HBM) {
            bandwidth = bandwidth * sms / spec.numSms();
        }
        double memorySeconds = cost.bytes() / bandwidth;
        return ceilNs(Math.max(computeSeconds, memorySeconds)) + spec.launchOverheadNs();
    }

    /** Duration of a copy engine moving {@code bytes} over {@code path}. */
    public static long copyNs(DeviceSpec spec, long bytes, MemoryPath path) {
        if (bytes < 0) {
            throw new IllegalArgumentException("copy bytes (" + bytes + ") must be >= 0");
        }
        return ceilNs(bytes / spec.bytesPerSecond(path)) + spec.launchOverheadNs();
    }

    private static long ceilNs(double seconds) {
        return (long) Math.ceil(seconds * 1e9);
    }
}
