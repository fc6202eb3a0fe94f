package io.parabench.pipeline.runtime;

import io.parabench.gpu.Device;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Precision;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.HostPool;

/**
 * What one pipeline stage's ops take on a device's virtual clock, timing-only: the forward
 * ({@code F}), the full backward ({@code B}: input and weight gradients) and the input-only
 * backward ({@code B_input}) of the stage the runtime executes ({@link StagePass}), each as the
 * span of its kernels on an otherwise idle device. These are the {@code mlp[]} rows of a kernel
 * measurement file (DeepSeek's DualPipe example stage), predicted.
 *
 * @param forwardNs       F
 * @param backwardNs      B, input and weight gradients
 * @param backwardInputNs B_input, input gradient only
 */
public record StageTimes(long forwardNs, long backwardNs, long backwardInputNs) {

    /** Times a stage of width {@code width}, hidden {@code hidden}, {@code tokens} rows, at {@code precision}. */
    public static StageTimes of(DeviceSpec spec, Precision precision, int width, int hidden, int tokens) {
        StageModel model = StageModel.shapeOnly(1, width, hidden, tokens);
        return new StageTimes(forward(spec, precision, model), backward(spec, precision, model, true),
                backward(spec, precision, model, false));
    }

    private static long forward(DeviceSpec spec, Precision precision, StageModel model) {
        Device device = new Device(0, spec, HostPool.SERIAL, null, Emulation.timingOnly(precision));
        Stream s = device.stream(spec.numSms());
        StagePass pass = new StagePass(device, model, 0, "stage");
        Tensor x = device.allocate("x", model.tokens(), model.width());
        return s.annotate("F", () -> pass.forward(s, x)).durationNs();
    }

    private static long backward(DeviceSpec spec, Precision precision, StageModel model, boolean full) {
        Device device = new Device(0, spec, HostPool.SERIAL, null, Emulation.timingOnly(precision));
        Stream s = device.stream(spec.numSms());
        StagePass pass = new StagePass(device, model, 1, "stage");
        StagePass.Saved saved = pass.forward(s, device.allocate("x", model.tokens(), model.width()));
        Tensor dy = device.allocate("dy", model.tokens(), model.width());
        return s.annotate(full ? "B" : "b", () -> {
            pass.backwardInput(s, saved, dy, true);
            if (full) {
                pass.weight(s, saved);
            }
        }).durationNs();
    }
}
