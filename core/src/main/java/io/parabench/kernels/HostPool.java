package io.parabench.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A bounded pool of host threads that run kernel numerics in parallel.
 *
 * <p>Work is split into numbered tasks that threads claim one at a time; the caller's thread
 * takes part, so a pool of {@code n} threads starts {@code n - 1} workers. Which thread runs a
 * task never changes its result: kernels give each output element to exactly one task and fix
 * the reduction order inside it, so results are identical for every thread count.
 *
 * <p>Thread-safe; {@link #parallelFor} may be called from one thread at a time per pool (the
 * emulator drives a device from one thread). Workers are daemon threads; {@link #close()} stops
 * them.
 */
public final class HostPool implements AutoCloseable {
    /** A pool that runs every task on the caller's thread. */
    public static final HostPool SERIAL = new HostPool(1);

    private final int threads;
    private final ExecutorService workers;

    private HostPool(int threads) {
        this.threads = threads;
        if (threads == 1) {
            this.workers = null;
        } else {
            AtomicInteger id = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "parabench-host-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /**
     * A pool of {@code threads} host threads (the caller counts as one).
     *
     * @throws IllegalArgumentException if threads is not in 1..256
     */
    public static HostPool of(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("host threads (" + threads + ") must be in 1..256");
        }
        return threads == 1 ? SERIAL : new HostPool(threads);
    }

    /** Host threads this pool runs on, the caller's included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)} and returns when all
     * are done. An exception from a task is rethrown here (unchecked ones as they are).
     */
    public void parallelFor(int tasks, IntConsumer body) {
        if (workers == null || tasks <= 1) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        int helpers = Math.min(threads - 1, tasks - 1);
        List<Future<?>> pending = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            pending.add(workers.submit(drain));
        }
        RuntimeException failure = null;
        try {
            drain.run();
        } catch (RuntimeException e) {
            failure = e;
            next.set(tasks); // stop the helpers from claiming more work
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for host threads", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("host task failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the worker threads; the serial pool ignores this. */
    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
