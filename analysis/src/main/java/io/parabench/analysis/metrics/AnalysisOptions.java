package io.parabench.analysis.metrics;

/**
 * How to analyse a trace.
 *
 * @param classifier        kernel classes by name and stream ({@link KernelClassifier#hta()} for HTA's)
 * @param stepName          step annotation for pipeline metrics ({@code NAME} exact, {@code NAME*} a
 *                          prefix), or null for the default ({@code ProfilerStep#*}, else
 *                          {@code sim:STEP}, else the whole trace)
 * @param topKernels        rows kept in each device's kernel breakdown
 * @param timeBase          exact nanoseconds, or HTA's whole microseconds
 * @param kernelWaitNs      idle gaps shorter than this are kernel wait (HTA's consecutive-kernel delay)
 * @param runtimeCutoffNs   launch calls longer than this are runtime outliers
 * @param launchDelayCutoffNs launches waiting longer than this are delay outliers
 */
public record AnalysisOptions(KernelClassifier classifier, String stepName, int topKernels, TimeBase timeBase,
                              long kernelWaitNs, long runtimeCutoffNs, long launchDelayCutoffNs)
        implements java.io.Serializable {
    /** Rows of the kernel breakdown by default: HTA's {@code num_kernels} in the shared reference files. */
    public static final int DEFAULT_TOP_KERNELS = 1000;
    /** HTA's {@code consecutive_kernel_delay} (30 in its microsecond timestamps). */
    public static final long DEFAULT_KERNEL_WAIT_NS = 30_000;
    /** HTA's {@code runtime_cutoff}: 50 µs. */
    public static final long DEFAULT_RUNTIME_CUTOFF_NS = 50_000;
    /** HTA's {@code launch_delay_cutoff}: 100 µs. */
    public static final long DEFAULT_LAUNCH_DELAY_CUTOFF_NS = 100_000;

    public AnalysisOptions {
        if (classifier == null || timeBase == null) {
            throw new IllegalArgumentException("classifier and time base must not be null");
        }
        if (stepName != null && (stepName.isBlank() || stepName.equals("*"))) {
            throw new IllegalArgumentException("--step (" + stepName + ") must name an annotation");
        }
        if (topKernels < 1) {
            throw new IllegalArgumentException("--kernels (" + topKernels + ") must be >= 1");
        }
        if (kernelWaitNs < 0 || runtimeCutoffNs < 0 || launchDelayCutoffNs < 0) {
            throw new IllegalArgumentException("--kernel-wait-us, --runtime-cutoff-us and --launch-delay-cutoff-us ("
                    + kernelWaitNs / 1e3 + ", " + runtimeCutoffNs / 1e3 + ", " + launchDelayCutoffNs / 1e3
                    + ") must be >= 0");
        }
    }

    /** The given classifier, step and rows, HTA's defaults for everything else, exact times. */
    public AnalysisOptions(KernelClassifier classifier, String stepName, int topKernels) {
        this(classifier, stepName, topKernels, TimeBase.EXACT, DEFAULT_KERNEL_WAIT_NS, DEFAULT_RUNTIME_CUTOFF_NS,
                DEFAULT_LAUNCH_DELAY_CUTOFF_NS);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(KernelClassifier.defaults(), null, DEFAULT_TOP_KERNELS);
    }
}
