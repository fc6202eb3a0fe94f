package io.parabench.moe;

import io.parabench.eplb.ClusterShape;
import io.parabench.eplb.Placement;
import io.parabench.gpu.Device;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.gpu.Precision;
import io.parabench.gpu.Event;
import io.parabench.gpu.KernelCost;
import io.parabench.gpu.Launch;
import io.parabench.gpu.MemoryPath;
import io.parabench.gpu.Stream;
import io.parabench.gpu.Tensor;
import io.parabench.kernels.HostPool;
import io.parabench.trace.ChromeTraceWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One MoE layer run expert-parallel over emulated GPUs, as DeepSeek-V3 runs it with DeepEP: each
 * GPU gates its own tokens, {@code deep_ep::dispatch} sends every (token, expert) row to the GPU
 * holding the chosen replica, each GPU runs the experts of its slots, and {@code deep_ep::combine}
 * brings the expert outputs back and sums them, weighted by the gate, on the token's GPU.
 *
 * <p><b>Streams.</b> Every GPU has a compute stream and a communication stream granted
 * {@code commSms} of its SMs (DeepSeek gives 20 of 132 to communication). The tokens are split
 * into {@code chunks} equal runs processed one after another, and the work is issued so that the
 * communication of one chunk overlaps the experts of another: all dispatches first, then per
 * chunk the experts and its combine. Dispatch waits for the source's gate, the experts for every
 * dispatch of their chunk, a combine for every GPU's experts of its chunk.
 *
 * <p><b>Replica choice.</b> For token {@code t} of GPU {@code g} choosing expert {@code e} with
 * {@code c} replicas, the row goes to replica {@code (g·T + t) mod c} (replicas numbered as in
 * {@link Placement#slotOf}): round-robin by global token index, so the replicas of a hot expert
 * share its rows evenly, which is the assumption EPLB balances on.
 *
 * <p><b>Cost.</b> A dispatch or combine kernel moves {@code rows × width × 4} bytes over NVLink,
 * or the network when any peer of that kernel is on another node; a GPU's local experts run as one
 * grouped launch per step (see {@code MoeKernels.groupedExperts}), timed by the roofline like any
 * kernel. Rows within a slot's buffer are ordered by (source GPU,
 * token, rank), and the combine sums a token's k expert outputs in rank order, so the output is
 * bit-identical to {@link ReferenceMoe}.
 *
 * <p><b>Timing-only.</b> {@link #timingOnly} runs the same program at DeepSeek-V3's size with no
 * numerics: the same kernels and transfers are charged in the same order, memory is accounted,
 * and the routing is the layer's {@link MoeLayer#drawnRouting} instead of the computed gate. In
 * every run dispatch moves rows at the charged precision's GEMM input width (FP8: DeepEP
 * dispatches FP8) and combine at its activation width (BF16).
 */
public final class ExpertParallelLayer {
    private ExpertParallelLayer() {
    }

    /**
     * Runs the layer.
     *
     * @param layer     weights and shape
     * @param tokens    per GPU, its T tokens ({@code [gpu][token·width + feature]}); all GPUs the same T
     * @param placement one layer's placement over {@code tokens.length} GPUs
     * @param spec      device model of every GPU
     * @param commSms   SMs granted to each communication stream, in 1..numSms−1
     * @param chunks    token chunks to pipeline, in 1..T
     * @param pool      host threads for the numerics
     * @param trace     writer for every GPU's events (its header must list the G devices), or null
     */
    public static MoeRun run(MoeLayer layer, float[][] tokens, Placement placement, DeviceSpec spec, int commSms,
                             int chunks, HostPool pool, ChromeTraceWriter trace) {
        return run(layer, tokens, placement, spec, commSms, chunks, pool, trace, Emulation.NUMERICS);
    }

    /**
     * Runs the layer with real numerics charged at {@code emulation}'s precision.
     *
     * @throws IllegalArgumentException as {@link #run(MoeLayer, float[][], Placement, DeviceSpec, int, int, HostPool,
     *                                  ChromeTraceWriter)}, or if the emulation is timing-only
     */
    public static MoeRun run(MoeLayer layer, float[][] tokens, Placement placement, DeviceSpec spec, int commSms,
                             int chunks, HostPool pool, ChromeTraceWriter trace, Emulation emulation) {
        if (emulation.timingOnly()) {
            throw new IllegalArgumentException("a numerics MoE run must not be timing-only; use timingOnly(...)");
        }
        if (!layer.hasWeights()) {
            throw new IllegalArgumentException("a shape-only MoE layer can only run timing-only");
        }
        if (tokens.length == 0 || tokens[0].length == 0 || tokens[0].length % layer.width() != 0) {
            throw new IllegalArgumentException("tokens per GPU (" + (tokens.length == 0 ? 0 : tokens[0].length)
                    + " floats) must be a positive multiple of width (" + layer.width() + ")");
        }
        return run(layer, tokens, tokens[0].length / layer.width(), placement, spec, commSms, chunks, pool, trace,
                emulation);
    }

    /**
     * Runs the layer timing-only: {@code tokensPerGpu} tokens on each GPU of the placement, routed
     * by {@link MoeLayer#drawnRouting}; the result's output is empty.
     */
    public static MoeRun timingOnly(MoeLayer layer, int tokensPerGpu, Placement placement, DeviceSpec spec,
                                    int commSms, int chunks, Precision precision, ChromeTraceWriter trace) {
        if (tokensPerGpu < 1) {
            throw new IllegalArgumentException("tokens per GPU (" + tokensPerGpu + ") must be >= 1");
        }
        return run(layer, null, tokensPerGpu, placement, spec, commSms, chunks, HostPool.SERIAL, trace,
                Emulation.timingOnly(precision));
    }

    private static MoeRun run(MoeLayer layer, float[][] tokens, int perGpu, Placement placement, DeviceSpec spec,
                              int commSms, int chunks, HostPool pool, ChromeTraceWriter trace, Emulation emulation) {
        ClusterShape shape = placement.shape();
        int gpus = shape.gpus();
        int width = layer.width();
        int k = layer.topK();
        boolean timingOnly = emulation.timingOnly();
        if (placement.layers() != 1) {
            throw new IllegalArgumentException("placement layers (" + placement.layers() + ") must be 1");
        }
        if (placement.experts() != layer.experts()) {
            throw new IllegalArgumentException("placement experts (" + placement.experts()
                    + ") must equal the layer's experts (" + layer.experts() + ")");
        }
        if (!timingOnly) {
            if (tokens.length != gpus) {
                throw new IllegalArgumentException("token ranks (" + tokens.length + ") must equal placement gpus (" + gpus + ")");
            }
            for (float[] rank : tokens) {
                if (rank.length != perGpu * width) {
                    throw new IllegalArgumentException("every GPU must hold the same tokens (" + perGpu + " rows of " + width + ")");
                }
            }
        }
        if (commSms < 1 || commSms >= spec.numSms()) {
            throw new IllegalArgumentException("comm SMs (" + commSms + ") must be in 1.." + (spec.numSms() - 1));
        }
        if (chunks < 1 || chunks > perGpu) {
            throw new IllegalArgumentException("chunks (" + chunks + ") must be in 1.." + perGpu);
        }

        Device[] devices = new Device[gpus];
        Stream[] compute = new Stream[gpus];
        Stream[] comm = new Stream[gpus];
        Tensor[] x = new Tensor[gpus];
        Tensor[] out = new Tensor[gpus];
        int perSlot = shape.replicasPerGpu();
        Tensor[] up = new Tensor[shape.replicas()];
        Tensor[] down = new Tensor[shape.replicas()];
        for (int g = 0; g < gpus; g++) {
            devices[g] = new Device(g, spec, pool, trace, emulation);
            compute[g] = devices[g].stream(spec.numSms() - commSms);
            comm[g] = devices[g].stream(commSms);
            x[g] = MoeKernels.upload(devices[g], "tokens", perGpu, width, timingOnly ? null : tokens[g]);
            out[g] = devices[g].allocate("moe_out", perGpu, width);
            for (int s = g * perSlot; s < (g + 1) * perSlot; s++) {
                int e = placement.expertAt(0, s);
                up[s] = MoeKernels.upload(devices[g], "expert_up", layer.hidden(), width, timingOnly ? null : layer.up(e));
                down[s] = MoeKernels.upload(devices[g], "expert_down", width, layer.hidden(),
                        timingOnly ? null : layer.down(e));
            }
        }

        // gate every GPU's tokens
        MoeKernels.Routing[] routing = new MoeKernels.Routing[gpus];
        Event[] gated = new Event[gpus];
        int[] expertLoads = new int[layer.experts()];
        for (int g = 0; g < gpus; g++) {
            Tensor router = MoeKernels.upload(devices[g], "router", layer.experts(), width,
                    timingOnly ? null : layer.router());
            int rank = g;
            compute[g].annotate("moe_gate", () -> routing[rank] = MoeKernels.route(compute[rank], layer, x[rank], router, rank));
            gated[g] = compute[g].record();
            for (int e : routing[g].experts()) {
                expertLoads[e]++;
            }
        }

        // plan: the slot and buffer row of every (gpu, token, rank) and the rows of every (chunk, slot)
        int[][] slotOf = new int[gpus][perGpu * k];
        int[][] rowOf = new int[gpus][perGpu * k];
        int[][] slotRows = new int[chunks][shape.replicas()];
        for (int g = 0; g < gpus; g++) {
            for (int t = 0; t < perGpu; t++) {
                int c = chunkOf(t, perGpu, chunks);
                for (int r = 0; r < k; r++) {
                    int e = routing[g].experts()[t * k + r];
                    int replica = (int) (((long) g * perGpu + t) % placement.replicaCount(0, e));
                    int slot = placement.slotOf(0, e, replica);
                    slotOf[g][t * k + r] = slot;
                    rowOf[g][t * k + r] = slotRows[c][slot]++;
                }
            }
        }
        Tensor[][] received = new Tensor[chunks][shape.replicas()];
        Tensor[][] expertOut = new Tensor[chunks][shape.replicas()];
        for (int c = 0; c < chunks; c++) {
            for (int s = 0; s < shape.replicas(); s++) {
                Device holder = devices[shape.gpuOf(s)];
                received[c][s] = holder.allocate("dispatch_recv", slotRows[c][s], width);
                expertOut[c][s] = holder.allocate("expert_out", slotRows[c][s], width);
            }
        }

        List<List<Launch>> commLaunches = new ArrayList<>();
        List<List<Launch>> expertLaunches = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            commLaunches.add(new ArrayList<>());
            expertLaunches.add(new ArrayList<>());
        }

        // dispatch every chunk first, so a later chunk's dispatch overlaps an earlier chunk's experts
        Event[][] dispatched = new Event[chunks][gpus];
        for (int c = 0; c < chunks; c++) {
            for (int g = 0; g < gpus; g++) {
                int lo = chunkStart(c, perGpu, chunks);
                int hi = chunkStart(c + 1, perGpu, chunks);
                int rows = (hi - lo) * k;
                int src = g;
                int chunk = c;
                comm[g].waitFor(gated[g]);
                MemoryPath path = path(shape, g, slotOf[g], lo * k, hi * k);
                commLaunches.get(g).add(comm[g].launch("deep_ep::dispatch",
                        KernelCost.transfer((long) rows * width * emulation.precision().inputBytes(), path), () -> {
                            float[] from = x[src].data();
                            for (int t = lo; t < hi; t++) {
                                for (int r = 0; r < k; r++) {
                                    int i = t * k + r;
                                    System.arraycopy(from, t * width, received[chunk][slotOf[src][i]].data(),
                                            rowOf[src][i] * width, width);
                                }
                            }
                        }));
                dispatched[c][g] = comm[g].record();
            }
        }

        long[] busy = new long[gpus];
        int[] gpuRows = new int[gpus];
        int[] rowsPerSlot = new int[shape.replicas()];
        for (int c = 0; c < chunks; c++) {
            Event[] computed = new Event[gpus];
            for (int g = 0; g < gpus; g++) {
                for (Event e : dispatched[c]) {
                    compute[g].waitFor(e);
                }
                List<Integer> active = new ArrayList<>();
                for (int s = g * perSlot; s < (g + 1) * perSlot; s++) {
                    if (slotRows[c][s] > 0) {
                        active.add(s);
                        gpuRows[g] += slotRows[c][s];
                        rowsPerSlot[s] += slotRows[c][s];
                    }
                }
                if (!active.isEmpty()) {
                    int n = active.size();
                    Tensor[] in = new Tensor[n];
                    Tensor[] w1 = new Tensor[n];
                    Tensor[] w2 = new Tensor[n];
                    Tensor[] y = new Tensor[n];
                    for (int i = 0; i < n; i++) {
                        int s = active.get(i);
                        in[i] = received[c][s];
                        w1[i] = up[s];
                        w2[i] = down[s];
                        y[i] = expertOut[c][s];
                    }
                    Launch span = MoeKernels.groupedExperts(compute[g], pool, in, w1, w2, y);
                    expertLaunches.get(g).add(span);
                    busy[g] += span.durationNs();
                }
                computed[g] = compute[g].record();
            }
            for (int g = 0; g < gpus; g++) {
                int lo = chunkStart(c, perGpu, chunks);
                int hi = chunkStart(c + 1, perGpu, chunks);
                int src = g;
                int chunk = c;
                for (Event e : computed) {
                    comm[g].waitFor(e);
                }
                MemoryPath path = path(shape, g, slotOf[g], lo * k, hi * k);
                commLaunches.get(g).add(comm[g].launch("deep_ep::combine",
                        KernelCost.transfer((long) (hi - lo) * k * width * emulation.precision().activationBytes(), path),
                        () -> {
                            float[][] sources = new float[k][];
                            int[] rows = new int[k];
                            MoeKernels.Routing gate = routing[src];
                            for (int t = lo; t < hi; t++) {
                                for (int r = 0; r < k; r++) {
                                    sources[r] = expertOut[chunk][slotOf[src][t * k + r]].data();
                                    rows[r] = rowOf[src][t * k + r];
                                }
                                MoeKernels.weightedSum(out[src].data(), t, width, gate.weights(), t * k, sources, rows, k);
                            }
                        }));
            }
        }

        float[][] output = new float[gpus][];
        long layerNs = 0;
        long overlap = 0;
        for (int g = 0; g < gpus; g++) {
            output[g] = timingOnly ? new float[0] : out[g].data().clone();
            layerNs = Math.max(layerNs, devices[g].synchronizeNs());
            for (Launch a : commLaunches.get(g)) {
                for (Launch b : expertLaunches.get(g)) {
                    overlap += Math.max(0, Math.min(a.endNs(), b.endNs()) - Math.max(a.startNs(), b.startNs()));
                }
            }
        }
        return new MoeRun(output, layerNs, busy, gpuRows, expertLoads, rowsPerSlot, overlap);
    }

    private static int chunkStart(int c, int tokens, int chunks) {
        return (int) ((long) c * tokens / chunks);
    }

    private static int chunkOf(int t, int tokens, int chunks) {
        int c = (int) ((long) t * chunks / tokens);
        // the estimate can be off by one at a boundary either way; step to the chunk holding t
        while (c + 1 < chunks && chunkStart(c + 1, tokens, chunks) <= t) {
            c++;
        }
        while (chunkStart(c, tokens, chunks) > t) {
            c--;
        }
        return c;
    }

    /** NVLink unless some row in {@code [from, to)} of this GPU goes to a GPU on another node. */
    private static MemoryPath path(ClusterShape shape, int gpu, int[] slots, int from, int to) {
        int node = shape.nodeOfGpu(gpu);
        for (int i = from; i < to; i++) {
            if (shape.nodeOfGpu(shape.gpuOf(slots[i])) != node) {
                return MemoryPath.NETWORK;
            }
        }
        return MemoryPath.NVLINK;
    }
}
