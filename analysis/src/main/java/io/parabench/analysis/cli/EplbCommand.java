package io.parabench.analysis.cli;

import io.parabench.analysis.chart.ChartFiles;
import com.fasterxml.jackson.core.JsonGenerator;
import io.parabench.analysis.chart.ExpertLoadChart;
import io.parabench.eplb.BalancePolicy;
import io.parabench.eplb.ClusterShape;
import io.parabench.eplb.EplbCase;
import io.parabench.eplb.EplbCaseReader;
import io.parabench.eplb.ExpertLoads;
import io.parabench.eplb.Placement;
import io.parabench.eplb.PlacementMetrics;
import io.parabench.eplb.ServingSimulation;
import io.parabench.eplb.SyntheticExpertLoads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code parabench eplb}: plans expert placements with DeepSeek's EPLB (exact) or the improved
 * policy, in three modes: a batch of cases ({@code --cases}, the format of
 * {@code reference-cases.json}), one plan ({@code --weights}, optionally charted before and
 * after balancing), or a load-over-time serving simulation ({@code --simulate}).
 */
@Command(name = "eplb", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plan MoE expert placements with DeepSeek's EPLB (exact) or the improved policy.",
                "  parabench eplb --cases FILE [--policy reference|improved] [--format json]",
                "  parabench eplb --weights W.json --replicas R --groups G --nodes N --gpus P [--chart out.svg]",
                "  parabench eplb --simulate STEPS --experts E --replicas R --groups G --nodes N --gpus P [...]"})
