package io.parabench.analysis.metrics;

/**
 * How to analyse a trace.
 *
 * @param classifier  kernel classes by name and stream
 * @param stepName    step annotation for pipeline metrics ({@code NAME} exact, {@code NAME*} a
 *                    prefix), or null for the default ({@code ProfilerStep#*}, else
 *                    {@code sim:STEP}, else the whole trace)
 * @param topKernels  rows kept in each device's kernel breakdown
 */
public record AnalysisOptions(KernelClassifier classifier, String stepName, int topKernels) implements java.io.Serializable {
    /** Rows of the kernel breakdown by default. */
    public static final int DEFAULT_TOP_KERNELS = 15;

    public AnalysisOptions {
        if (classifier == null) {
            throw new IllegalArgumentException("classifier must not be null");
        }
        if (stepName != null && (stepName.isBlank() || stepName.equals("*"))) {
            throw new IllegalArgumentException("--step (" + stepName + ") must name an annotation");
        }
        if (topKernels < 1) {
            throw new IllegalArgumentException("top kernels (" + topKernels + ") must be >= 1");
        }
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(KernelClassifier.defaults(), null, DEFAULT_TOP_KERNELS);
    }
}
