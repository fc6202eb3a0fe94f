package io.parabench.gpu;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;

/**
 * The two-stream runs of a measurement file's {@code contention[]} rows, replayed timing-only on
 * an emulated device: ten BF16 8192³ GEMMs on one stream beside ten 1 GiB FP32 copies on another,
 * and ten such GEMMs on each of two streams. Both streams are {@link Device#sharedStream() shared},
 * as two PyTorch streams are, and work is issued alternately (A, B, A, B, …), as a host thread
 * feeding two streams does. Each run starts on a fresh device.
 */
public final class ContentionRuns {
    private static final int REPEATS = 10;
    private static final int GEMM = 8192;
    /** 1 GiB of FP32. */
    private static final int COPY_ROWS = 16384;
    private static final int COPY_COLS = 16384;

    private ContentionRuns() {
    }

    /**
     * GEMMs beside copies, µs: {gemm alone, copy alone, gemm stream together, copy stream together}.
     */
    public static double[] gemmBesideCopy(DeviceSpec spec) {
        double gemmAlone = run(spec, true, false);
        double copyAlone = run(spec, false, true);
        Device d = device(spec);
        Stream a = d.sharedStream();
        Stream b = d.sharedStream();
        Tensor[] g = gemmOperands(d);
        Tensor src = d.allocate("src", COPY_ROWS, COPY_COLS);
        Tensor dst = d.allocate("dst", COPY_ROWS, COPY_COLS);
        for (int i = 0; i < REPEATS; i++) {
            a.gemm(GemmLayout.FORWARD, g[0], g[1], g[2], false, Precision.BF16);
            b.copy(src, dst, MemoryPath.HBM);
        }
        return new double[] {gemmAlone, copyAlone, a.readyNs() / 1e3, b.readyNs() / 1e3};
    }

    /** The same GEMMs on two streams, µs: {one stream alone, stream a together, stream b together}. */
    public static double[] twoGemmStreams(DeviceSpec spec) {
        double alone = run(spec, true, false);
        Device d = device(spec);
        Stream a = d.sharedStream();
        Stream b = d.sharedStream();
        Tensor[] ga = gemmOperands(d);
        Tensor[] gb = gemmOperands(d);
        for (int i = 0; i < REPEATS; i++) {
            a.gemm(GemmLayout.FORWARD, ga[0], ga[1], ga[2], false, Precision.BF16);
            b.gemm(GemmLayout.FORWARD, gb[0], gb[1], gb[2], false, Precision.BF16);
        }
        return new double[] {alone, a.readyNs() / 1e3, b.readyNs() / 1e3};
    }

    private static double run(DeviceSpec spec, boolean gemm, boolean copy) {
        Device d = device(spec);
        Stream s = d.sharedStream();
        Tensor[] g = gemmOperands(d);
        Tensor src = d.allocate("src", COPY_ROWS, COPY_COLS);
        Tensor dst = d.allocate("dst", COPY_ROWS, COPY_COLS);
        for (int i = 0; i < REPEATS; i++) {
            if (gemm) {
                s.gemm(GemmLayout.FORWARD, g[0], g[1], g[2], false, Precision.BF16);
            }
            if (copy) {
                s.copy(src, dst, MemoryPath.HBM);
            }
        }
        return s.readyNs() / 1e3;
    }

    private static Device device(DeviceSpec spec) {
        return new Device(0, spec, HostPool.SERIAL, null, Emulation.timingOnly(Precision.FP32));
    }

    private static Tensor[] gemmOperands(Device d) {
        return new Tensor[] {d.allocate("x", GEMM, GEMM), d.allocate("w", GEMM, GEMM), d.allocate("y", GEMM, GEMM)};
    }
}
