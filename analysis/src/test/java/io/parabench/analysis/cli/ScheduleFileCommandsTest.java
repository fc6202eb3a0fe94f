package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code schedule --format csv} and {@code simulate --schedule FILE} in all three file forms. */
class ScheduleFileCommandsTest {

    private static double makespan(String... args) throws Exception {
        CommandRun r = CommandRun.run(args);
        assertEquals(0, r.exit(), r.err());
        return new ObjectMapper().readTree(r.out()).get("makespan").asDouble();
    }

    @Test
    void shouldSimulateAScheduleFileAsTheGeneratedOne(@TempDir Path dir) throws Exception {
        double generated = makespan("simulate", "--kind", "zbv", "--ranks", "4", "--chunks", "8", "--format", "json");
        for (String format : new String[]{"csv", "json", "text"}) {
            CommandRun written = CommandRun.run("schedule", "--kind", "zbv", "--ranks", "4", "--chunks", "8",
                    "--format", format);
            assertEquals(0, written.exit(), written.err());
            Path file = dir.resolve("zbv." + format);
            // the text form names chunks, not stages: a V layout must be said
            Files.writeString(file, (format.equals("text") ? "layout: v\n" : "") + written.out());
            assertEquals(generated, makespan("simulate", "--schedule", file.toString(), "--format", "json"), 1e-9, format);
        }
    }

    @Test
    void shouldRejectAScheduleFileThatBreaksADependencyInOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "0F0,0B0\n1B0,1F0\n");
        CommandRun r = CommandRun.run("simulate", "--schedule", file.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("is not a valid schedule: schedule deadlocks"), r.err());
    }

    @Test
    void shouldNotMixAFileWithGeneratorOptions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.txt");
        Files.writeString(file, "F0:0 B0:0\n");
        CommandRun r = CommandRun.run("simulate", "--schedule", file.toString(), "--kind", "1f1b");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("give it without --kind, --ranks and --chunks"), r.err());
    }

    @Test
    void shouldRefuseCsvForTwoDirections() {
        CommandRun r = CommandRun.run("schedule", "--kind", "dualpipe", "--ranks", "4", "--chunks", "8", "--format", "csv");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("torch's CSV numbers the stages of one pipeline"), r.err());
    }
}
