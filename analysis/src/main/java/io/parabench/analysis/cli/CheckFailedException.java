package io.parabench.analysis.cli;

/**
 * A command ran but its result failed the check it exists to make (the pipelined step differs
 * from the reference, the regression gate failed): exit code {@value Parabench#EXIT_CHECK_FAILED},
 * the message names the figure and its value.
 */
final class CheckFailedException extends RuntimeException {
    CheckFailedException(String message) {
        super(message);
    }
}
