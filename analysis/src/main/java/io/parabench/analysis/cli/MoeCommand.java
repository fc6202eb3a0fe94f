package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.eplb.ClusterShape;
import io.parabench.eplb.Placement;
import io.parabench.eplb.ReferenceBalancer;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.Emulation;
import io.parabench.kernels.HostPool;
import io.parabench.moe.ExpertParallelLayer;
import io.parabench.moe.MoeLayer;
import io.parabench.moe.MoeRun;
import io.parabench.moe.ReferenceMoe;
import io.parabench.output.FileSet;
import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code parabench moe}: one expert-parallel MoE layer on emulated GPUs with an EPLB placement,
 * checked against the same layer on one device.
 */
@Command(name = "moe", mixinStandardHelpOptions = true,
        description = {"Run one MoE layer expert-parallel on emulated GPUs (DeepEP-style dispatch/combine on a"
                + " communication stream, experts on a compute stream; real FP32 numerics, virtual clock) and"
                + " check its output against the layer run on one device: they must be equal bit for bit.",
                "Placement: 'reference' runs DeepSeek's EPLB on the expert loads the router produces;"
                + " 'none' gives each expert one slot (replicas = experts)."})
final class MoeCommand implements Callable<Integer> {
    private static final int MAX_DIMENSION = 1024;

    @Option(names = "--gpus", defaultValue = "4", paramLabel = "G", description = "emulated GPUs (default: ${DEFAULT-VALUE})")
    int gpus;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N", description = "nodes the GPUs form (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--experts", defaultValue = "16", paramLabel = "E", description = "routed experts (default: ${DEFAULT-VALUE})")
    int experts;

    @Option(names = "--replicas", paramLabel = "R",
            description = "physical expert slots, a multiple of --gpus (default: experts + gpus, rounded up to a multiple of gpus)")
    Integer replicas;

    @Option(names = "--top-k", defaultValue = "2", paramLabel = "K", description = "experts per token (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--skew", defaultValue = "0", paramLabel = "S",
            description = "router skew: raises expert e's logit by about S·(E−1−e)/(E−1) (default: ${DEFAULT-VALUE})")
    double skew;

    @Option(names = "--policy", defaultValue = "reference", paramLabel = "POLICY",
            description = "reference or none (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--tokens", defaultValue = "256", paramLabel = "T", description = "tokens per GPU (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--width", defaultValue = "64", paramLabel = "D", description = "model width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--hidden", defaultValue = "128", paramLabel = "H",
            description = "expert hidden width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--comm-sms", paramLabel = "N",
            description = "SMs of each GPU's communication stream (default: 20, as DeepSeek, or fewer on a device"
                    + " with fewer SMs: 20/132 of them, at least 1)")
    Integer commSmsOption;

    /** DeepSeek's share: 20 of the H800's 132 SMs for communication. */
    private static final int DEEPSEEK_COMM_SMS = 20;

    /** The resolved {@code --comm-sms}. */
    int commSms;

    @Option(names = "--chunks", defaultValue = "2", paramLabel = "C",
            description = "token chunks whose communication overlaps other chunks' experts (default: ${DEFAULT-VALUE})")
    int chunks;

    @Mixin
    EmulatorOptions emulator;

    @Option(names = "--trace", paramLabel = "DIR", description = "also write one Chrome trace of all GPUs: DIR/moe.json")
    Path traceDir;

    @Option(names = "--force", description = "with --trace: write into DIR even when it holds other files (they stay)")
    boolean force;

    /** The file {@code --trace} writes. */
    private static final Pattern MOE_TRACE = Pattern.compile("moe\\.json");

    @Mixin
    FormatOption format;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Largest router skew: beyond it the logits' float arithmetic overflows into NaN. */
    static final int MAX_SKEW = 1000;

    /**
     * The heap the layer needs before anything is allocated, in floats: the weights (router,
     * E x 2 x D x H), the tokens, the expert-parallel run (token copies and outputs, one weight
     * copy per slot, a router per GPU, gate logits and probabilities, dispatched rows and expert
     * outputs (2 x rows x k x D), expert hidden and activations (2 x rows x k x H)) and the
     * one-device reference (the same without per-slot weights), summed (both are alive while
     * the outputs are compared).
     */
    private void requireFitsInHeap(int slots) {
        double rows = (double) gpus * tokens;
        double weights = (double) experts * (width + 2.0 * width * hidden);
        double tokenFloats = rows * width;
        double routed = rows * topK;
        double ep = 2 * tokenFloats + slots * 2.0 * width * hidden + (double) gpus * experts * width
                + 2 * rows * experts + 2 * routed * width + 2 * routed * hidden;
        double reference = 2 * tokenFloats + weights + 2 * rows * experts + 2 * routed * width + 2 * routed * hidden;
        HeapBudget.require(String.format(Locale.ROOT, "MoE layer of %d GPUs x %d tokens (d=%d, h=%d, %d experts in %d"
                        + " slots, top-%d)", gpus, tokens, width, hidden, experts, slots, topK),
                4 * (weights + tokenFloats + ep + reference), "--gpus, --tokens, --width, --hidden, --replicas or --top-k");
    }

    private static void requireRange(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(name + " (" + value + ") must be in " + lo + ".." + hi);
        }
    }

