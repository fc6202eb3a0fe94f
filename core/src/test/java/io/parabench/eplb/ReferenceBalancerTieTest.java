package io.parabench.eplb;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast reference (heaps, candidate selection, packed keys) against a slow transcription
 * of {@code eplb.py} on small-integer loads full of ties and zeros, on random shapes of both
 * policies: every choice the tie rules define must come out the same, ranks included.
 */
class ReferenceBalancerTieTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void shouldMakeTheSameChoicesAsAPlainTranscriptionUnderTies(long seed) {
        Random random = new Random(seed);
        int nodes = 1 + random.nextInt(4);
        int groups = random.nextBoolean() ? nodes * (1 + random.nextInt(3)) : 1 + random.nextInt(5);
        int effectiveNodes = groups % nodes == 0 ? nodes : 1;
        int experts = groups * effectiveNodes * (1 + random.nextInt(4));
        int gpus = nodes * (1 + random.nextInt(20)); // up to 80 GPUs: the heap path too
        int perGpu = (experts + gpus - 1) / gpus + random.nextInt(3);
        int replicas = gpus * perGpu;
        float[][] loads = new float[4][experts];
        for (float[] row : loads) {
            for (int e = 0; e < experts; e++) {
                row[e] = random.nextInt(4) == 0 ? 0 : random.nextInt(6); // many equal loads, zeros
            }
        }
        ClusterShape shape = new ClusterShape(replicas, groups, nodes, gpus);
        int[][] rank = new int[loads.length][replicas];
        int[][] want = NaiveReference.phy2log(loads, replicas, groups, nodes, gpus, rank);
        Placement got = ReferenceBalancer.rebalance(loads, shape);
        assertArrayEquals(want, got.phy2log(), shape.toString());
        for (int l = 0; l < loads.length; l++) {
            for (int s = 0; s < replicas; s++) {
                int e = want[l][s];
                assertArrayEquals(new int[]{s}, new int[]{got.slotOf(l, e, rank[l][s])},
                        "layer " + l + " slot " + s + " is replica " + rank[l][s] + " of expert " + e);
            }
        }
    }
}
