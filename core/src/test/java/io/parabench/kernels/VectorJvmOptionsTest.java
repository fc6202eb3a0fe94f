package io.parabench.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorJvmOptionsTest {
    private static final Map<String, Long> JDK17_DEFAULTS =
            Map.of("PerMethodTrapLimit", 100L, "PerMethodRecompilationCutoff", 400L);

    @Test
    void jdk17WithItsDefaultsIsWarnedOfBothLimits() {
        String warning = VectorJvmOptions.warning(17, JDK17_DEFAULTS::get).orElseThrow();
        assertTrue(warning.startsWith("JDK 17 without -XX:PerMethodTrapLimit=10000 -XX:PerMethodRecompilationCutoff=10000:"),
                warning);
    }

    @Test
    void onlyTheLimitStillLowIsNamed() {
        Map<String, Long> cutoffRaised = Map.of("PerMethodTrapLimit", 100L, "PerMethodRecompilationCutoff", -1L);
        String warning = VectorJvmOptions.warning(21, cutoffRaised::get).orElseThrow();
        assertTrue(warning.startsWith("JDK 21 without -XX:PerMethodTrapLimit=10000:"), warning);

        Map<String, Long> trapsRaised = Map.of("PerMethodTrapLimit", 10_000L, "PerMethodRecompilationCutoff", 400L);
        assertTrue(VectorJvmOptions.warning(17, trapsRaised::get).orElseThrow()
                .startsWith("JDK 17 without -XX:PerMethodRecompilationCutoff=10000:"));
    }

    @Test
    void raisedLimitsOrJdk25NeedNoWarning() {
        Map<String, Long> raised = Map.of("PerMethodTrapLimit", 10_000L, "PerMethodRecompilationCutoff", 10_000L);
        assertEquals(Optional.empty(), VectorJvmOptions.warning(17, raised::get));
        assertEquals(Optional.empty(), VectorJvmOptions.warning(25, JDK17_DEFAULTS::get));
    }

    /** The test forks get the limits from the parent pom; dropping them there fails here. */
    @Test
    void thisTestJvmRunsWithTheLimits() {
        assertEquals(Optional.empty(), VectorJvmOptions.warning());
    }

    /** The launcher and the suite's host JVM (it calibrates with the kernels) pass what the JMH forks pass. */
    @Test
    void theLauncherAndTheSuitePassTheLimits() throws IOException {
        for (Path start : new Path[] {Path.of("..", "parabench"), Path.of("..", "jmh", "pom.xml")}) {
            String text = Files.readString(start);
            assertTrue(text.contains(VectorJvmOptions.TRAP_LIMIT), start + " lacks " + VectorJvmOptions.TRAP_LIMIT);
            assertTrue(text.contains(VectorJvmOptions.RECOMPILATION_CUTOFF),
                    start + " lacks " + VectorJvmOptions.RECOMPILATION_CUTOFF);
        }
    }
}
