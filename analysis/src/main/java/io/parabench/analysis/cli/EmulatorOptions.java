package io.parabench.analysis.cli;

import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.DeviceSpecFile;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Precision;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options of the commands that run on emulated GPUs: the device (a preset or a fitted spec file),
 * its clock, the charged precision, timing-only, the seed and host threads.
 */
final class EmulatorOptions {
    @Option(names = "--device", defaultValue = "h800", paramLabel = "GPU",
            description = "h800, h100, h200 or host (default: ${DEFAULT-VALUE}); ignored with --device-spec")
    String device;

    @Option(names = "--device-spec", paramLabel = "FILE",
            description = "a device spec file (as 'parabench device fit --out' writes) instead of a preset")
    Path deviceSpecFile;

    @Option(names = "--clock", defaultValue = "calibrated", paramLabel = "CLOCK",
            description = "calibrated (fitted to real kernels) or roofline (datasheet peaks) (default: ${DEFAULT-VALUE})")
    String clock;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
            description = "what the clock charges GEMMs and activations as: fp32, tf32, bf16 or fp8; the numerics"
                    + " stay fp32 (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--timing-only", description = "charge every kernel and copy on the virtual clock without computing"
            + " (any size; the reference check is not run)")
    boolean timingOnly;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "host threads for the numerics; results do not depend on it (default: ${DEFAULT-VALUE})")
    int threads;

    DeviceSpec deviceSpec() {
        DeviceSpec spec = deviceSpecFile != null ? DeviceSpecFile.read(deviceSpecFile) : DeviceSpec.preset(device);
        return switch (clock) {
            case "calibrated" -> {
                if (spec.calibration() == null && !spec.name().startsWith("host")) {
                    throw new IllegalArgumentException("--clock calibrated needs a calibrated device, but "
                            + spec.name() + " has none; use --clock roofline");
                }
                yield spec;
            }
            case "roofline" -> spec.withoutCalibration();
            default -> throw new IllegalArgumentException("--clock (" + clock + ") must be calibrated or roofline");
        };
    }

    Emulation emulation() {
        Precision p;
        try {
            p = Precision.of(precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision (" + precision + ") must be one of fp32, tf32, bf16, fp8", e);
        }
        return new Emulation(p, timingOnly, false);
    }
}
