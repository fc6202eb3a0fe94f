package io.parabench.gpu;

import io.parabench.kernels.HostPool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceMemoryTest {
    private static final DeviceSpec SMALL = new DeviceSpec("small", 4, 1e9, 1e9, 1e9, 4_000, 1e9, 1e9, 1e9, 0);

    @Test
    void shouldTrackCurrentAndPeakBytes() {
        Device gpu = new Device(0, SMALL, HostPool.SERIAL, null);
        Tensor a = gpu.allocate("a", 10, 50); // 2000 bytes
        Tensor b = gpu.allocate("b", 5, 50); // 1000 bytes
        assertEquals(3_000, gpu.allocatedBytes());
        gpu.free(a);
        assertEquals(1_000, gpu.allocatedBytes());
        Tensor c = gpu.allocate("c", 1, 250); // 1000 bytes
        assertEquals(2_000, gpu.allocatedBytes());
        assertEquals(3_000, gpu.peakBytes());
        gpu.free(b);
        gpu.free(c);
        assertEquals(0, gpu.allocatedBytes());
    }

    @Test
    void shouldRefuseToExceedMemoryOrFreeTwice() {
        Device gpu = new Device(3, SMALL, HostPool.SERIAL, null);
        Tensor a = gpu.allocate("a", 10, 75); // 3000 bytes
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gpu.allocate("b", 1, 251));
        assertEquals("device 3 out of memory: allocating b (1004 bytes) with 3000 of 4000 bytes in use", e.getMessage());
        gpu.free(a);
        assertThrows(IllegalStateException.class, () -> gpu.free(a));
        e = assertThrows(IllegalStateException.class, a::data);
        assertTrue(e.getMessage().contains("was freed"));
        Device other = new Device(4, SMALL, HostPool.SERIAL, null);
        Tensor foreign = other.allocate("x", 1, 1);
        assertThrows(IllegalArgumentException.class, () -> gpu.free(foreign));
    }

    @Test
    void shouldCheckGemmShapesAgainstTheLayout() {
        Device gpu = new Device(0, SMALL, HostPool.SERIAL, null);
        Stream s = gpu.stream(4);
        Tensor x = gpu.allocate("x", 2, 3);
        Tensor w = gpu.allocate("w", 4, 3);
        Tensor y = gpu.allocate("y", 2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.gemm(io.parabench.kernels.GemmLayout.FORWARD, x, w, y, false));
        assertEquals("gemm FORWARD shapes (a 2×3, b 4×3, c 2×5) must be a 2×3, b 5×3", e.getMessage());
    }
}
