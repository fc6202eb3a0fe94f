package io.parabench.analysis.cli;

import java.util.Locale;

/**
 * Checks, before anything is allocated, that what a command is about to build fits in the Java
 * heap. Each command estimates its own peak from the sizes it was given (bytes per schedule
 * op, per placement slot, per emulated tensor element — the constants sit next to the
 * estimates and were measured with a heap histogram); an estimate over the heap is bad input,
 * with a message that says the estimate, the heap and what to lower. Estimates are computed
 * in {@code double}, so absurd sizes ({@code --chunks 2147483647}) cannot overflow them.
 */
final class HeapBudget {
    /** Part of the heap an estimate may take: the rest is the JVM's own and the command's output. */
    static final double USABLE_FRACTION = 0.8;

    private HeapBudget() {
    }

    /**
     * @param what  what is being built, e.g. "1f1b schedule of 64 ranks x 1000 micro-batches (1.9e5 ops)"
     * @param bytes the estimated peak
     * @param lower the options that make it smaller, e.g. "--ranks or --chunks"
     * @throws IllegalArgumentException when {@code bytes} exceeds the usable heap
     */
    static void require(String what, double bytes, String lower) {
        long heap = Runtime.getRuntime().maxMemory();
        if (!(bytes <= heap * USABLE_FRACTION)) {
            throw new IllegalArgumentException(what + " needs ~" + size(bytes) + ", the heap has " + size(heap)
                    + "; lower " + lower + ", or raise -Xmx (e.g. PARABENCH_JAVA_OPTS=-Xmx16g)");
        }
    }

    /** Bytes as GiB or MiB with one decimal, for messages. */
    static String size(double bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20));
    }
}