    @Override
    public Integer call() throws Exception {
        Emulation emulation = emulator.emulation();
        // timing-only computes nothing, so DeepSeek-V3's sizes (d=7168, 4096 tokens a GPU) are fine
        int maxDimension = emulation.timingOnly() ? 65536 : MAX_DIMENSION;
        requireRange("--gpus", gpus, 1, 64);
        requireRange("--experts", experts, 2, 256);
        requireRange("--tokens", tokens, 1, emulation.timingOnly() ? 65536 : 4096);
        requireRange("--width", width, 1, maxDimension);
        requireRange("--hidden", hidden, 1, maxDimension);
        requireRange("--threads", emulator.threads, 1, 64);
        requireRange("--top-k", topK, 1, experts);
        if (!(Math.abs(skew) <= MAX_SKEW)) {
            throw new IllegalArgumentException("--skew (" + skew + ") must be a finite number in -" + MAX_SKEW + ".."
                    + MAX_SKEW + " (a shift of " + MAX_SKEW + " already routes every token to the first experts)");
        }
        if (!policy.equals("reference") && !policy.equals("none")) {
            throw new IllegalArgumentException("--policy (" + policy + ") must be reference or none");
        }
        int slots;
        if (policy.equals("none")) {
            if (replicas != null && replicas != experts) {
                throw new IllegalArgumentException("--replicas (" + replicas + ") must equal --experts (" + experts
                        + ") with --policy none");
            }
            slots = experts;
        } else {
            slots = replicas != null ? replicas : (experts + gpus + gpus - 1) / gpus * gpus;
        }
        requireRange("--replicas", slots, experts, 4096);
        DeviceSpec gpu = emulator.deviceSpec();
        if (gpu.numSms() < 2) {
            throw new IllegalArgumentException("--device (" + emulator.device + ") has " + gpu.numSms() + " SM: the"
                    + " communication stream needs SMs of its own; use a GPU preset (h800, h100, h200)");
        }
        commSms = commSmsOption != null ? commSmsOption
                : Math.max(1, Math.min(DEEPSEEK_COMM_SMS, gpu.numSms() * DEEPSEEK_COMM_SMS / 132));
        if (commSms < 1 || commSms > gpu.numSms() - 1) {
            throw new IllegalArgumentException("--comm-sms (" + commSms + ") must be in 1.." + (gpu.numSms() - 1)
                    + " (device " + gpu.name() + " has " + gpu.numSms() + " SMs; compute keeps at least one)");
        }
        ClusterShape shape = new ClusterShape(slots, 1, nodes, gpus);
        requireRange("--chunks", chunks, 1, tokens);
        if (emulation.timingOnly()) {
            return timingOnly(gpu, shape, emulation);
        }
        requireFitsInHeap(slots);
        MoeLayer layer = new MoeLayer(width, hidden, experts, topK, skew, emulator.seed);
        float[][] x = layer.tokens(gpus, tokens, emulator.seed + 1);

        try (HostPool pool = HostPool.of(emulator.threads)) {
            Placement placement = spread(shape, experts);
            if (policy.equals("reference")) {
                // observe the router's expert loads (they do not depend on the placement), then balance them
                MoeRun observed = ExpertParallelLayer.run(layer, x, placement, gpu, commSms, chunks, pool, null, emulation);
                placement = ReferenceBalancer.rebalance(observed.eplbLoads(), shape);
            }
            Placement chosen = placement;
            MoeRun run = traceDir == null
                    ? ExpertParallelLayer.run(layer, x, chosen, gpu, commSms, chunks, pool, null, emulation)
                    : traced(chosen, gpu, w -> ExpertParallelLayer.run(layer, x, chosen, gpu, commSms, chunks, pool,
                            w, emulation));
            float[][] reference = ReferenceMoe.run(layer, x, gpu, pool);
            double diff = 0;
            for (int g = 0; g < gpus; g++) {
                for (int i = 0; i < reference[g].length; i++) {
                    diff = Math.max(diff, Math.abs((double) run.output()[g][i] - reference[g][i]));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(format.json() ? json(gpu, shape, run, diff) : text(gpu, shape, run, diff));
            out.flush();
            requireBitEqual(diff);
        }
        return 0;
    }

    /** The layer must equal its one-device reference bit for bit: exit 1 naming the difference. */
    static void requireBitEqual(double maxAbsDifference) {
        if (maxAbsDifference != 0) {
            throw new CheckFailedException("the expert-parallel layer differs from the one-device reference:"
                    + " max |out - reference| = " + String.format(Locale.ROOT, "%.3e", maxAbsDifference) + " (must be 0)");
        }
    }

    /** Slot s holds expert s mod E: every expert once, the extra slots replicate experts 0, 1, … */
    private static Placement spread(ClusterShape shape, int experts) {
        int[] phy2log = new int[shape.replicas()];
        for (int s = 0; s < phy2log.length; s++) {
            phy2log[s] = s % experts;
        }
        return Placement.of(shape, experts, new int[][] {phy2log});
    }

    /**
     * The layer at any size, charged but not computed: routing drawn from the router skew
     * ({@code MoeLayer.drawnRouting}), no reference check.
     */
    private int timingOnly(DeviceSpec gpu, ClusterShape shape, Emulation emulation) throws Exception {
        MoeLayer layer = MoeLayer.shapeOnly(width, hidden, experts, topK, skew, emulator.seed);
        Placement placement = spread(shape, experts);
        if (policy.equals("reference")) {
            MoeRun observed = ExpertParallelLayer.timingOnly(layer, tokens, placement, gpu, commSms, chunks,
                    emulation.precision(), null);
            placement = ReferenceBalancer.rebalance(observed.eplbLoads(), shape);
        }
        Placement chosen = placement;
        MoeRun run = traceDir == null
                ? ExpertParallelLayer.timingOnly(layer, tokens, chosen, gpu, commSms, chunks, emulation.precision(), null)
                : traced(chosen, gpu, w -> ExpertParallelLayer.timingOnly(layer, tokens, chosen, gpu, commSms, chunks,
                        emulation.precision(), w));
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.json() ? json(gpu, shape, run, Double.NaN) : text(gpu, shape, run, Double.NaN));
        out.flush();
        return 0;
    }

    private MoeRun traced(Placement placement, DeviceSpec gpu,
                          java.util.function.Function<ChromeTraceWriter, MoeRun> body) {
        List<DeviceProperties> devices = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            devices.add(gpu.properties(g));
        }
        try (FileSet files = FileSet.open(traceDir, MOE_TRACE, force)) {
            ChromeTraceWriter writer = ChromeTraceWriter.open(files.create("moe.json"), devices, -1, 0);
            MoeRun run = body.apply(writer);
            writer.close();
            files.commit();
            return run;
        }
    }

