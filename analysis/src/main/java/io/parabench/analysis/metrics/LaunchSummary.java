package io.parabench.analysis.metrics;

/**
 * What {@link LaunchStats} says about one device in a few numbers (the per-launch rows are not
 * kept in the summary of a whole trace).
 *
 * @param launches        launches joined to their call
 * @param runtimeCutoffNs the runtime cutoff used
 * @param delayCutoffNs   the launch-delay cutoff used
 * @param runtimeOutliers calls longer than the runtime cutoff
 * @param delayOutliers   launch delays longer than the delay cutoff
 * @param shortKernels    GPU work shorter than its call (call within the runtime cutoff)
 * @param cpuDurationNs   distribution of call durations
 * @param gpuDurationNs   distribution of GPU durations
 * @param launchDelayNs   distribution of launch delays
 */
public record LaunchSummary(int launches, long runtimeCutoffNs, long delayCutoffNs, int runtimeOutliers,
                            int delayOutliers, int shortKernels, Distribution cpuDurationNs,
                            Distribution gpuDurationNs, Distribution launchDelayNs) implements java.io.Serializable {
    static LaunchSummary of(LaunchStats s) {
        return new LaunchSummary(s.count(), s.runtimeCutoffNs(), s.delayCutoffNs(), s.runtimeOutliers(),
                s.delayOutliers(), s.shortKernels(), s.cpuDuration(), s.gpuDuration(), s.launchDelay());
    }
}
