package io.parabench.eplb;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast reference against the plain transcription of {@code eplb.py} on DeepSeek-V3 shapes
 * with float loads spread over several orders of magnitude (Zipf-like, as in
 * {@code EplbBenchmark}), with outliers far above the rest and with runs of equal loads: the
 * shapes and distributions the bucket sort, the lock-step packing of nodes and the heap are
 * tuned for, where the tie tests' small integers do not reach.
 */
class ReferenceBalancerFloatTest {

    @ParameterizedTest(name = "{0}: replicas={1} groups={2} nodes={3} gpus={4} seed={5}")
    @CsvSource({
            "zipf, 288, 8, 4, 32, 1",
            "zipf, 288, 8, 18, 144, 2",
            "zipf, 320, 8, 8, 64, 3",
            "outlier, 288, 8, 4, 32, 4",
            "outlier, 288, 8, 18, 144, 5",
            "runs, 288, 8, 4, 32, 6",
            "runs, 288, 8, 18, 144, 7",
            "uniform, 512, 8, 4, 32, 8",
    })
    void shouldMatchThePlainTranscriptionOnDeepSeekShapes(String kind, int replicas, int groups, int nodes, int gpus,
                                                          long seed) {
        Random random = new Random(seed);
        float[][] loads = new float[6][256];
        for (float[] row : loads) {
            for (int e = 0; e < row.length; e++) {
                row[e] = switch (kind) {
                    case "zipf" -> (float) (10_000.0 / (1 + random.nextInt(256)) * (0.5 + random.nextDouble()));
                    // one expert a million times the rest: every other load lands in one bucket
                    case "outlier" -> e == 17 ? 1e9f : (float) (1 + 1000 * random.nextDouble());
                    // equal loads in runs: ties in every sort and every pack choice
                    case "runs" -> (float) (Math.floor(random.nextDouble() * 8) * 0.1);
                    default -> random.nextFloat();
                };
            }
        }
        ClusterShape shape = new ClusterShape(replicas, groups, nodes, gpus);
        int[][] rank = new int[loads.length][replicas];
        int[][] want = NaiveReference.phy2log(loads, replicas, groups, nodes, gpus, rank);
        Placement got = ReferenceBalancer.rebalance(loads, shape);
        assertArrayEquals(want, got.phy2log(), shape.toString());
        for (int l = 0; l < loads.length; l++) {
            for (int s = 0; s < replicas; s++) {
                assertArrayEquals(new int[]{s}, new int[]{got.slotOf(l, want[l][s], rank[l][s])},
                        "layer " + l + " slot " + s + " is replica " + rank[l][s] + " of expert " + want[l][s]);
            }
        }
    }
}
