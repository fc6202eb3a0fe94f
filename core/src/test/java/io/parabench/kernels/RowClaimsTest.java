package io.parabench.kernels;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row panels handed out block by block: each exactly once, owners first, thieves from the back, in block order per panel. */
class RowClaimsTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void shouldGiveOneTaskEveryPanelInOrder() {
        RowClaims claims = new RowClaims(5, 1, 2);
        for (int block = 0; block < 2; block++) {
            for (int panel = 0; panel < 5; panel++) {
                assertEquals(panel, claims.claim(block, 0), "block " + block);
            }
            assertEquals(RowClaims.NONE, claims.claim(block, 0));
        }
        assertEquals(5, claims.ownedEnd(0));
    }

    @Test
    void shouldLetATaskTakeTheOthersPanelsFromTheBackOnceItsOwnAreGone() {
        RowClaims claims = new RowClaims(7, 2, 1); // task 0 owns 0..2, task 1 owns 3..6
        assertEquals(3, claims.ownedEnd(0));
        assertEquals(7, claims.ownedEnd(1));
        assertEquals(3, claims.claim(0, 1), "an owner starts at its front");
        List<Integer> taken = new ArrayList<>();
        for (int claim = claims.claim(0, 0); claim != RowClaims.NONE; claim = claims.claim(0, 0)) {
            taken.add(RowClaims.panel(claim) * (RowClaims.stolen(claim) ? -1 : 1));
        }
        assertEquals(List.of(0, 1, 2, -6, -5, -4), taken, "own panels rising, then the other's from its back (negated: stolen)");
        assertEquals(RowClaims.NONE, claims.claim(0, 1));
    }

    @Test
    void shouldHandOutEveryPanelOfEveryBlockExactlyOnceToRacingThreads() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int panels = 171;
            int blocks = 40;
            int tasks = 4;
            RowClaims claims = new RowClaims(panels, tasks, blocks);
            AtomicIntegerArray times = new AtomicIntegerArray(panels * blocks);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int task = 0; task < tasks; task++) {
                int me = task;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int block = 0; block < blocks; block++) {
                        for (int claim = claims.claim(block, me); claim != RowClaims.NONE; claim = claims.claim(block, me)) {
                            int panel = RowClaims.panel(claim);
                            claims.awaitEarlierBlocks(panel, block);
                            times.incrementAndGet(block * panels + panel);
                            claims.done(panel, block);
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            for (int i = 0; i < times.length(); i++) {
                assertEquals(1, times.get(i), "block " + i / panels + ", panel " + i % panels);
            }
        });
    }

    @Test
    void shouldHoldAPanelBackUntilItsEarlierBlocksAreDone() {
        assertTimeoutPreemptively(LIMIT, () -> {
            RowClaims claims = new RowClaims(2, 2, 2);
            int first = claims.claim(0, 1); // task 1 holds panel 1 of block 0
            assertEquals(1, first);
            AtomicBoolean released = new AtomicBoolean();
            AtomicBoolean finishedEarly = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                claims.claim(1, 0);
                int stolen = claims.claim(1, 0); // panel 1 of block 1, taken from task 1's back
                claims.awaitEarlierBlocks(RowClaims.panel(stolen), 1);
                finishedEarly.set(!released.get());
            });
            claims.done(0, 0);
            waiter.start();
            Thread.sleep(200);
            assertTrue(waiter.isAlive(), "waits while block 0 of panel 1 is still being worked on");
            released.set(true);
            claims.done(1, 0);
            waiter.join();
            assertFalse(finishedEarly.get());
        });
    }

    @Test
    void shouldStopWaitingWhenAnotherThreadFails() {
        assertTimeoutPreemptively(LIMIT, () -> {
            RowClaims claims = new RowClaims(1, 1, 2);
            Thread failing = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ignored) {
                    // the test fails on its timeout instead
                }
                claims.fail();
            });
            failing.start();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> claims.awaitEarlierBlocks(0, 1));
            assertEquals("GEMM row panel 0 abandoned: another thread of the call failed", e.getMessage());
            failing.join();
        });
    }
}