public final class EplbCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", paramLabel = "FILE",
            description = "JSON array of cases (weight, num_replicas, num_groups, num_nodes, num_gpus)")
    Path cases;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "loads of one plan: [layers][experts] (or [experts] for one layer)")
    Path weights;

    @Option(names = "--simulate", paramLabel = "STEPS", description = "simulate serving for STEPS steps")
    Integer simulateSteps;

    @Option(names = "--replicas", description = "physical expert slots per layer (a multiple of --gpus)")
    Integer replicas;

    @Option(names = "--groups", description = "expert groups")
    Integer groups;

    @Option(names = "--nodes", description = "server nodes")
    Integer nodes;

    @Option(names = "--gpus", description = "GPUs (a multiple of --nodes)")
    Integer gpus;

    @Option(names = "--policy", defaultValue = "reference",
            description = "reference (DeepSeek's, exact) or improved (default: ${DEFAULT-VALUE})")
    BalancePolicy policy;

    @Option(names = "--no-duplicate-on-gpu", description = "never put two replicas of one expert on one GPU (improved policy)")
    boolean noDuplicateOnGpu;

    @Option(names = "--chart", paramLabel = "FILE", description = "with --weights: per-GPU load chart, .svg or .png")
    Path chart;

    @Option(names = "--layer", description = "with --chart: layer to draw (default: the least balanced)")
    Integer layer;

    @Option(names = "--experts", description = "with --simulate: logical experts per layer")
    Integer experts;

    @Option(names = "--layers", defaultValue = "1", description = "with --simulate: MoE layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--rebalance-every", defaultValue = "50",
            description = "with --simulate: steps between re-plans (default: ${DEFAULT-VALUE})")
    int rebalanceEvery;

    @Option(names = "--decay", defaultValue = "0.9",
            description = "with --simulate: weight of the old load estimate per step (default: ${DEFAULT-VALUE})")
    double decay;

    @Option(names = "--zipf", defaultValue = "1.0", description = "with --simulate: Zipf exponent (default: ${DEFAULT-VALUE})")
    double zipf;

    @Option(names = "--drift", defaultValue = "0.2",
            description = "with --simulate: chance per step of a hot-expert rank swap (default: ${DEFAULT-VALUE})")
    double drift;

    @Option(names = "--noise", defaultValue = "0.1",
            description = "with --simulate: relative per-step load noise (default: ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--tokens", defaultValue = "65536",
            description = "with --simulate: tokens per layer and step (default: ${DEFAULT-VALUE})")
    double tokens;

    @Option(names = "--seed", defaultValue = "1", description = "with --simulate: random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws IOException {
        int modes = (cases != null ? 1 : 0) + (weights != null ? 1 : 0) + (simulateSteps != null ? 1 : 0);
        if (modes != 1) {
            throw new IllegalArgumentException("mode (" + modes + " given) must be exactly one of --cases FILE, "
                    + "--weights FILE or --simulate STEPS");
        }
        if (noDuplicateOnGpu && policy == BalancePolicy.REFERENCE) {
            throw new IllegalArgumentException("--no-duplicate-on-gpu (set) needs --policy improved: "
                    + "the reference may put two replicas of one expert on one GPU");
        }
        if ((chart != null || layer != null) && weights == null) {
            throw new IllegalArgumentException("--chart and --layer (" + (chart != null ? chart : layer)
                    + ") apply only with --weights");
        }
        ChartFiles.requireChartExtension("--chart", chart);
        PrintWriter out = spec.commandLine().getOut();
        if (cases != null) {
            if (replicas != null || groups != null || nodes != null || gpus != null) {
                throw new IllegalArgumentException("--replicas/--groups/--nodes/--gpus (given) do not apply with --cases: "
                        + "each case carries its own");
            }
            runCases(readableFile("--cases", cases), out);
        } else if (weights != null) {
            runOnePlan(readableFile("--weights", weights), shape(), out);
        } else {
            runSimulation(shape(), out);
        }
        out.flush();
        return 0;
    }

    /**
     * The heap a placement of {@code layers} x {@code experts} on {@code replicas} slots needs:
     * per slot eight ints (the reference's phy2log and rank, its per-layer work arrays, the
     * placement's copies), per expert the loads, counts and the worst-case log2phy row (one
     * expert holding every redundant slot: replicas - experts + 1 entries), per GPU the loads.
     */
    static double placementBytes(double layers, double experts, double replicas, double gpus) {
        double maxReplicasOfOne = Math.max(1, replicas - experts + 1);
        return layers * (replicas * 32 + experts * (12 + 4 * maxReplicasOfOne) + gpus * 16);
    }

    /**
     * Most expert loads a serving simulation may generate and balance (steps x layers x experts):
     * 20000 steps of DeepSeek-V3's 58 x 256 (3e8) took 30-170 s on 2 loaded cores, so 1e9 bounds
     * a run to minutes rather than days.
     */
    static final double MAX_SIMULATED_EXPERT_STEPS = 1e9;

    private static void requirePlacementFits(String what, double bytes) {
        HeapBudget.require(what, bytes, "--replicas, --layers or --experts (or the file's size)");
    }

    private static Path readableFile(String option, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " (" + file + ") must be a readable file");
        }
        return file;
    }

    private ClusterShape shape() {
        if (replicas == null || groups == null || nodes == null || gpus == null) {
            throw new IllegalArgumentException("--replicas, --groups, --nodes and --gpus (" + replicas + ", " + groups
                    + ", " + nodes + ", " + gpus + ") must all be given");
        }
        return new ClusterShape(replicas, groups, nodes, gpus);
    }

    // ---- --cases ------------------------------------------------------------------------------

    private void runCases(Path file, PrintWriter out) throws IOException {
        List<EplbCase> all = EplbCaseReader.read(file);
        // check every case before planning any, so that bad input fails before work starts
        for (EplbCase c : all) {
            try {
                ExpertLoads.check(c.loads(), c.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " case " + c.index() + ": " + e.getMessage(), e);
            }
        }
        double bytes = 0;
        for (EplbCase c : all) {
            bytes += placementBytes(c.loads().length, c.loads()[0].length, c.shape().replicas(), c.shape().gpus());
        }
        requirePlacementFits(all.size() + " placements of " + file, bytes);
        // plan every case before printing anything: a case that fails leaves stdout empty
        Placement[] plans = new Placement[all.size()];
        PlacementMetrics[] metrics = new PlacementMetrics[all.size()];
        for (int i = 0; i < plans.length; i++) {
            EplbCase c = all.get(i);
            try {
                plans[i] = policy.rebalance(c.loads(), c.shape(), noDuplicateOnGpu);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " case " + c.index() + ": " + e.getMessage(), e);
            }
            metrics[i] = PlacementMetrics.of(c.loads(), plans[i]);
        }
        if (format.json()) {
            try (JsonGenerator g = generator(out)) {
                g.writeStartArray();
                for (int i = 0; i < plans.length; i++) {
                    writePlan(g, plans[i], metrics[i]);
                }
                g.writeEndArray();
            }
            out.println();
            return;
        }
        out.printf(Locale.ROOT, "%-5s %-9s %8s %6s %5s %5s %-12s %12s %14s %15s %9s%n", "case", "shape", "replicas",
                "groups", "nodes", "gpus", "policy", "balancedness", "max/mean(mean)", "max/mean(worst)", "dup_gpus");
        double balanced = 0;
        double meanMaxOverMean = 0;
        double worst = 0;
        for (int i = 0; i < plans.length; i++) {
            EplbCase c = all.get(i);
            PlacementMetrics m = metrics[i];
            ClusterShape s = c.shape();
            out.printf(Locale.ROOT, "%-5d %-9s %8d %6d %5d %5d %-12s %12.4f %14.4f %15.4f %9d%n", c.index(),
                    c.loads().length + "x" + c.loads()[0].length, s.replicas(), s.groups(), s.nodes(), s.gpus(),
                    s.hierarchical() ? "hierarchical" : "global", m.balancedness(), m.meanMaxOverMean(),
                    m.worstMaxOverMean(), m.duplicateGpus());
            balanced += m.balancedness();
            meanMaxOverMean += m.meanMaxOverMean();
            worst = Math.max(worst, m.worstMaxOverMean());
        }
        int n = Math.max(1, all.size());
        out.printf(Locale.ROOT, "%d cases, policy %s: mean balancedness %.4f, mean max/mean %.4f, worst max/mean %.4f%n",
                all.size(), policy.name().toLowerCase(Locale.ROOT), balanced / n, meanMaxOverMean / n, worst);
    }

    // ---- --weights ----------------------------------------------------------------------------

    private void runOnePlan(Path file, ClusterShape shape, PrintWriter out) throws IOException {
        float[][] loads = EplbCaseReader.readLoads(file);
        ExpertLoads.check(loads, shape);
        requirePlacementFits(String.format(Locale.ROOT, "a placement of %d layers x %d experts on %d replicas", loads.length,
                loads[0].length, shape.replicas()), placementBytes(loads.length, loads[0].length, shape.replicas(), shape.gpus()));
        if (layer != null && (layer < 0 || layer >= loads.length)) {
            throw new IllegalArgumentException("--layer (" + layer + ") must be in [0, " + loads.length + ")");
        }
        Placement p = policy.rebalance(loads, shape, noDuplicateOnGpu);
        PlacementMetrics m = PlacementMetrics.of(loads, p);
        double[][] before = staticGpuLoad(loads, shape.gpus());
        if (chart != null) {
            int l = layer != null ? layer : leastBalancedLayer(m);
            ExpertLoadChart.write(chart, String.format(Locale.ROOT, "Expert load per GPU, layer %d (%s policy)", l,
                            policy.name().toLowerCase(Locale.ROOT)), before[l], m.gpuLoad()[l], shape.gpusPerNode(),
                    "after (" + policy.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (format.json()) {
            try (JsonGenerator g = generator(out)) {
                writePlan(g, p, m);
            }
            out.println();
            return;
        }
        out.printf(Locale.ROOT, "%s policy, %d layers x %d experts on %d replicas, %d groups, %d nodes, %d GPUs (%s)%n",
                policy.name().toLowerCase(Locale.ROOT), loads.length, loads[0].length, shape.replicas(), shape.groups(),
                shape.nodes(), shape.gpus(), shape.hierarchical() ? "hierarchical" : "global");
        out.printf(Locale.ROOT, "%-6s %12s %12s %12s %10s %9s%n", "layer", "max_gpu", "mean_gpu", "balancedness",
                "imbalance", "dup_gpus");
        for (int l = 0; l < loads.length; l++) {
            out.printf(Locale.ROOT, "%-6d %12.2f %12.2f %12.4f %10.4f %9d%n", l, m.maxGpuLoad(l), m.meanGpuLoad(l),
                    m.balancedness(l), m.imbalance(l), m.duplicateGpus(l));
        }
        out.printf(Locale.ROOT, "balancedness %.4f (before balancing %.4f), worst max/mean %.4f%n", m.balancedness(),
                staticBalancedness(before), m.worstMaxOverMean());
        long[] histogram = m.replicaHistogram();
        StringBuilder h = new StringBuilder("replicas per expert:");
        for (int k = 1; k < histogram.length; k++) {
            h.append(' ').append(k).append('x').append('=').append(histogram[k]);
        }
        out.println(h);
        for (int l = 0; l < loads.length; l++) {
            StringBuilder row = new StringBuilder("phy2log[" + l + "]:");
            for (int s = 0; s < shape.replicas(); s++) {
                row.append(' ').append(p.expertAt(l, s));
            }
            out.println(row);
        }
    }

    /**
     * GPU loads without EPLB: one copy per expert, experts laid out in id order, expert
     * {@code e} on GPU {@code e · gpus / experts}.
     */
    private static double[][] staticGpuLoad(float[][] loads, int gpus) {
        double[][] gpu = new double[loads.length][gpus];
        for (int l = 0; l < loads.length; l++) {
            int experts = loads[l].length;
            for (int e = 0; e < experts; e++) {
                gpu[l][(int) ((long) e * gpus / experts)] += loads[l][e];
            }
        }
        return gpu;
    }

    private static double staticBalancedness(double[][] gpu) {
        double sum = 0;
        for (double[] row : gpu) {
            double max = 0;
            double mean = 0;
            for (double x : row) {
                max = Math.max(max, x);
                mean += x / row.length;
            }
            sum += max == 0 ? 1 : mean / max;
        }
        return sum / gpu.length;
    }

    private static int leastBalancedLayer(PlacementMetrics m) {
        int worst = 0;
        for (int l = 1; l < m.layers(); l++) {
            if (m.balancedness(l) < m.balancedness(worst)) {
                worst = l;
            }
        }
        return worst;
    }

    // ---- --simulate ---------------------------------------------------------------------------

    private void runSimulation(ClusterShape shape, PrintWriter out) throws IOException {
        if (experts == null) {
            throw new IllegalArgumentException("--experts (missing) must be given with --simulate");
        }
        if (simulateSteps <= 0) {
            throw new IllegalArgumentException("--simulate (" + simulateSteps + ") must be > 0 steps");
        }
        if (layers < 1 || experts < 1) {
            throw new IllegalArgumentException("--layers and --experts (" + layers + ", " + experts + ") must be >= 1");
        }
        double work = (double) simulateSteps * layers * experts;
        if (work > MAX_SIMULATED_EXPERT_STEPS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--simulate x --layers x --experts (%d x %d x %d"
                    + " = %.2g expert-steps) must be at most %.0g (a few minutes); lower --simulate or --layers",
                    simulateSteps, layers, experts, work, MAX_SIMULATED_EXPERT_STEPS));
        }
        requirePlacementFits(String.format(Locale.ROOT, "a serving simulation of %d steps, %d layers x %d experts on %d"
                        + " replicas", simulateSteps, layers, experts, shape.replicas()),
                3 * placementBytes(layers, experts, shape.replicas(), shape.gpus()) + 16.0 * layers * experts
                        + 24.0 * simulateSteps);
        ServingSimulation.Config config = new ServingSimulation.Config(shape, layers, experts, simulateSteps,
                rebalanceEvery, decay, policy);
        SyntheticExpertLoads generator = new SyntheticExpertLoads(layers, experts, tokens, zipf, drift, noise, seed);
        ServingSimulation.Result r = ServingSimulation.run(config, generator);
        if (format.json()) {
            try (JsonGenerator g = generator(out)) {
                g.writeStartObject();
                g.writeNumberField("mean_realised_balancedness", r.meanRealised());
                g.writeNumberField("mean_oracle_balancedness", r.meanOracle());
                writeDoubles(g, "realised_balancedness", r.realisedBalancedness());
                writeDoubles(g, "oracle_balancedness", r.oracleBalancedness());
                g.writeArrayFieldStart("rebalances");
                for (int i = 0; i < r.rebalanceSteps().length; i++) {
                    g.writeStartObject();
                    g.writeNumberField("step", r.rebalanceSteps()[i]);
                    g.writeNumberField("moved_replicas", r.movedPerRebalance()[i]);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            out.println();
            return;
        }
        out.printf(Locale.ROOT, "%-6s %10s %10s %8s%n", "step", "realised", "oracle", "moved");
        int next = 0;
        for (int step = 0; step < simulateSteps; step++) {
            String moved = "";
            if (next < r.rebalanceSteps().length && r.rebalanceSteps()[next] == step) {
                moved = Integer.toString(r.movedPerRebalance()[next++]);
            }
            out.printf(Locale.ROOT, "%-6d %10.4f %10.4f %8s%n", step, r.realisedBalancedness()[step],
                    r.oracleBalancedness()[step], moved);
        }
        int total = 0;
        for (int m : r.movedPerRebalance()) {
            total += m;
        }
        out.printf(Locale.ROOT, "mean balancedness: realised %.4f, oracle %.4f; %d re-plans moved %d replicas%n",
                r.meanRealised(), r.meanOracle(), r.rebalanceSteps().length, total);
    }

    // ---- JSON ---------------------------------------------------------------------------------

    private static JsonGenerator generator(PrintWriter out) throws IOException {
        return JsonOutput.generator(out);
    }

    private static void writePlan(JsonGenerator g, Placement p, PlacementMetrics m) throws IOException {
        g.writeStartObject();
        g.writeFieldName("phy2log");
        writeInts2(g, p.phy2log());
        g.writeFieldName("log2phy");
        g.writeStartArray();
        for (int[][] layerSlots : p.log2phy()) {
            writeInts2(g, layerSlots);
        }
        g.writeEndArray();
        g.writeFieldName("logcnt");
        writeInts2(g, p.logcnt());
        g.writeArrayFieldStart("gpu_load");
        for (double[] row : m.gpuLoad()) {
            g.writeArray(row, 0, row.length);
        }
        g.writeEndArray();
        g.writeNumberField("balancedness", m.balancedness());
        g.writeNumberField("max_over_mean", m.meanMaxOverMean());
        g.writeNumberField("worst_max_over_mean", m.worstMaxOverMean());
        g.writeNumberField("duplicate_gpus", m.duplicateGpus());
        g.writeEndObject();
    }

    private static void writeInts2(JsonGenerator g, int[][] rows) throws IOException {
        g.writeStartArray();
        for (int[] row : rows) {
            g.writeArray(row, 0, row.length);
        }
        g.writeEndArray();
    }

    private static void writeDoubles(JsonGenerator g, String name, double[] values) throws IOException {
        g.writeFieldName(name);
        g.writeArray(values, 0, values.length);
    }
}
