package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.KernelClass;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One colour per kind of GPU time, shared by every trace chart so that a reader learns them
 * once: computation blue, communication orange, memory green, idle/bubble grey.
 */
public final class KernelClassColours {
    public static final Color COMPUTATION = new Color(0x4C78A8);
    public static final Color COMMUNICATION = new Color(0xF58518);
    public static final Color MEMORY = new Color(0x54A24B);
    public static final Color OVERLAP = new Color(0xB279A2);
    public static final Color IDLE = new Color(0xD0D0D0);
    public static final Color BUBBLE = new Color(0xE45756);
    public static final Color OTHER = new Color(0x9D755D);

    private KernelClassColours() {
    }

    public static Color of(KernelClass kind) {
        switch (kind) {
            case COMMUNICATION:
                return COMMUNICATION;
            case MEMORY:
                return MEMORY;
            case OTHER:
                return OTHER;
            default:
                return COMPUTATION;
        }
    }

    /** Legend name of a class. */
    public static String label(KernelClass kind) {
        switch (kind) {
            case COMMUNICATION:
                return "communication";
            case MEMORY:
                return "memory";
            case OTHER:
                return "other";
            default:
                return "computation";
        }
    }

    /** Colours by legend name, computation first, for {@link GanttChart}. */
    public static Map<String, Color> byLabel() {
        Map<String, Color> out = new LinkedHashMap<>();
        for (KernelClass k : KernelClass.values()) {
            out.put(label(k), of(k));
        }
        return out;
    }
}
