package io.parabench.analysis.cli;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.metrics.TimeBase;
import picocli.CommandLine.Option;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The analysis options every trace command shares (a picocli mixin): classes, step, HTA's knobs.
 * Public for the Spark job ({@code io.parabench.spark.TraceStatsJob}), which takes the same options.
 */
public final class TraceAnalysisOptions {
    /** Which kernel classifier to use. */
    enum Classifier {
        /** NCCL and DeepEP as communication, by name and stream ({@link KernelClassifier#defaults()}). */
        OURS,
        /** Holistic Trace Analysis's regexes, exactly ({@link KernelClassifier#hta()}). */
        HTA
    }

    @Option(names = "--classifier", paramLabel = "ours|hta", defaultValue = "ours",
            description = "kernel classes: ours (NCCL and DeepEP are communication) or hta (Holistic Trace Analysis's"
                    + " regexes exactly, to compare with HTA one for one) (default: ${DEFAULT-VALUE})")
    Classifier classifier;

    @Option(names = "--comm-pattern", paramLabel = "REGEX",
            description = "Java regex that marks communication kernels by name (default: NCCL and DeepEP)")
    String commPattern;

    @Option(names = "--comm-stream", paramLabel = "N", description = "stream whose kernels are all communication; repeatable")
    List<Integer> commStreams;

    @Option(names = "--step", paramLabel = "NAME",
            description = "step annotation for pipeline bubbles: exact name, or NAME* for a prefix"
                    + " (default: ProfilerStep#*, else sim:STEP, else the whole trace)")
    String step;

    @Option(names = "--time-base", paramLabel = "exact|hta", defaultValue = "exact",
            description = "exact: the trace's nanoseconds; hta: whole microseconds rounded as HTA loads a trace"
                    + " (start up, end down) (default: ${DEFAULT-VALUE})")
    TimeBase timeBase;

    @Option(names = "--kernels", paramLabel = "N", defaultValue = "" + AnalysisOptions.DEFAULT_TOP_KERNELS,
            description = "rows of each device's kernel breakdown, longest first (default: ${DEFAULT-VALUE})")
    int kernels;

    @Option(names = "--kernel-wait-us", paramLabel = "US", defaultValue = "30",
            description = "idle gaps shorter than this are kernel wait, not other (HTA's consecutive kernel delay;"
                    + " default: ${DEFAULT-VALUE})")
    double kernelWaitUs;

    @Option(names = "--runtime-cutoff-us", paramLabel = "US", defaultValue = "50",
            description = "launch calls longer than this are runtime outliers (HTA's; default: ${DEFAULT-VALUE})")
    double runtimeCutoffUs;

    @Option(names = "--launch-delay-cutoff-us", paramLabel = "US", defaultValue = "100",
            description = "launches waiting longer than this are delay outliers (HTA's; default: ${DEFAULT-VALUE})")
    double launchDelayCutoffUs;

    /** The options, validated before any file is read. */
    public AnalysisOptions analysisOptions() {
        KernelClassifier kernelClassifier;
        if (classifier == Classifier.HTA) {
            if (commPattern != null || (commStreams != null && !commStreams.isEmpty())) {
                throw new IllegalArgumentException("--classifier (hta) uses HTA's fixed regexes; it cannot be combined"
                        + " with --comm-pattern or --comm-stream (drop them, or use --classifier ours)");
            }
            kernelClassifier = KernelClassifier.hta();
        } else {
            Set<Integer> streams = commStreams == null ? Set.of() : new HashSet<>(commStreams);
            kernelClassifier = KernelClassifier.of(commPattern, streams);
        }
        return new AnalysisOptions(kernelClassifier, step, kernels, timeBase, nanos("--kernel-wait-us", kernelWaitUs),
                nanos("--runtime-cutoff-us", runtimeCutoffUs), nanos("--launch-delay-cutoff-us", launchDelayCutoffUs));
    }

    private static long nanos(String option, double us) {
        if (!Double.isFinite(us) || us < 0 || us > 1e12) {
            throw new IllegalArgumentException(option + " (" + us + ") must be a number of microseconds in 0..1e12");
        }
        return Math.round(us * 1000);
    }
}
