package io.parabench.moe;

import io.parabench.gpu.Device;
import io.parabench.gpu.GemmShape;
import io.parabench.gpu.MemoryOp;
import io.parabench.gpu.Precision;
import io.parabench.gpu.KernelCost;
import io.parabench.gpu.Launch;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.kernels.Kernels;
import io.parabench.kernels.KernelProvider;

/**
 * The MoE work that the expert-parallel run and the reference share, so both compute every row
 * with the same kernels in the same order: gating, one expert's MLP, and the weighted combine.
 */
final class MoeKernels {

    private MoeKernels() {
    }

    /** A gate's decision for each row: {@code experts[row·k + rank]} and its probability. */
    record Routing(int[] experts, float[] weights) {
    }

    /**
     * Copies host weights into a new device tensor (weights are resident: no transfer is timed);
     * on a timing-only device only allocates ({@code values} may be null).
     */
    static Tensor upload(Device device, String name, int rows, int cols, float[] values) {
        Tensor t = device.allocate(name, rows, cols);
        if (!device.timingOnly()) {
            System.arraycopy(values, 0, t.data(), 0, values.length);
        }
        return t;
    }

    /**
     * Router GEMM, softmax over the experts and top-k, on {@code stream}. On a timing-only device
     * the kernels are charged and the choice is the layer's {@link MoeLayer#drawnRouting} for
     * {@code gpu} (weights then unused).
     */
    static Routing route(Stream stream, MoeLayer layer, Tensor x, Tensor router, int gpu) {
        Device device = stream.device();
        int rows = x.rows();
        int experts = layer.experts();
        int k = layer.topK();
        Tensor logits = device.allocate("gate_logits", rows, experts);
        Tensor probs = device.allocate("gate_probs", rows, experts);
        stream.gemm(GemmLayout.FORWARD, x, router, logits, false);
        int width = stream.device().emulation().precision().activationBytes();
        stream.launch("moe_gate_softmax", KernelCost.memory(MemoryOp.SOFTMAX, logits.size(), 5L * logits.size(),
                        2L * width * logits.size()),
                () -> KernelProvider.get().softmax(logits.data(), rows, experts, probs.data()));
        int[] chosen = new int[rows * k];
        float[] weights = new float[rows * k];
        // a compare per score and one write per choice; small next to the GEMM
        stream.launch("moe_topk", KernelCost.memory(MemoryOp.REDUCTION, probs.size(), (long) rows * experts * k,
                        (long) width * probs.size() + 8L * rows * k),
                () -> KernelProvider.get().topK(probs.data(), rows, experts, k, chosen, weights));
        device.free(logits);
        device.free(probs);
        if (device.timingOnly()) {
            return new Routing(layer.drawnRouting(gpu, rows), weights);
        }
        return new Routing(chosen, weights);
    }

    /**
     * A GPU's local experts as one grouped launch per step, as DeepSeek runs them (DeepGEMM's
     * grouped GEMM): {@code moe_grouped_gemm_up}, {@code moe_grouped_gelu},
     * {@code moe_grouped_gemm_down}, each covering every group, inside one {@code moe_experts}
     * annotation whose span is returned. Group {@code i} computes
     * {@code y[i] = gelu(x[i]·up[i]ᵀ)·down[i]ᵀ} with the same kernels whatever the grouping, so a
     * row's result does not depend on which GPU or batch computed it. One launch per step, not per expert: launch overheads would otherwise
     * punish a placement for holding more (smaller) slots.
     */
    static Launch groupedExperts(Stream stream, HostPool pool, Tensor[] x, Tensor[] up, Tensor[] down, Tensor[] y) {
        Device device = stream.device();
        int groups = x.length;
        return stream.annotate("moe_experts", () -> {
            Tensor[] h = new Tensor[groups];
            Tensor[] a = new Tensor[groups];
            Precision precision = device.emulation().precision();
            int in = precision.inputBytes();
            int act = precision.activationBytes();
            int[] rows = new int[groups];
            long upBytes = 0;
            long downBytes = 0;
            long hiddenElements = 0;
            for (int i = 0; i < groups; i++) {
                h[i] = device.allocate("expert_hidden", x[i].rows(), up[i].rows());
                a[i] = device.allocate("expert_act", x[i].rows(), up[i].rows());
                rows[i] = x[i].rows();
                upBytes += (long) in * ((long) x[i].size() + up[i].size()) + (long) act * h[i].size();
                downBytes += (long) in * ((long) a[i].size() + down[i].size()) + (long) act * y[i].size();
                hiddenElements += h[i].size();
            }
            // experts share n and k: one grouped GEMM, the tiles of every group spread over the SMs together
            GemmShape upShape = new GemmShape(rows, up[0].rows(), up[0].cols());
            GemmShape downShape = new GemmShape(rows, down[0].rows(), down[0].cols());
            Kernels kernels = KernelProvider.get();
            stream.launch("moe_grouped_gemm_up", KernelCost.gemm(upShape, precision, upBytes), () -> {
                for (int i = 0; i < groups; i++) {
                    kernels.gemm(pool, GemmLayout.FORWARD, x[i].rows(), up[i].rows(), up[i].cols(), x[i].data(),
                            up[i].data(), h[i].data(), false);
                }
            });
            stream.launch("moe_grouped_gelu", KernelCost.memory(MemoryOp.GELU, hiddenElements, 20 * hiddenElements,
                    2L * act * hiddenElements), () -> {
                for (int i = 0; i < groups; i++) {
                    kernels.geluTanh(h[i].data(), a[i].data(), h[i].size());
                }
            });
            stream.launch("moe_grouped_gemm_down", KernelCost.gemm(downShape, precision, downBytes), () -> {
                for (int i = 0; i < groups; i++) {
                    kernels.gemm(pool, GemmLayout.FORWARD, a[i].rows(), down[i].rows(), down[i].cols(), a[i].data(),
                            down[i].data(), y[i].data(), false);
                }
            });
            for (int i = 0; i < groups; i++) {
                device.free(h[i]);
                device.free(a[i]);
            }
        });
    }

    /**
     * {@code out[outRow] = Σ_r weight[r] · source[r][row[r]]}, summed in rank order from 0 so the
     * bits do not depend on where the expert rows were computed.
     */
    static void weightedSum(float[] out, int outRow, int width, float[] weights, int weightOffset,
                            float[][] sources, int[] sourceRows, int k) {
        int o = outRow * width;
        for (int j = 0; j < width; j++) {
            float acc = 0f;
            for (int r = 0; r < k; r++) {
                acc += weights[weightOffset + r] * sources[r][sourceRows[r] * width + j];
            }
            out[o + j] = acc;
        }
    }
}
