package io.parabench.pipeline.runtime;

import io.parabench.gpu.Device;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;

/**
 * The MSE loss after the last stage, shared by the pipeline and the reference. Both the loss and
 * its gradient are issued when the last stage's forward ends (the gradient needs nothing else),
 * so the last stage's backward can start from a ready dY.
 */
final class LossHead {
    private LossHead() {
    }

    /**
     * Writes micro-batch {@code m}'s loss into {@code losses[m]} and returns dLoss/dY (caller frees
     * it). On a timing-only device the kernels are only charged, {@code target} is ignored (may be
     * null) and the loss is NaN.
     */
    static Tensor lossAndGradient(Device device, Stream s, Tensor y, float[] target, float[] losses, int m) {
        Tensor t = device.allocate("target", y.rows(), y.cols());
        if (!device.timingOnly()) {
            System.arraycopy(target, 0, t.data(), 0, t.size());
        }
        Tensor loss = device.allocate("loss", 1, 1);
        Tensor dy = device.allocate("dy", y.rows(), y.cols());
        s.mseLoss(y, t, loss);
        s.mseGrad(y, t, dy);
        losses[m] = device.timingOnly() ? Float.NaN : loss.data()[0];
        device.free(loss);
        device.free(t);
        return dy;
    }
}
