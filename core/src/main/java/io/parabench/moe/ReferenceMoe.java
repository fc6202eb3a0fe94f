package io.parabench.moe;

import io.parabench.gpu.Device;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.HostPool;

/**
 * The same MoE layer on one device without expert parallelism: every GPU's tokens stacked into
 * one batch, gated at once, each expert run once on all rows that chose it (in token, rank
 * order; all experts in one grouped launch), and the k outputs of a token summed in rank order. The expert-parallel run must give
 * the same bits: the GEMM computes each element as one FMA chain whatever the batch, the softmax,
 * top-k and combine work row by row, and the gate's softmax and the GELU are scalar
 * {@link StrictMath} code, whose bits do not depend on the JIT (the Vector API's exp/tanh lanes do).
 */
public final class ReferenceMoe {
    private ReferenceMoe() {
    }

    /**
     * @param tokens per GPU, its tokens ({@code [gpu][token·width + feature]}), all the same length
     * @return the outputs in the same layout
     */
    public static float[][] run(MoeLayer layer, float[][] tokens, DeviceSpec spec, HostPool pool) {
        int width = layer.width();
        int k = layer.topK();
        int ranks = tokens.length;
        if (ranks == 0 || tokens[0].length == 0 || tokens[0].length % width != 0) {
            throw new IllegalArgumentException("tokens must hold at least one GPU of whole rows of width " + width);
        }
        int perGpu = tokens[0].length / width;
        int rows = ranks * perGpu;
        Device device = new Device(0, spec, pool, null);
        Stream stream = device.stream(spec.numSms());
        Tensor x = device.allocate("tokens", rows, width);
        for (int g = 0; g < ranks; g++) {
            if (tokens[g].length != perGpu * width) {
                throw new IllegalArgumentException("every GPU must hold the same tokens (" + perGpu + " rows of " + width + ")");
            }
            System.arraycopy(tokens[g], 0, x.data(), g * perGpu * width, perGpu * width);
        }
        Tensor router = MoeKernels.upload(device, "router", layer.experts(), width, layer.router());
        // a numerics device: the gpu argument only matters to timing-only runs
        MoeKernels.Routing routing = MoeKernels.route(stream, layer, x, router, 0);

        int[] count = new int[layer.experts()];
        int[] rowInExpert = new int[rows * k];
        for (int i = 0; i < rows * k; i++) {
            rowInExpert[i] = count[routing.experts()[i]]++;
        }
        Tensor[] expertOut = new Tensor[layer.experts()];
        Tensor[] in = new Tensor[layer.experts()];
        Tensor[] up = new Tensor[layer.experts()];
        Tensor[] down = new Tensor[layer.experts()];
        for (int e = 0; e < layer.experts(); e++) {
            in[e] = device.allocate("expert_in", count[e], width);
            expertOut[e] = device.allocate("expert_out", count[e], width);
            up[e] = MoeKernels.upload(device, "expert_up", layer.hidden(), width, layer.up(e));
            down[e] = MoeKernels.upload(device, "expert_down", width, layer.hidden(), layer.down(e));
        }
        for (int i = 0; i < rows * k; i++) {
            System.arraycopy(x.data(), (i / k) * width, in[routing.experts()[i]].data(), rowInExpert[i] * width, width);
        }
        MoeKernels.groupedExperts(stream, pool, in, up, down, expertOut);

        float[][] out = new float[ranks][perGpu * width];
        float[][] sources = new float[k][];
        int[] sourceRows = new int[k];
        for (int t = 0; t < rows; t++) {
            for (int r = 0; r < k; r++) {
                sources[r] = expertOut[routing.experts()[t * k + r]].data();
                sourceRows[r] = rowInExpert[t * k + r];
            }
            MoeKernels.weightedSum(out[t / perGpu], t % perGpu, width, routing.weights(), t * k, sources, sourceRows, k);
        }
        return out;
    }
}
