package io.parabench.pipeline.runtime;

import io.parabench.gpu.Device;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.GemmLayout;

/**
 * One model stage's weights on one device and the kernels of its forward and backward, issued on
 * a compute stream. The pipeline runtime and the {@link ReferenceRun} both go through this class,
 * so they issue the same kernels on the same shapes, which is what makes their results bit-equal.
 *
 * <p>Forward: {@code H = X·W1ᵀ}, {@code A = gelu(H)}, {@code Y = A·W2ᵀ}. Input backward:
 * {@code dA = dY·W2}, {@code dH = gelu'(H)·dA}, {@code dX = dH·W1}. Weight backward:
 * {@code dW2 = dYᵀ·A}, {@code dW1 = dHᵀ·X}.
 *
 * <p>Not thread-safe, like the device it lives on.
 */
final class StagePass {
    private final Device device;
    private final int stage;
    private final Tensor inputWeight;
    private final Tensor outputWeight;

    /** What a forward keeps for the backward, and what the input backward keeps for W. */
    static final class Saved {
        final Tensor x;
        final Tensor h;
        final Tensor a;
        final Tensor y;
        Tensor dy;
        Tensor dh;

        Saved(Tensor x, Tensor h, Tensor a, Tensor y) {
            this.x = x;
            this.h = h;
            this.a = a;
            this.y = y;
        }
    }

    StagePass(Device device, StageModel model, int stage, String label) {
        this.device = device;
        this.stage = stage;
        int d = model.width();
        int hdim = model.hidden();
        inputWeight = device.allocate(label + ".w1", hdim, d);
        outputWeight = device.allocate(label + ".w2", d, hdim);
        if (!device.timingOnly()) {
            System.arraycopy(model.inputWeight(stage), 0, inputWeight.data(), 0, hdim * d);
            System.arraycopy(model.outputWeight(stage), 0, outputWeight.data(), 0, d * hdim);
        }
    }

    int stage() {
        return stage;
    }

    /** Runs the forward of micro-batch input {@code x} (taking ownership of it); Y is allocated. */
    Saved forward(Stream s, Tensor x) {
        int rows = x.rows();
        Tensor h = device.allocate("h", rows, inputWeight.rows());
        Tensor a = device.allocate("a", rows, inputWeight.rows());
        Tensor y = device.allocate("y", rows, outputWeight.rows());
        s.gemm(GemmLayout.FORWARD, x, inputWeight, h, false);
        s.geluTanh(h, a);
        s.gemm(GemmLayout.FORWARD, a, outputWeight, y, false);
        return new Saved(x, h, a, y);
    }

    /**
     * Input-gradient backward from {@code dy} (taking ownership of it). Returns dX, or null when
     * {@code inputGradient} is false (the first stage: nothing upstream needs it).
     */
    Tensor backwardInput(Stream s, Saved saved, Tensor dy, boolean inputGradient) {
        int rows = dy.rows();
        Tensor da = device.allocate("da", rows, outputWeight.cols());
        Tensor dh = device.allocate("dh", rows, outputWeight.cols());
        s.gemm(GemmLayout.BACKWARD_INPUT, dy, outputWeight, da, false);
        s.geluTanhBackward(saved.h, da, dh);
        device.free(da);
        saved.dy = dy;
        saved.dh = dh;
        if (!inputGradient) {
            return null;
        }
        Tensor dx = device.allocate("dx", rows, inputWeight.cols());
        s.gemm(GemmLayout.BACKWARD_INPUT, dh, inputWeight, dx, false);
        return dx;
    }

    /**
     * Weight backward of a stage whose input backward ran; frees what the micro-batch held here
     * (X, H, A, dY, dH; Y is the caller's) and returns this micro-batch's gradients (null on a
     * timing-only device).
     */
    StageGradients weight(Stream s, Saved saved) {
        Tensor dw1 = device.allocate("dw1", inputWeight.rows(), inputWeight.cols());
        Tensor dw2 = device.allocate("dw2", outputWeight.rows(), outputWeight.cols());
        s.gemm(GemmLayout.BACKWARD_WEIGHT, saved.dy, saved.a, dw2, false);
        s.gemm(GemmLayout.BACKWARD_WEIGHT, saved.dh, saved.x, dw1, false);
        StageGradients g = device.timingOnly() ? null : new StageGradients(dw1.data().clone(), dw2.data().clone());
        for (Tensor t : new Tensor[]{dw1, dw2, saved.x, saved.h, saved.a, saved.dy, saved.dh}) {
            device.free(t);
        }
        return g;
    }
}
