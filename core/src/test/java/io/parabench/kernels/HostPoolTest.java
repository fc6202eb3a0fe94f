package io.parabench.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The pool's contract: every task once per call, failures rethrown, nested, concurrent and closed use safe. */
class HostPoolTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @CsvSource({"1,0", "1,5", "2,1", "2,2", "2,3", "2,100", "3,2", "4,7", "4,1000"})
    void shouldRunEveryTaskExactlyOnceInEveryCall(int threads, int tasks) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (HostPool pool = HostPool.of(threads)) {
                for (int call = 0; call < 200; call++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    pool.parallelFor(tasks, runs::incrementAndGet);
                    for (int i = 0; i < tasks; i++) {
                        assertEquals(1, runs.get(i), "call " + call + ", task " + i);
                    }
                }
            }
        });
    }

    @Test
    void shouldRethrowATaskFailureAndStayUsable() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (HostPool pool = HostPool.of(2)) {
                IllegalStateException boom = new IllegalStateException("task 7 failed");
                IllegalStateException thrown = assertThrows(IllegalStateException.class,
                        () -> pool.parallelFor(64, i -> {
                            if (i == 7) {
                                throw boom;
                            }
                        }));
                assertSame(boom, thrown, "the task's own exception, not a wrapper");
                AssertionError error = new AssertionError("an error from a task");
                assertSame(error, assertThrows(AssertionError.class, () -> pool.parallelFor(8, i -> {
                    if (i == 5) {
                        throw error;
                    }
                })));
                AtomicIntegerArray runs = new AtomicIntegerArray(10);
                pool.parallelFor(10, runs::incrementAndGet);
                for (int i = 0; i < 10; i++) {
                    assertEquals(1, runs.get(i), "after failures, task " + i);
                }
            }
        });
    }

    @Test
    void shouldRunANestedCallOnTheCallingThread() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (HostPool pool = HostPool.of(2)) {
                AtomicIntegerArray runs = new AtomicIntegerArray(4 * 8);
                pool.parallelFor(4, outer -> pool.parallelFor(8, inner -> runs.incrementAndGet(outer * 8 + inner)));
                for (int i = 0; i < runs.length(); i++) {
                    assertEquals(1, runs.get(i), "task " + i);
                }
            }
        });
    }

    @Test
    void shouldServeTwoCallingThreadsAtOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (HostPool pool = HostPool.of(2)) {
                AtomicIntegerArray[] runs = {new AtomicIntegerArray(50), new AtomicIntegerArray(50)};
                CountDownLatch start = new CountDownLatch(1);
                Thread[] callers = new Thread[2];
                for (int c = 0; c < 2; c++) {
                    AtomicIntegerArray mine = runs[c];
                    callers[c] = new Thread(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int call = 0; call < 500; call++) {
                            pool.parallelFor(50, mine::incrementAndGet);
                        }
                    });
                    callers[c].start();
                }
                start.countDown();
                for (Thread t : callers) {
                    t.join();
                }
                for (AtomicIntegerArray r : runs) {
                    for (int i = 0; i < r.length(); i++) {
                        assertEquals(500, r.get(i), "task " + i + " over 500 calls");
                    }
                }
            }
        });
    }

    @Test
    void shouldEndItsWorkersOnCloseAndStillRunCallsSerially() {
        assertTimeoutPreemptively(LIMIT, () -> {
            HostPool pool = HostPool.of(3);
            pool.parallelFor(10, i -> { });
            pool.close();
            while (pool.anyWorkerAlive()) {
                Thread.sleep(1);
            }
            AtomicIntegerArray runs = new AtomicIntegerArray(6);
            pool.parallelFor(6, runs::incrementAndGet);
            for (int i = 0; i < 6; i++) {
                assertEquals(1, runs.get(i));
            }
            assertFalse(pool.anyWorkerAlive());
        });
    }

    @Test
    void shouldRejectAThreadCountOutOfRange() {
        assertEquals("host threads (0) must be in 1..256",
                assertThrows(IllegalArgumentException.class, () -> HostPool.of(0)).getMessage());
        assertEquals("host threads (257) must be in 1..256",
                assertThrows(IllegalArgumentException.class, () -> HostPool.of(257)).getMessage());
    }
}
