package io.parabench.analysis.metrics;

import java.util.concurrent.RecursiveAction;
import java.util.function.Supplier;

/**
 * A computation started on the common fork-join pool while the caller does other work, then
 * joined: how one trace's analyses use the second core. A lone big trace is read on every core,
 * but its analyses (one device: busy and overlap figures, kernel breakdown, HTA's idle, launch
 * and queue analyses, the step timeline) used to run on one thread after the read — a serial
 * tail of about 0.35 s of the 2.5 s a cold {@code trace-stats} of 300 MB took on 2 cores.
 *
 * <p>When no pool worker has taken the computation by the time the caller joins (every worker
 * busy, e.g. with other ranks), the caller runs it itself ({@link java.util.concurrent.ForkJoinTask#join}
 * takes it back from the queue), so forking never makes a busy machine wait; on one core it is
 * not forked at all. A failure is rethrown to the caller unchanged (the same exception object:
 * fork-join's own join may rebuild it with another message). Results do not depend on the
 * thread that computed them: the computations are pure.
 *
 * @param <T> what the computation returns
 */
final class ForkedResult<T> {
    private final Task<T> task;
    private final boolean forked;

    private ForkedResult(Supplier<T> computation, boolean fork) {
        this.task = new Task<>(computation);
        this.forked = fork;
        if (fork) {
            task.fork();
        }
    }

    /** Starts {@code computation} on the common pool (on one core: leaves it to {@link #join}). */
    static <T> ForkedResult<T> fork(Supplier<T> computation) {
        return new ForkedResult<>(computation, Runtime.getRuntime().availableProcessors() > 1);
    }

    /** The result, computed by a pool worker or, when none took it, by the caller now. */
    T join() {
        if (forked) {
            task.join();
        } else {
            task.compute();
        }
        if (task.failure instanceof RuntimeException re) {
            throw re;
        }
        if (task.failure instanceof Error err) {
            throw err;
        }
        return task.result;
    }

    private static final class Task<T> extends RecursiveAction {
        private final Supplier<T> computation;
        private T result;
        private Throwable failure;

        Task(Supplier<T> computation) {
            this.computation = computation;
        }

        /** Never completes abnormally: the failure is kept for {@link ForkedResult#join} to rethrow as it was. */
        @Override
        protected void compute() {
            try {
                result = computation.get();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }
}