    private static double mean(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static long[] longs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static long max(long[] values) {
        long max = Long.MIN_VALUE;
        for (long v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private String json(DeviceSpec gpu, ClusterShape shape, MoeRun run, double diff) throws Exception {
        ObjectNode root = JsonOutput.object();
        root.put("policy", policy);
        root.put("gpus", gpus);
        root.put("nodes", nodes);
        root.put("experts", experts);
        root.put("replicas", shape.replicas());
        root.put("top_k", topK);
        root.put("tokens_per_gpu", tokens);
        root.put("skew", skew);
        root.put("device", gpu.name());
        long[] rows = longs(run.gpuRows());
        root.put("max_rows_per_gpu", max(rows));
        root.put("mean_rows_per_gpu", mean(rows));
        root.put("max_expert_busy(us)", run.maxExpertBusyNs() / 1000.0);
        root.put("mean_expert_busy(us)", mean(run.expertBusyNs()) / 1000.0);
        root.put("layer_time(us)", run.layerNs() / 1000.0);
        root.put("comm_overlap(us)", run.commOverlapNs() / 1000.0);
        if (Double.isNaN(diff)) {
            root.putNull("max_abs_diff");
            root.put("checks", "not run (timing-only)");
        } else {
            root.put("max_abs_diff", diff);
        }
        ArrayNode per = root.putArray("per_gpu");
        for (int g = 0; g < gpus; g++) {
            ObjectNode node = per.addObject();
            node.put("gpu", g);
            node.put("rows", run.gpuRows()[g]);
            node.put("expert_busy(us)", run.expertBusyNs()[g] / 1000.0);
        }
        return JsonOutput.write(root);
    }

    private String text(DeviceSpec gpu, ClusterShape shape, MoeRun run, double diff) {
        StringBuilder sb = new StringBuilder();
        long[] rows = longs(run.gpuRows());
        sb.append(String.format(Locale.ROOT, "MoE layer, %d GPUs (%d nodes), %d experts in %d slots (policy %s), top-%d,"
                        + " %d tokens/GPU, skew %s, %s%n", gpus, nodes, experts, shape.replicas(), policy, topK, tokens,
                skew, gpu.name()));
        sb.append(String.format(Locale.ROOT, "expert rows per GPU: max %d, mean %.1f   expert busy: max %.3f us, mean %.3f us%n",
                max(rows), mean(rows), run.maxExpertBusyNs() / 1000.0, mean(run.expertBusyNs()) / 1000.0));
        sb.append(String.format(Locale.ROOT, "virtual layer time %.3f us   comm/compute overlap %.3f us%n",
                run.layerNs() / 1000.0, run.commOverlapNs() / 1000.0));
        sb.append("max |out - reference| ").append(Double.isNaN(diff) ? "not checked (timing-only)"
                        : diff == 0 ? "0" : String.format(Locale.ROOT, "%.3e", diff))
                .append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%6s %8s %16s%n", "gpu", "rows", "expert busy(us)"));
        for (int g = 0; g < gpus; g++) {
            sb.append(String.format(Locale.ROOT, "%6d %8d %16.3f%n", g, run.gpuRows()[g], run.expertBusyNs()[g] / 1000.0));
        }
        return sb.toString().stripTrailing();
    }
}
