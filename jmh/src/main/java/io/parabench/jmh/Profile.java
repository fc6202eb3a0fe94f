package io.parabench.jmh;

import java.util.Locale;

/**
 * How long and how often the suite measures. One place for these numbers, each documented.
 */
enum Profile {
    /**
     * The default: every benchmark, one fork, three 1 s warm-ups and three 0.5 s measurements —
     * enough for C2 to compile the hot paths and for JMH to give a confidence interval, and
     * within 10 minutes for the whole suite (about 95 benchmark × parameter runs) on 2 cores.
     * Fewer warm-up seconds were too short for the larger Vector API kernels, which C2 compiles
     * only after 2–3 s of slow calls (2 December 2026, JDK 17): after one, {@code topKRouter}'s
     * three measurements ran 32, 111 and 1848 calls/s against about 2800 once compiled; after
     * two, the decode GEMV's first measurement still ran 2 calls/s against 1000.
     */
    QUICK(1, 3, 1000, 3, 500),
    /** Publication grade: three forks, five 2 s warm-ups, ten 2 s measurements. */
    FULL(3, 5, 2000, 10, 2000),
    /**
     * The CI gate on exact metrics only: one short measurement, no warm-up. Timing numbers
     * from it mean nothing (the gate reports them as too short to judge); exact metrics are the
     * same whatever the timing. Compared with its own baseline, {@code data/baselines/gate.json}.
     */
    GATE(1, 0, 0, 1, 100),
    /** For the suite's own end-to-end test: as {@link #GATE}, with its own baseline. */
    TINY(1, 0, 0, 1, 100);

    final int forks;
    final int warmupIterations;
    final int warmupMillis;
    final int measurementIterations;
    final int measurementMillis;

    Profile(int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** False for profiles whose timings mean nothing and that read only exact metrics. */
    boolean timingMatters() {
        return this == QUICK || this == FULL;
    }

    static Profile of(String name) {
        for (Profile p : values()) {
            if (p.id().equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("parabench.profile (" + name + ") must be one of quick, full, gate, tiny");
    }
}
