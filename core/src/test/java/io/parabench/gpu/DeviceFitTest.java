package io.parabench.gpu;

import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fitting the shared H200 file reproduces the h200 preset, whose numbers were copied from a fit. */
class DeviceFitTest {
    @Test
    void shouldReproduceTheH200PresetFromTheSharedMeasurements() {
        KernelMeasurements m = KernelMeasurements.read(SharedData.require("gpu-kernels/h200-kernels.json"));
        DeviceSpec fitted = DeviceFit.fit(m, DeviceSpec.h200().withCalibration(HopperCalibration.START));
        DeviceSpec preset = DeviceSpec.h200();
        assertEquals("NVIDIA H200", fitted.name());
        for (KernelMeasurements.GemmRow r : m.gemm()) {
            KernelCost cost = KernelCost.gemm(r.shape(), r.precision(), r.bytes());
            assertEquals(1, (double) CalibratedClock.kernelNs(fitted, cost, 132) / CalibratedClock.kernelNs(preset, cost, 132),
                    0.01, r.toString());
        }
        for (KernelMeasurements.MemRow r : m.mem()) {
            KernelCost cost = KernelCost.memory(r.op(), r.elements(), 0, r.bytes());
            assertEquals(1, (double) CalibratedClock.kernelNs(fitted, cost, 132) / CalibratedClock.kernelNs(preset, cost, 132),
                    0.01, r.toString());
        }
        assertEquals(8365, fitted.calibration().launch().eagerLaunchNs(), 1);
    }
}
