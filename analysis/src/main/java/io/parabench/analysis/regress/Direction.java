package io.parabench.analysis.regress;

import java.util.Locale;

/** Which way a metric improves. */
public enum Direction {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    /** No known direction: any change is only a change. */
    UNKNOWN;

    /**
     * The direction of a timed JMH metric, from its unit: a rate ({@code ops/s}, {@code ops/ms},
     * a counter per time) is better higher, a time per op ({@code ms/op}) is better lower. The
     * mode is not used: throughput-mode secondary counters are rates, whatever the mode says.
     */
    public static Direction ofUnit(String unit) {
        String u = unit.toLowerCase(Locale.ROOT).replace(" ", "");
        if (u.endsWith("/op")) {
            return LOWER_IS_BETTER;
        }
        if (u.startsWith("ops/") || u.contains("/s") || u.contains("/ms") || u.contains("/us") || u.contains("/ns")
                || u.contains("/min")) {
            return HIGHER_IS_BETTER;
        }
        return UNKNOWN;
    }

    /**
     * The direction of an exact ({@code exact_…}) metric, from the words in its name: virtual
     * time, bubbles, imbalance and replicas moved are better lower; balancedness, overlap and
     * speed-up better higher. Others are {@link #UNKNOWN}: any change fails the gate.
     */
    public static Direction ofExactName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String lower : new String[]{"makespan", "bubble", "imbalance", "moved", "time", "latency", "max_load"}) {
            if (n.contains(lower)) {
                return LOWER_IS_BETTER;
            }
        }
        for (String higher : new String[]{"balancedness", "overlap", "speedup", "efficiency"}) {
            if (n.contains(higher)) {
                return HIGHER_IS_BETTER;
            }
        }
        return UNKNOWN;
    }

    /** True when {@code current} is better than {@code baseline} in this direction. */
    boolean better(double current, double baseline) {
        return switch (this) {
            case HIGHER_IS_BETTER -> current > baseline;
            case LOWER_IS_BETTER -> current < baseline;
            case UNKNOWN -> false;
        };
    }
}
