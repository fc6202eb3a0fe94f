package io.parabench.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A bounded pool of host threads that run kernel numerics in parallel.
 *
 * <p>Work is split into numbered tasks that threads claim one at a time; the caller's thread
 * takes part, so a pool of {@code n} threads starts {@code n - 1} workers. Which thread runs a
 * task never changes its result: kernels give each output element to exactly one task and fix
 * the reduction order inside it, so results are identical for every thread count.
 *
 * <p><b>Hand-off.</b> A worker that has finished a call spins for {@link #SPIN_NANOS} waiting
 * for the next one before it parks, and so does the caller waiting for the workers at the end of
 * a call. Kernels are called back to back (a GEMM per layer, a GEMV per token), and a parked
 * thread starts only when the host wakes it. Measured on a 2-vCPU KVM guest (Intel Xeon, 2
 * December 2026, 23:00 UTC, JDK 17), two one-thread half GEMMs of 1024³ as the two tasks of a
 * call, 20 calls a round: with the {@code ExecutorService} this pool used before, the second task
 * started a median 135–161 µs after the call (482 µs in the first round, at worst 13 ms) and the
 * caller returned 44–136 µs after the last task ended; spinning, 39–114 µs (as early as the
 * caller's own task) and 9–21 µs in most rounds. Empty calls back to back: 0.7–1.9 µs per call
 * against 10–21. The spin is bounded, so an idle pool costs no CPU after {@code SPIN_NANOS}.
 *
 * <p>Thread-safe. A call made while the pool is running another (from a task of that call, or
 * from a second thread) runs its tasks on its own thread: same results, no deadlock. Workers are
 * daemon threads; {@link #close()} stops them.
 */
public final class HostPool implements AutoCloseable {
    /** A pool that runs every task on the caller's thread. */
    public static final HostPool SERIAL = new HostPool(1);

    /**
     * How long an idle worker, or the caller at a call's end, spins before parking: longer than
     * the gap between back-to-back kernel calls and than the usual imbalance between the
     * threads' shares, short enough that a pool between phases costs nothing measurable.
     */
    static final long SPIN_NANOS = 1_000_000;

    private final int threads;
    private final Thread[] workers;
    /** Set while a call runs; a call that finds it set runs serially. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The latest call that used the workers; each worker serves each call at most once. */
    private volatile Call current = new Call(0, null, 0, 0, null);
    private volatile boolean closed;

    /** One call's tasks, its claim counter, the workers it still waits for and its first failure. */
    private static final class Call {
        final long id;
        final IntConsumer body;
        final int tasks;
        final int helpers;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger running;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Call(long id, IntConsumer body, int tasks, int helpers, Thread caller) {
            this.id = id;
            this.body = body;
            this.tasks = tasks;
            this.helpers = helpers;
            this.caller = caller;
            this.running = new AtomicInteger(helpers);
        }

        /** Claims and runs tasks until none is left; a failure stops every thread from claiming more. */
        void drain() {
            try {
                for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                    body.accept(i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                next.set(tasks);
            }
        }
    }

    private HostPool(int threads) {
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int index = w;
            Thread t = new Thread(() -> work(index), "parabench-host-" + (w + 1));
            t.setDaemon(true);
            workers[w] = t;
        }
        for (Thread t : workers) {
            t.start();
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
        if (workers.length == 0 || tasks <= 1 || !busy.compareAndSet(false, true)) {
            serially(tasks, body);
            return;
        }
        try {
            if (closed) {
                serially(tasks, body);
                return;
            }
            int helpers = Math.min(workers.length, tasks - 1);
            Call call = new Call(current.id + 1, body, tasks, helpers, Thread.currentThread());
            current = call;
            for (int w = 0; w < helpers; w++) {
                LockSupport.unpark(workers[w]);
            }
            call.drain();
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (call.running.get() != 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this); // the last worker out unparks the caller
                }
            }
            Throwable t = call.failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("host task failed: " + t, t);
            }
        } finally {
            busy.set(false);
            if (closed) {
                wakeWorkers(); // a worker that saw the pool busy while closing waits for this
            }
        }
    }

    private static void serially(int tasks, IntConsumer body) {
        for (int i = 0; i < tasks; i++) {
            body.accept(i);
        }
    }

    /** A worker's life: wait for each new call, take part if the call needs it, report done. */
    private void work(int index) {
        long seen = 0;
        while (true) {
            Call call = awaitCall(seen);
            if (call == null) {
                return;
            }
            seen = call.id;
            if (index < call.helpers) {
                call.drain();
                if (call.running.decrementAndGet() == 0) {
                    LockSupport.unpark(call.caller);
                }
            }
        }
    }

    /**
     * The next call after call {@code seen}, or null once the pool is closed and no call runs
     * (a call starts only while {@code busy} is held and after seeing the pool open, so a worker
     * that sees it closed and not busy can leave).
     */
    private Call awaitCall(long seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (true) {
            Call call = current;
            if (call.id != seen) {
                return call;
            }
            if (closed && !busy.get()) {
                return null;
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this); // a call, or close(), unparks the worker
            }
        }
    }

    private void wakeWorkers() {
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    /** True while any worker thread of this pool is still alive (tests check that close() ends them). */
    boolean anyWorkerAlive() {
        for (Thread t : workers) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        wakeWorkers();
    }
}
