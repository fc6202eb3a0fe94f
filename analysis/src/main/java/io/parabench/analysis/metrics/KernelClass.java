package io.parabench.analysis.metrics;

/**
 * The class of a GPU event, as Holistic Trace Analysis names them: the metrics are unions of
 * the intervals of each class.
 */
public enum KernelClass {
    /** Kernels that compute: every kernel not classified as communication. */
    COMPUTATION,
    /** Collective and point-to-point communication kernels (NCCL, DeepEP). */
    COMMUNICATION,
    /** memcpy and memset, whether recorded as copy-engine events or as kernels. */
    MEMORY,
    /**
     * Holistic Trace Analysis's fourth class: kernels whose names its computation pattern
     * excludes (names containing {@code Sync}, {@code Stream Wait Event}, launch calls). Only
     * {@link KernelClassifier#hta()} gives it; it is neither computation nor communication.
     */
    OTHER
}
