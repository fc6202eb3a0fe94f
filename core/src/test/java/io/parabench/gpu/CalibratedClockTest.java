package io.parabench.gpu;

import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calibrated H200 preset against the kernels measured on a real H200 (issue 10's acceptance),
 * and the physical effects it must show on shapes no row measured.
 */
class CalibratedClockTest {
    private static final DeviceSpec H200 = DeviceSpec.h200();

    private static double error(double predictedNs, double measuredUs) {
        return Math.abs(predictedNs / (measuredUs * 1e3) - 1);
    }

    /** p-th percentile by nearest rank: the smallest value with at least p of the values at or below it. */
    private static double percentile(List<Double> sorted, double p) {
        return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }

    @Test
    void shouldPredictEveryGemmPrecisionAndMemOpOfTheSharedFileWithinTheIssuesBounds() {
        KernelMeasurements m = KernelMeasurements.read(SharedData.require("gpu-kernels/h200-kernels.json"));
        for (Precision p : Precision.values()) {
            List<Double> errors = new ArrayList<>();
            for (KernelMeasurements.GemmRow r : m.gemm()) {
                if (r.precision() == p) {
                    errors.add(error(CalibratedClock.kernelNs(H200, KernelCost.gemm(r.shape(), p, r.bytes()), 132),
                            r.kernelUs()));
                }
            }
            Collections.sort(errors);
            assertTrue(errors.size() >= 20, p + " rows");
            assertTrue(percentile(errors, 0.5) <= 0.10, p + " median |error| " + percentile(errors, 0.5));
            assertTrue(percentile(errors, 0.9) <= 0.25, p + " p90 |error| " + percentile(errors, 0.9));
        }
        for (MemoryOp op : MemoryOp.values()) {
            List<Double> errors = new ArrayList<>();
            for (KernelMeasurements.MemRow r : m.mem()) {
                if (r.op() == op) {
                    errors.add(error(CalibratedClock.kernelNs(H200, KernelCost.memory(op, r.elements(), 0, r.bytes()), 132),
                            r.kernelUs()));
                }
            }
            Collections.sort(errors);
            assertEquals(8, errors.size(), op + " rows");
            assertTrue(percentile(errors, 0.5) <= 0.10, op + " median |error| " + percentile(errors, 0.5));
            assertTrue(percentile(errors, 0.9) <= 0.25, op + " p90 |error| " + percentile(errors, 0.9));
        }
    }

    @Test
    void shouldSlowStreamsThatShareTheGpuAsTheMeasuredContentionRowsWithin15Percent() {
        // measured on the H200 (contention[] of h200-kernels.json), µs
        double[] copy = ContentionRuns.gemmBesideCopy(H200);
        assertEquals(1, copy[2] / 19255.58, 0.15, "gemm stream beside copies");
        assertEquals(1, copy[3] / 19389.41, 0.15, "copy stream beside gemms");
        assertTrue(copy[3] > 3 * copy[1], "copies beside a GEMM holding every SM wait for it");
        double[] two = ContentionRuns.twoGemmStreams(H200);
        assertEquals(1, two[1] / 30759.68, 0.15, "gemm stream a beside gemm stream b");
        assertEquals(1, two[2] / 31873.41, 0.15, "gemm stream b beside gemm stream a");
    }

    @Test
    void shouldQuantiseGemmsIntoWavesOfTilesOverTheSms() {
        // 132 tiles of 256×128 fill one wave; one more row needs a second wave of those tiles or a
        // smaller, less efficient tile: either way it costs far more than its share of the FLOPs
        long oneWave = CalibratedClock.kernelNs(H200, KernelCost.gemm(GemmShape.of(256 * 12, 128 * 11, 8192),
                Precision.BF16, 0), 132);
        long twoWaves = CalibratedClock.kernelNs(H200, KernelCost.gemm(GemmShape.of(256 * 12 + 1, 128 * 11, 8192),
                Precision.BF16, 0), 132);
        assertTrue(twoWaves > 1.02 * oneWave, oneWave + " then " + twoWaves + " ns for one more row");
        // the same GEMM on 66 SMs (a stream granted half the device) takes about twice as long
        long half = CalibratedClock.kernelNs(H200, KernelCost.gemm(GemmShape.of(256 * 12, 128 * 11, 8192),
                Precision.BF16, 0), 66);
        assertEquals(2, (double) half / oneWave, 0.2);
        // working sets past L2 stream from HBM: a 64 MB copy is slower per byte than a 16 MB one
        long inL2 = CalibratedClock.copyNs(H200, 8L << 20, MemoryPath.HBM);
        long pastL2 = CalibratedClock.copyNs(H200, 32L << 20, MemoryPath.HBM);
        assertTrue(pastL2 > 4 * inL2 * 0.9 && pastL2 > 4 * (inL2 - 1000), inL2 + " vs " + pastL2);
    }

    @Test
    void shouldMoveAnActivationPointToPointAsMeasuredBetweenTwoH200s() {
        // gpu-traces/README.md: one 32 MiB activation point-to-point took 0.151 ms
        assertEquals(151_000, CalibratedClock.copyNs(H200, 32L << 20, MemoryPath.NVLINK), 1_000);
        // the H800's NVLink carries half as much a direction
        assertTrue(CalibratedClock.copyNs(DeviceSpec.h800(), 32L << 20, MemoryPath.NVLINK) > 1.9 * 146_000);
    }

    @Test
    void shouldRoundTripASpecThroughItsJsonFile() {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (DeviceSpec spec : List.of(DeviceSpec.h200(), DeviceSpec.h800(), DeviceSpec.host())) {
            assertEquals(spec, DeviceSpecFile.of(DeviceSpecFile.toJson(spec, mapper), "test"));
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DeviceSpecFile.of(mapper.createObjectNode().put("name", "x"), "spec.json"));
        assertEquals("spec.json: num_sms (null) must be a number", e.getMessage());
    }
}
