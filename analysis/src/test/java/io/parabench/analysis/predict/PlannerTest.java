package io.parabench.analysis.predict;

import io.parabench.analysis.read.TraceReader;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan search against brute force: every configuration of the space simulated, the ones
 * that do not fit dropped, the fastest per micro-batch and the non-dominated set taken.
 */
class PlannerTest {

    /** (memory, µs per micro-batch) of every fitting configuration, simulated without any bound. */
    private static List<double[]> bruteForce(Predictor predictor, int ranks, int from, int to, MemoryLimit limit) {
        List<double[]> out = new ArrayList<>();
        for (ScheduleKind kind : ScheduleKind.values()) {
            for (int c = from; c <= to; c++) {
                for (int v : kind == ScheduleKind.INTERLEAVED ? new int[]{2, 3, 4} : new int[]{2}) {
                    Schedule s;
                    try {
                        s = kind.generate(ranks, c, v);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    Prediction p = predictor.predict(s);
                    double memory = limit.need(p.peakActivations(), p.parameters());
                    if (memory <= limit.limit()) {
                        out.add(new double[]{memory, p.stepUs() / c});
                    }
                }
            }
        }
        return out;
    }

    private static List<double[]> front(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        List<double[]> front = new ArrayList<>();
        for (double[] p : sorted) {
            if (front.isEmpty() || p[1] < front.get(front.size() - 1)[1]) {
                if (!front.isEmpty() && front.get(front.size() - 1)[0] == p[0]) {
                    front.remove(front.size() - 1);
                }
                front.add(p);
            }
        }
        return front;
    }

    private static Plan check(Predictor predictor, MemoryLimit limit, int from, int to) {
        Plan plan = Planner.search(predictor, 4, List.of(ScheduleKind.values()), from, to, limit);
        List<double[]> all = bruteForce(predictor, 4, from, to, limit);
        assertEquals(all.size(), plan.fitting());
        assertNotNull(plan.best());
        double bestTime = all.stream().mapToDouble(p -> p[1]).min().orElseThrow();
        double bestMemory = all.stream().filter(p -> p[1] == bestTime).mapToDouble(p -> p[0]).min().orElseThrow();
        assertEquals(bestTime, plan.best().usPerMicroBatch(), 1e-9);
        assertEquals(bestMemory, plan.best().memory(), 1e-9);
        List<double[]> expected = front(all);
        assertEquals(expected.size(), plan.pareto().size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i)[0], plan.pareto().get(i).memory(), 1e-9, "front point " + i);
            assertEquals(expected.get(i)[1], plan.pareto().get(i).usPerMicroBatch(), 1e-9, "front point " + i);
            assertTrue(plan.pareto().get(i).memory() <= limit.limit());
        }
        return plan;
    }

    @Test
    void shouldEqualBruteForceUnderAnActivationLimit() throws Exception {
        Predictor predictor = Predictor.of("1f1b", TraceReader.read(SharedData.require("gpu-traces/1f1b")), null, 2,
                StageCost.SPLIT);
        Plan plan = check(predictor, MemoryLimit.activations(4.5), 4, 24);
        assertTrue(plan.simulated() < plan.fitting(), "the bound should rule some out: simulated "
                + plan.simulated() + " of " + plan.fitting());
    }

    @Test
    void shouldEqualBruteForceUnderAByteLimit() throws Exception {
        Predictor predictor = Predictor.of("torch_zbv", TraceReader.read(SharedData.require("gpu-traces/torch_zbv")), null,
                2, StageCost.SPLIT);
        // one profiled-stage activation 0.5 GiB, parameters 1 GiB per stage, 6 GiB per rank
        check(predictor, MemoryLimit.bytes(6.0 * (1L << 30), 0.5 * (1L << 30), 1L << 30), 2, 20);
    }
}
