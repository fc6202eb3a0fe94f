package io.parabench.analysis.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 case 2: only IllegalArgumentException and IOException were mapped; the rest were stack traces and exit 1. */
class FailureReportTest {

    private record Reported(int exit, String err) {
        String line() {
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, err);
            return lines[0];
        }
    }

    private static Reported report(Throwable t, boolean debug) {
        StringWriter err = new StringWriter();
        int exit = FailureReport.report(t, "parabench x", debug, new PrintWriter(err, true));
        return new Reported(exit, err.toString());
    }

    @Test
    void outOfMemoryIsOneLineSayingHowToFixIt() {
        Reported r = report(new OutOfMemoryError("Java heap space"), false);
        assertEquals(2, r.exit());
        assertTrue(r.line().startsWith("parabench x: the input needs more memory than the Java heap has"), r.line());
        assertTrue(r.line().contains("-Xmx"), r.line());
    }

    @Test
    void stackOverflowAndIllegalStateAreInputErrors() {
        assertEquals(2, report(new StackOverflowError(), false).exit());
        assertTrue(report(new StackOverflowError(), false).line().contains("nested too deeply"));
        Reported state = report(new IllegalStateException("device 0 out of memory: needs 90 GiB, has 80 GiB"), false);
        assertEquals(2, state.exit());
        assertEquals("parabench x: device 0 out of memory: needs 90 GiB, has 80 GiB", state.line());
    }

    @Test
    void aFailedCheckExitsOne() {
        Reported r = report(new CheckFailedException("max |grad - reference| = 1.000e-07 (must be 0)"), false);
        assertEquals(1, r.exit());
        assertEquals("parabench x: max |grad - reference| = 1.000e-07 (must be 0)", r.line());
    }

    @Test
    void aBugIsNamedAsInternalAndDebugAddsTheStackTrace() {
        Reported r = report(new NullPointerException("boom"), false);
        assertEquals(1, r.exit());
        assertTrue(r.line().contains("internal error") && r.line().contains("--debug"), r.line());
        Reported debug = report(new IllegalArgumentException("--x (1) must be 2"), true);
        assertEquals(2, debug.exit());
        assertTrue(debug.err().startsWith("parabench x: --x (1) must be 2\n"), debug.err());
        assertTrue(debug.err().contains("at io.parabench"), debug.err());
    }

    @Test
    void messagesWithLineBreaksAndControlCharactersBecomeOneLine() {
        Reported r = report(new IllegalArgumentException("bad\nname \u0007x"), false);
        assertEquals("parabench x: bad name ?x", r.line());
    }

    @Test
    void debugWorksAnywhereOnTheLine() {
        CommandRun r = CommandRun.run("schedule", "--kind", "nope", "--ranks", "4", "--chunks", "8", "--debug");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("parabench schedule: "), r.err());
        assertTrue(r.err().contains("\tat "), "--debug prints the stack trace: " + r.err());
        CommandRun quiet = CommandRun.run("schedule", "--kind", "nope", "--ranks", "4", "--chunks", "8");
        assertEquals(1, quiet.err().strip().split("\n").length, quiet.err());
    }

    /** Issue 13 item 5: train and moe printed a non-zero difference and exited 0. */
    @Test
    void trainAndMoeChecksThrowNamingTheFigure() {
        CheckFailedException train = org.junit.jupiter.api.Assertions.assertThrows(CheckFailedException.class,
                () -> new TrainCommand.Check(0, 1e-7).require());
        assertEquals("the pipelined step differs from the non-pipelined reference: max |grad - reference| = 1.000e-07"
                + " (must be 0)", train.getMessage());
        new TrainCommand.Check(0, 0).require();
        CheckFailedException moe = org.junit.jupiter.api.Assertions.assertThrows(CheckFailedException.class,
                () -> MoeCommand.requireBitEqual(2.5e-8));
        assertEquals("the expert-parallel layer differs from the one-device reference: max |out - reference| = 2.500e-08"
                + " (must be 0)", moe.getMessage());
        MoeCommand.requireBitEqual(0);
    }
}
