package io.parabench.gpu;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.kernels.KernelProvider;
import io.parabench.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks what the calibration returns and that its GEMM check catches wrong products; never how fast anything is. */
class HostCalibrationTest {
    /** Small sizes and short budgets: the test checks shape and consistency, not speed. */
    private static final HostCalibration.Settings QUICK =
            new HostCalibration.Settings(48, 1 << 20, 20_000_000L, 10_000_000L, 2);

    @Test
    void calibratedSpecHasOneSmPerProcessorAndPositiveFiniteFigures() {
        HostCalibration.Result result = HostCalibration.calibrate(QUICK);
        HostCalibration.Figures f = result.figures();
        DeviceSpec spec = result.spec();

        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(processors, f.threads());
        assertEquals(processors, spec.numSms());
        assertEquals(HostCalibration.SPEC_NAME, spec.name());
        assertEquals(KernelProvider.get().name(), f.kernels());
        assertEquals(48, f.gemmSize());
        for (double v : new double[]{f.gemmGflopsOneThread(), f.gemmGflopsAllThreads(), f.streamGbPerSecond(),
                f.elapsedSeconds(), spec.fp32FlopsPerSm(), spec.hbmBytesPerSecond()}) {
            assertTrue(v > 0 && Double.isFinite(v), "figure " + v + " must be positive and finite");
        }
        assertTrue(f.launchOverheadUs() >= 0 && Double.isFinite(f.launchOverheadUs()));
        assertEquals(spec.fp32FlopsPerSm(), spec.bf16FlopsPerSm(), "host has no faster BF16 path");
        assertEquals(spec.fp32FlopsPerSm(), spec.fp8FlopsPerSm(), "host has no faster FP8 path");
    }

    @Test
    void specIsTheAllThreadRateSpreadOverTheCores() {
        // 2 threads reaching 150 GFLOP/s together (100 alone), 20 GB/s, 8.5 µs hand-off
        HostCalibration.Figures f = new HostCalibration.Figures("scalar", 2, 512, 100, 150, 32 << 20, 20, 8.5, 2);
        DeviceSpec spec = HostCalibration.spec(f);
        assertEquals(2, spec.numSms());
        assertEquals(75e9, spec.fp32FlopsPerSm(), 1);
        assertEquals(75e9, spec.fp8FlopsPerSm(), 1);
        assertEquals(20e9, spec.hbmBytesPerSecond(), 1);
        assertEquals(20e9, spec.bytesPerSecond(MemoryPath.NVLINK), 1);
        assertEquals(8_500, spec.launchOverheadNs());
        assertEquals(0.75, f.scalingEfficiency(), 1e-12);
    }

    @Test
    void gemmCheckAcceptsHandComputedProductAndRejectsOneWrongElement() {
        // C = A·Bᵀ with A = [[1,2],[3,4]], B stored as rows [5,6] and [7,8]
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        HostCalibration.checkForwardGemm(2, a, b, new float[]{17, 23, 39, 53});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HostCalibration.checkForwardGemm(2, a, b, new float[]{17, 23, 39, 54}));
        assertTrue(e.getMessage().contains("C[1][1] = 54.0, expected 53.0"), e.getMessage());
    }

    @Test
    void gemmCheckAgreesWithBothTwinsOnAnAwkwardSize() {
        int n = 37; // prime: partial micro-tiles in both directions
        Random random = new Random(37);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
            b[i] = random.nextFloat() - 0.5f;
        }
        for (Kernels kernels : new Kernels[]{KernelProvider.scalar(), KernelProvider.get()}) {
            float[] c = new float[n * n];
            kernels.gemm(HostPool.SERIAL, GemmLayout.FORWARD, n, n, n, a, b, c, false);
            HostCalibration.checkForwardGemm(n, a, b, c);
            c[n * n - 1] = Math.nextUp(c[n * n - 1]); // one ulp off in a corner the check always samples
            assertThrows(IllegalStateException.class, () -> HostCalibration.checkForwardGemm(n, a, b, c));
        }
    }

    @Test
    void settingsNameTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HostCalibration.Settings(0, 1 << 20, 0, 0, 1));
        assertEquals("gemmSize (0) must be in 1..4096", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HostCalibration.Settings(8, 1 << 20, 0, 0, 0));
    }
}
