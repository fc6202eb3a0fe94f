package io.parabench.gpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A clock at 1 until 10, halved (factor 2) from 10 to 20, capped (1.25) from 20 on; times by hand. */
class DeviceClockTest {
    private static final DeviceClock CLOCK = DeviceClock.of(new double[] {10, 20}, new double[] {2, 1.25});

    @Test
    void shouldRunWorkSlowerWhileTheClockIsLowered() {
        assertEquals(5, CLOCK.end(0, 5), 1e-12);
        // 10 of work from 5: 5 at factor 1 (to 10), 5 at factor 2 (to 20)
        assertEquals(20, CLOCK.end(5, 10), 1e-12);
        // 10 of work from 15: 2.5 by 20, the other 7.5 at 1.25 take 9.375
        assertEquals(29.375, CLOCK.end(15, 10), 1e-12);
        assertEquals(7, CLOCK.end(7, 0), 1e-12);
        assertEquals(12, DeviceClock.NOMINAL.end(0, 12), 1e-12);
    }

    @Test
    void shouldTellTheFactorAndTheNextChange() {
        assertEquals(1, CLOCK.factor(-3));
        assertEquals(2, CLOCK.factor(10));
        assertEquals(1.25, CLOCK.factor(1e9));
        assertEquals(10, CLOCK.nextChange(0));
        assertEquals(20, CLOCK.nextChange(10));
        assertTrue(Double.isInfinite(CLOCK.nextChange(20)));
        // over [0, 30): 10 × 1 + 10 × 2 + 10 × 1.25
        assertEquals(42.5 / 30, CLOCK.meanFactor(0, 30), 1e-12);
    }

    @Test
    void shouldRefuseClocksThatCannotBe() {
        assertThrows(IllegalArgumentException.class, () -> DeviceClock.of(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> DeviceClock.of(new double[] {2, 2}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> DeviceClock.of(new double[] {1}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> DeviceClock.of(new double[] {1}, new double[] {Double.POSITIVE_INFINITY}));
    }
}
