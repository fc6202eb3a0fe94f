package io.parabench.analysis.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11 item 4: two {@code ./parabench} calls after a source change both ran Maven on one
 * {@code target/}, and one failed with a compilation error. The real launcher script runs here in
 * a copy of the checkout's layout, with stand-ins for {@code mvn} (it logs when it starts and
 * ends, and whether another build was running meanwhile) and {@code java} on the PATH: the
 * second call must wait for the first build and then skip its own.
 */
class LauncherLockTest {
    private static final Path LAUNCHER = Path.of("..", "parabench");

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aSecondCallWaitsForTheFirstBuildAndSkipsItsOwn(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(LAUNCHER), "the launcher beside the analysis module");
        assumeTrue(onPath("flock") && onPath("bash"), "flock (util-linux) and bash, which the launcher uses");
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(LAUNCHER, root.resolve("parabench"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("core"));
        Files.writeString(Files.createDirectories(root.resolve("analysis/src")).resolve("Changed.java"), "class Changed {}");
        Path log = root.resolve("mvn.log");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("mvn"), """
                log=%s
                [ -e "$log.building" ] && echo overlap >> "$log"
                touch "$log.building"
                echo start >> "$log"
                sleep 2
                rm -f "$log.building"
                echo end >> "$log"
                """.formatted(log));
        script(bin.resolve("java"), "echo ran\n");

        Process first = launch(root, bin, dir.resolve("first.err"));
        for (int i = 0; i < 200 && !(Files.exists(log) && Files.readString(log).contains("start")); i++) {
            Thread.sleep(25);
        }
        Process second = launch(root, bin, dir.resolve("second.err"));
        assertTrue(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS), "both finished");

        String secondErr = Files.readString(dir.resolve("second.err"));
        assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.err")));
        assertEquals(0, second.exitValue(), secondErr);
        assertEquals(List.of("start", "end"), Files.readAllLines(log), "one build, no second one beside or after it");
        assertTrue(secondErr.contains("parabench: another ./parabench is building; waiting for it..."), secondErr);
        assertEquals("ran", new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                "the second call ran its command");
    }

    private static Process launch(Path root, Path bin, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("parabench").toString(), "schedule")
                .redirectError(err.toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        return pb.start();
    }
}
