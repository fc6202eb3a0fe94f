package io.parabench.pipeline;

/**
 * The kinds of pipeline operation, with their letters in the schedule token grammar.
 */
public enum OpKind {
    /** {@code F<d>:<mb>}: forward of one stage for one micro-batch. */
    FORWARD('F'),
    /** {@code B<d>:<mb>}: full backward (input and weight gradients). */
    BACKWARD('B'),
    /** {@code b<d>:<mb>}: backward for the input gradient only; the weight gradient is deferred. */
    BACKWARD_INPUT('b'),
    /** {@code W<d>:<mb>}: the deferred weight gradient of an earlier {@code b}. */
    WEIGHT('W'),
    /** {@code F<d>:<mb>&B<d'>:<mb'>}: a forward and a full backward overlapped as one op. */
    FORWARD_BACKWARD('&');

    private final char letter;

    OpKind(char letter) {
        this.letter = letter;
    }

    /** The token letter; {@code '&'} for the overlapped pair, which has no letter of its own. */
    public char letter() {
        return letter;
    }

    /** The kind for a token letter ({@code F B b W}). */
    static OpKind ofLetter(char c, String token) {
        return switch (c) {
            case 'F' -> FORWARD;
            case 'B' -> BACKWARD;
            case 'b' -> BACKWARD_INPUT;
            case 'W' -> WEIGHT;
            default -> throw new IllegalArgumentException("schedule token (" + token
                    + ") must start with F, B, b or W");
        };
    }
}
