package io.parabench.analysis.metrics;

/**
 * Totals of one {@code user_annotation} name in a trace (e.g. {@code attn(F)},
 * {@code dispatch(B)}, a pipeline op token), summed over its occurrences.
 *
 * @param name    annotation name
 * @param count   occurrences
 * @param totalNs summed duration
 */
public record AnnotationStat(String name, long count, long totalNs) implements java.io.Serializable {
    public double totalUs() {
        return totalNs / 1000.0;
    }
}
