package io.parabench.analysis.read;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records a small known workload with JFR in-process, then reads the recording back. */
class JfrSummaryReaderTest {
    /** Kept in a field so the allocations cannot be optimised away. */
    static volatile Object sink;

    /** The hot method: a long dependent arithmetic loop that execution samples land in. */
    static long spin(long iterations) {
        long x = 1;
        for (long i = 0; i < iterations; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    static void allocate() {
        for (int i = 0; i < 2000; i++) {
            sink = new byte[64 * 1024];
        }
    }

    @Test
    void shouldSummariseHotMethodsAllocationGcAndCpu(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("workload.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.ObjectAllocationSample").with("throttle", "off");
            r.enable("jdk.GarbageCollection");
            r.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(100));
            r.start();
            long deadline = System.nanoTime() + 800_000_000L;
            long acc = 0;
            while (System.nanoTime() < deadline) {
                acc += spin(2_000_000);
            }
            sink = acc;
            allocate();
            System.gc();
            r.stop();
            r.dump(file);
        }
        JfrSummary s = JfrSummaryReader.read(file);
        assertTrue(s.executionSamples() > 5, "samples: " + s.executionSamples());
        assertEquals(JfrSummaryReaderTest.class.getName() + ".spin", s.hotMethods().get(0).name(), s.hotMethods().toString());
        assertTrue(s.allocatedBytes() > 0);
        assertTrue(s.allocationByClass().stream().anyMatch(e -> e.name().equals("byte[]")), s.allocationByClass().toString());
        assertTrue(s.gcCount() >= 1, "System.gc() ran a collection");
        assertTrue(s.gcPauseTotalMs() > 0 && s.gcPauseMaxMs() <= s.gcPauseTotalMs());
        assertFalse(Double.isNaN(s.jvmCpuAvg()), "CPU load sampled");
        // fractions of the machine, not percent; JFR's user + system of one sampling window can
        // slightly exceed 1 on a loaded machine (seen once on JDK 25), hence the loose bound
        assertTrue(s.jvmCpuAvg() >= 0 && s.jvmCpuMax() < 2, s.toString());
    }

    @Test
    void shouldRejectAFileThatIsNotARecording(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("not.jfr");
        Files.writeString(file, "hello");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JfrSummaryReader.read(file));
        assertTrue(e.getMessage().startsWith("JFR recording (" + file + ") cannot be parsed"), e.getMessage());
    }
}
