package io.parabench.analysis.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code parabench <args>} in a fresh JVM with a small heap and a deadline: what an
 * out-of-memory or a runaway computation does to a real process (an in-process run shares the
 * test JVM's heap, and a thread cannot be stopped). The test's own class path is reused.
 */
final class ForkedCli {
    /** The heap every forked run gets: small enough that absurd sizes fail fast. */
    static final String HEAP = "-Xmx256m";

    private ForkedCli() {
    }

    /** Runs and waits; fails the test naming the arguments when {@code deadline} passes. */
    static CommandRun run(Duration deadline, String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), HEAP, "-XX:+UseSerialGC",
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Parabench.class.getName()));
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("parabench-forked", ".out");
            err = Files.createTempFile("parabench-forked", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                fail("parabench " + String.join(" ", args) + " took longer than " + deadline.toSeconds() + " s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
                    .reduce("", (a, b) -> a + b + "\n");
            return new CommandRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            new File(file.toString()).delete();
        }
    }
}
