package io.parabench.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCachesTest {
    @Test
    void shouldParseSysfsSizesWithAndWithoutSuffix() {
        assertEquals(2048L << 10, HostCaches.parseSize("2048K"));
        assertEquals(32L << 20, HostCaches.parseSize("32M"));
        assertEquals(4096, HostCaches.parseSize("4096"));
        assertThrows(NumberFormatException.class, () -> HostCaches.parseSize("large"));
    }

    @Test
    void shouldFindALastLevelAtLeastAsLargeAsTheL2() {
        long l2 = HostCaches.l2Bytes();
        long last = HostCaches.lastLevelBytes();
        assertTrue(l2 >= 1L << 16, "an L2 of at least 64 KiB, or the 1 MiB default: " + l2);
        assertTrue(last >= l2, "last level " + last + " below the L2 " + l2);
    }
}
