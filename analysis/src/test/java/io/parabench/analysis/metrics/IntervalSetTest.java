package io.parabench.analysis.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks the sweep-based unions against a brute-force bitmap of unit time slots. */
class IntervalSetTest {
    private static final int HORIZON = 200;

    @Test
    void shouldMergeOverlappingAndTouchingIntervals() {
        IntervalSet s = IntervalSet.of(0, 10, 5, 15, 15, 20, 30, 40, 35, 36, 50, 50);
        assertEquals(2, s.size());
        assertEquals(0, s.start(0));
        assertEquals(20, s.end(0));
        assertEquals(30, s.totalNs());
        assertEquals(4, s.overlapNs(IntervalSet.of(18, 32)), "[18,20) and [30,32)");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 98765})
    void shouldAgreeWithABitmapOnRandomIntervals(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            long[] a = randomPairs(random);
            long[] b = randomPairs(random);
            boolean[] inA = bitmap(a);
            boolean[] inB = bitmap(b);
            IntervalSet sa = IntervalSet.of(a);
            IntervalSet sb = IntervalSet.of(b);
            long from = random.nextInt(HORIZON / 2);
            long to = from + random.nextInt(HORIZON / 2);
            long union = 0;
            long both = 0;
            long clipped = 0;
            long gaps = 0;
            for (int t = 0; t < HORIZON; t++) {
                union += inA[t] ? 1 : 0;
                both += inA[t] && inB[t] ? 1 : 0;
                boolean inWindow = t >= from && t < to;
                clipped += inA[t] && inWindow ? 1 : 0;
                gaps += !inA[t] && inWindow ? 1 : 0;
            }
            assertEquals(union, sa.totalNs(), "union, seed " + seed);
            assertEquals(both, sa.overlapNs(sb), "intersection, seed " + seed);
            assertEquals(both, sb.overlapNs(sa), "intersection is symmetric, seed " + seed);
            assertEquals(clipped, sa.clip(from, to).totalNs(), "clip, seed " + seed);
            assertEquals(gaps, sa.gaps(from, to).totalNs(), "gaps, seed " + seed);
            for (int k = 1; k < sa.size(); k++) {
                assertEquals(true, sa.start(k) > sa.end(k - 1), "disjoint and sorted");
            }
        }
    }

    private static long[] randomPairs(Random random) {
        int n = random.nextInt(12);
        long[] pairs = new long[2 * n];
        for (int i = 0; i < n; i++) {
            long start = random.nextInt(HORIZON - 20);
            pairs[2 * i] = start;
            pairs[2 * i + 1] = start + random.nextInt(20);
        }
        return pairs;
    }

    private static boolean[] bitmap(long[] pairs) {
        boolean[] in = new boolean[HORIZON];
        for (int i = 0; i < pairs.length; i += 2) {
            for (long t = pairs[i]; t < pairs[i + 1]; t++) {
                in[(int) t] = true;
            }
        }
        return in;
    }
}
