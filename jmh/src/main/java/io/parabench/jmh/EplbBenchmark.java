package io.parabench.jmh;

import io.parabench.eplb.ClusterShape;
import io.parabench.eplb.Placement;
import io.parabench.eplb.ReferenceBalancer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time of one call of {@link ReferenceBalancer#rebalance} (DeepSeek's
 * {@code rebalance_experts}, exact) on DeepSeek-V3-sized inputs, single thread:
 * 58 MoE layers × 256 routed experts in 8 groups, and
 * <ul>
 *   <li>{@code prefill}: 288 replicas, 4 nodes, 32 GPUs (hierarchical policy) — goal ≤ 1 ms;</li>
 *   <li>{@code decode}: 288 replicas on 144 GPUs of 18 nodes (8 groups do not split over 18
 *       nodes, so the global policy) — goal ≤ 2 ms.</li>
 * </ul>
 * The reference (PyTorch, CPU) takes about 0.3 s and 1.5 s for these.
 *
 * <p>Loads are Zipf-like (exponent 1) over a seeded random permutation of the experts, with
 * ±50 % seeded noise, one row per layer, fixed in {@code @Setup} so every invocation balances
 * the same input. The placement is returned, so JMH consumes it and the call cannot be
 * eliminated; the time includes building the result arrays, as a caller would pay.
 *
 * <p>Run: {@code java -cp … org.openjdk.jmh.Main EplbBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EplbBenchmark {
    private static final int LAYERS = 58;
    private static final int EXPERTS = 256;

    /** Which DeepSeek-V3 deployment to balance. */
    @Param({"prefill", "decode"})
    public String deployment;

    private float[][] loads;
    private ClusterShape shape;

    @Setup
    public void setUp() {
        shape = switch (deployment) {
            case "prefill" -> new ClusterShape(288, 8, 4, 32);
            case "decode" -> new ClusterShape(288, 8, 18, 144);
            default -> throw new IllegalArgumentException("deployment (" + deployment + ") must be prefill or decode");
        };
        Random random = new Random(20250227L);
        loads = new float[LAYERS][EXPERTS];
        for (int l = 0; l < LAYERS; l++) {
            int[] rankOf = permutation(random);
            for (int e = 0; e < EXPERTS; e++) {
                double zipf = 10_000.0 / (rankOf[e] + 1);
                loads[l][e] = (float) (zipf * (0.5 + random.nextDouble()));
            }
        }
    }

    private static int[] permutation(Random random) {
        int[] p = new int[EXPERTS];
        for (int i = 0; i < EXPERTS; i++) {
            p[i] = i;
        }
        for (int i = EXPERTS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** One rebalance of all 58 layers with the exact reference algorithm. */
    @Benchmark
    public Placement reference() {
        return ReferenceBalancer.rebalance(loads, shape);
    }
}
