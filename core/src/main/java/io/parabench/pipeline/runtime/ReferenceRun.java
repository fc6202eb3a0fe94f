package io.parabench.pipeline.runtime;

import io.parabench.gpu.Device;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.HostPool;

import java.util.ArrayList;
import java.util.List;

/**
 * The model trained without a pipeline: one device runs every micro-batch through all stages
 * forward, the loss, and all stages backward, one micro-batch after another. The yardstick a
 * {@link PipelineRuntime} step must equal bit for bit.
 *
 * @param losses    MSE loss of each micro-batch
 * @param gradients per model stage, the weight gradients summed in micro-batch order
 */
public record ReferenceRun(float[] losses, List<StageGradients> gradients) {

    /**
     * Runs {@code microBatches} micro-batches (numbered 0.. as {@link StageModel#input}) on one
     * device of {@code spec} with the numerics on {@code pool}.
     */
    public static ReferenceRun run(StageModel model, int microBatches, DeviceSpec spec, HostPool pool) {
        if (microBatches < 1) {
            throw new IllegalArgumentException("micro-batches (" + microBatches + ") must be >= 1");
        }
        Device device = new Device(0, spec, pool, null);
        Stream compute = device.stream(spec.numSms());
        int stages = model.stages();
        List<StagePass> passes = new ArrayList<>(stages);
        List<List<StageGradients>> perMicroBatch = new ArrayList<>(stages);
        for (int s = 0; s < stages; s++) {
            passes.add(new StagePass(device, model, s, "stage" + s));
            perMicroBatch.add(new ArrayList<>(microBatches));
        }
        float[] losses = new float[microBatches];
        StagePass.Saved[] saved = new StagePass.Saved[stages];
        for (int m = 0; m < microBatches; m++) {
            Tensor x = device.allocate("x", model.tokens(), model.width());
            System.arraycopy(model.input(m), 0, x.data(), 0, x.size());
            for (int s = 0; s < stages; s++) {
                saved[s] = passes.get(s).forward(compute, x);
                x = saved[s].y;
            }
            Tensor y = saved[stages - 1].y;
            Tensor dy = LossHead.lossAndGradient(device, compute, y, model.target(m), losses, m);
            for (int s = stages - 1; s >= 0; s--) {
                Tensor dx = passes.get(s).backwardInput(compute, saved[s], dy, s > 0);
                perMicroBatch.get(s).add(passes.get(s).weight(compute, saved[s]));
                dy = dx;
            }
            device.free(y);
        }
        return new ReferenceRun(losses, sum(perMicroBatch));
    }

    static List<StageGradients> sum(List<List<StageGradients>> perMicroBatch) {
        List<StageGradients> sums = new ArrayList<>(perMicroBatch.size());
        for (List<StageGradients> stage : perMicroBatch) {
            List<float[]> w1 = new ArrayList<>(stage.size());
            List<float[]> w2 = new ArrayList<>(stage.size());
            for (StageGradients g : stage) {
                w1.add(g.inputWeight());
                w2.add(g.outputWeight());
            }
            sums.add(new StageGradients(StageGradients.sumInMicroBatchOrder(w1), StageGradients.sumInMicroBatchOrder(w2)));
        }
        return List.copyOf(sums);
    }
}
