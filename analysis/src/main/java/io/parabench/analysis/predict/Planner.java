package io.parabench.analysis.predict;

import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches schedule kind × micro-batches × virtual stages for the configuration that fits a
 * rank's memory and has the least predicted step time per micro-batch, and the Pareto front of
 * time per micro-batch against memory.
 *
 * <p>Memory depends on the op order alone ({@link Schedule#peakActivations}), so configurations
 * that do not fit are dropped before any simulation. Each remaining one has a lower bound of
 * its time without simulating ({@link Simulator#lowerBound}: a rank's ops added up, after the
 * forwards that must reach its first stage).
 * The best is found branch-and-bound, by bound ascending until the next bound exceeds the best
 * time found. The front then needs only configurations with no more memory than the best (any
 * other is at best as fast and bigger), by memory ascending, skipping those whose bound is no
 * better than the fastest found at less memory. The result equals simulating every
 * configuration (tested against that brute force).
 *
 * <p>Stateless; the predictor supplies the measured hardware.
 */
public final class Planner {
    private Planner() {
    }

    /** Stages per rank tried for interleaved. */
    static final int[] INTERLEAVED_STAGES = {2, 3, 4};

    /** A configuration to evaluate: its schedule and what it needs, before simulation. */
    private record Config(ScheduleKind kind, int chunks, int v, Schedule schedule, double memory, double boundPerMb,
                          int order) {
    }

    /** Every (kind, chunks, v) of the space that the generators accept, in search order. */
    static List<Object[]> space(int ranks, List<ScheduleKind> kinds, int chunksFrom, int chunksTo) {
        List<Object[]> out = new ArrayList<>();
        for (ScheduleKind kind : kinds) {
            for (int c = chunksFrom; c <= chunksTo; c++) {
                int[] vs = kind == ScheduleKind.INTERLEAVED ? INTERLEAVED_STAGES : new int[]{0};
                for (int v : vs) {
                    try {
                        out.add(new Object[]{kind, c, v, kind.generate(ranks, c, Math.max(2, v))});
                    } catch (IllegalArgumentException e) {
                        // this size breaks the kind's rules (e.g. DualPipe with odd micro-batches): not in the space
                    }
                }
            }
        }
        return out;
    }

    /** The memory a configuration needs, in the limit's unit. */
    static double memory(Predictor predictor, Schedule schedule, MemoryLimit limit) {
        int peak = 0;
        for (int r = 0; r < schedule.ranks(); r++) {
            peak = Math.max(peak, schedule.peakActivations(r));
        }
        double stageSize = predictor.stageSize(schedule);
        return limit.need(peak * stageSize, schedule.layout().chunksPerRank() * stageSize);
    }

    public static Plan search(Predictor predictor, int ranks, List<ScheduleKind> kinds, int chunksFrom, int chunksTo,
                              MemoryLimit limit) {
        if (chunksFrom < 1 || chunksTo < chunksFrom) {
            throw new IllegalArgumentException("--chunks-range (" + chunksFrom + ".." + chunksTo
                    + ") must be a..b with 1 <= a <= b");
        }
        List<Object[]> space = space(ranks, kinds, chunksFrom, chunksTo);
        List<Config> fitting = new ArrayList<>();
        for (int i = 0; i < space.size(); i++) {
            Object[] s = space.get(i);
            Schedule schedule = (Schedule) s[3];
            double memory = memory(predictor, schedule, limit);
            if (memory <= limit.limit()) {
                CostModel costs = predictor.costModel(schedule);
                double bound = Simulator.lowerBound(schedule, costs) / (int) s[1];
                fitting.add(new Config((ScheduleKind) s[0], (int) s[1], (int) s[2], schedule, memory, bound, i));
            }
        }
        // 1. the best: by lower bound ascending, until the bound can no longer beat the best found
        fitting.sort(Comparator.comparingDouble(Config::boundPerMb).thenComparingInt(Config::order));
        Map<Integer, Plan.Candidate> simulated = new HashMap<>();
        Plan.Candidate best = null;
        for (Config c : fitting) {
            if (best != null && c.boundPerMb() > best.usPerMicroBatch()) {
                break;
            }
            Plan.Candidate candidate = simulate(predictor, c, simulated);
            if (best == null || better(candidate, best)) {
                best = candidate;
            }
        }
        // 2. the front: by memory ascending up to the best's memory (anything needing more is slower
        //    than the best or as slow: dominated); a bound no better than the fastest so far rules out
        fitting.sort(Comparator.comparingDouble(Config::memory).thenComparingDouble(Config::boundPerMb)
                .thenComparingInt(Config::order));
        List<Plan.Candidate> front = new ArrayList<>();
        for (Config c : fitting) {
            if (best == null || c.memory() > best.memory()) {
                break;
            }
            Plan.Candidate last = front.isEmpty() ? null : front.get(front.size() - 1);
            if (last != null && c.boundPerMb() >= last.usPerMicroBatch()) {
                continue;
            }
            Plan.Candidate candidate = simulate(predictor, c, simulated);
            if (last == null || candidate.usPerMicroBatch() < last.usPerMicroBatch()) {
                // at equal memory a faster configuration replaces the slower one on the front
                if (last != null && last.memory() == candidate.memory()) {
                    front.remove(front.size() - 1);
                }
                front.add(candidate);
            }
        }
        return new Plan(best, front, space.size(), fitting.size(), simulated.size());
    }

    /** Less time per micro-batch, then less memory. */
    private static boolean better(Plan.Candidate a, Plan.Candidate b) {
        return a.usPerMicroBatch() < b.usPerMicroBatch()
                || (a.usPerMicroBatch() == b.usPerMicroBatch() && a.memory() < b.memory());
    }

    private static Plan.Candidate simulate(Predictor predictor, Config c, Map<Integer, Plan.Candidate> done) {
        return done.computeIfAbsent(c.order(), k -> new Plan.Candidate(c.kind().cliName(), c.chunks(), c.v(), c.memory(),
                predictor.predict(c.schedule())));
    }
}
