package io.parabench.analysis.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns any failure of a command into one line on stderr and an exit code: input the user must
 * fix ({@link Parabench#EXIT_BAD_INPUT}) or a failed check ({@link Parabench#EXIT_CHECK_FAILED}).
 * The stack trace is printed only with {@code --debug}: a user who gave a bad size needs the
 * rule, not forty frames.
 *
 * <p>What counts as input: {@link IllegalArgumentException} (every API boundary checks its
 * arguments this way), I/O failures, malformed JSON, {@link IllegalStateException} (emulated
 * device out of memory, timelines that overflow: both follow from the sizes given),
 * {@link ArithmeticException} (an exact computation that overflowed), and running out of heap
 * or stack (sizes or nesting the machine cannot hold). Anything else is a bug in parabench:
 * exit 1, named as an internal error.
 */
final class FailureReport {
    private FailureReport() {
    }

    /** Prints the line (and the trace with {@code debug}); returns the exit code. */
    static int report(Throwable failure, String command, boolean debug, PrintWriter err) {
        int exit;
        String message;
        if (failure instanceof CheckFailedException) {
            exit = Parabench.EXIT_CHECK_FAILED;
            message = failure.getMessage();
        } else if (failure instanceof OutOfMemoryError) {
            exit = Parabench.EXIT_BAD_INPUT;
            message = "the input needs more memory than the Java heap has (" + gib(Runtime.getRuntime().maxMemory())
                    + ", " + failure.getMessage() + "); lower the sizes or raise -Xmx (PARABENCH_JAVA_OPTS=-Xmx8g)";
        } else if (failure instanceof StackOverflowError) {
            exit = Parabench.EXIT_BAD_INPUT;
            message = "the input is nested too deeply for the thread stack; flatten it or raise -Xss";
        } else if (failure instanceof StreamConstraintsException limits) {
            exit = Parabench.EXIT_BAD_INPUT;
            message = "the JSON input exceeds a size limit: " + limits.getOriginalMessage();
        } else if (failure instanceof JsonProcessingException json) {
            // Jackson's own message spans lines and hides the source; say where, in one line
            exit = Parabench.EXIT_BAD_INPUT;
            var at = json.getLocation();
            message = "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()
                    + " (byte " + at.getByteOffset() + ")") + ": " + json.getOriginalMessage();
        } else if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException
                || failure instanceof ArithmeticException || failure instanceof UncheckedIOException
                || failure instanceof IOException) {
            exit = Parabench.EXIT_BAD_INPUT;
            message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        } else {
            exit = Parabench.EXIT_CHECK_FAILED;
            message = "internal error: " + failure + (debug ? "" : " (run again with --debug for the stack trace)");
        }
        err.println(oneLine(command + ": " + message));
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return exit;
    }

    /** Messages from libraries may span lines or carry control characters; the contract is one line. */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(Math.min(message.length(), 2000));
        for (int i = 0; i < message.length() && sb.length() < 2000; i++) {
            char c = message.charAt(i);
            sb.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        if (sb.length() >= 2000) {
            sb.append("…");
        }
        return sb.toString().strip();
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
