package io.parabench.analysis.cli;

import io.parabench.gpu.DeviceSpec;
import picocli.CommandLine.Option;

/** Options of the commands that run on emulated GPUs: the device preset, the seed, host threads. */
final class EmulatorOptions {
    @Option(names = "--device", defaultValue = "h800", paramLabel = "GPU",
            description = "h800, h100, h200 or host (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "host threads for the numerics; results do not depend on it (default: ${DEFAULT-VALUE})")
    int threads;

    DeviceSpec deviceSpec() {
        return DeviceSpec.preset(device);
    }
}
