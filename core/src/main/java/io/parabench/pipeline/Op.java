package io.parabench.pipeline;

/**
 * One operation of a rank's schedule: a kind, the local chunk it runs and the micro-batch.
 *
 * <p>The chunk is local to the rank: for DualPipe it is the direction (0 or 1), for DualPipeV
 * the first or second stage the rank holds, for interleaved 1F1B the virtual stage
 * {@code 0..v-1}, and 0 for single-stage-per-rank schedules. The micro-batch is numbered within
 * the chunk's pipeline (for DualPipe, within its direction). An overlapped
 * {@link OpKind#FORWARD_BACKWARD} op carries a second chunk and micro-batch for its backward.
 *
 * <p>Text form: {@code F0:3}, {@code B1:0}, {@code b0:2}, {@code W0:2}, {@code F1:4&B0:3}.
 *
 * @param kind                the operation kind
 * @param chunk               local chunk of the (forward half of the) op
 * @param microBatch          micro-batch of the (forward half of the) op
 * @param backwardChunk       local chunk of the backward half of an overlapped pair, else -1
 * @param backwardMicroBatch  micro-batch of the backward half of an overlapped pair, else -1
 */
public record Op(OpKind kind, int chunk, int microBatch, int backwardChunk, int backwardMicroBatch) {

    public Op {
        if (chunk < 0 || microBatch < 0) {
            throw new IllegalArgumentException("op chunk (" + chunk + ") and micro-batch (" + microBatch
                    + ") must be >= 0");
        }
        boolean pair = kind == OpKind.FORWARD_BACKWARD;
        if (pair != (backwardChunk >= 0 && backwardMicroBatch >= 0)) {
            throw new IllegalArgumentException("only an overlapped F&B op has a backward chunk and micro-batch");
        }
    }

    public static Op forward(int chunk, int microBatch) {
        return new Op(OpKind.FORWARD, chunk, microBatch, -1, -1);
    }

    public static Op backward(int chunk, int microBatch) {
        return new Op(OpKind.BACKWARD, chunk, microBatch, -1, -1);
    }

    public static Op backwardInput(int chunk, int microBatch) {
        return new Op(OpKind.BACKWARD_INPUT, chunk, microBatch, -1, -1);
    }

    public static Op weight(int chunk, int microBatch) {
        return new Op(OpKind.WEIGHT, chunk, microBatch, -1, -1);
    }

    public static Op forwardBackward(int forwardChunk, int forwardMicroBatch, int backwardChunk, int backwardMicroBatch) {
        return new Op(OpKind.FORWARD_BACKWARD, forwardChunk, forwardMicroBatch, backwardChunk, backwardMicroBatch);
    }

    /** True for the overlapped forward&backward pair. */
    public boolean isPair() {
        return kind == OpKind.FORWARD_BACKWARD;
    }

    /** The token in the schedule grammar. */
    public String token() {
        if (isPair()) {
            return "F" + chunk + ':' + microBatch + "&B" + backwardChunk + ':' + backwardMicroBatch;
        }
        return String.valueOf(kind.letter()) + chunk + ':' + microBatch;
    }

    @Override
    public String toString() {
        return token();
    }

    /**
     * Parses a token of the schedule grammar.
     *
     * @throws IllegalArgumentException naming the token and the rule it breaks
     */
    public static Op parse(String token) {
        int amp = token.indexOf('&');
        if (amp >= 0) {
            Op f = parseSingle(token.substring(0, amp), token);
            Op b = parseSingle(token.substring(amp + 1), token);
            if (f.kind != OpKind.FORWARD || b.kind != OpKind.BACKWARD) {
                throw new IllegalArgumentException("schedule token (" + token
                        + ") must pair a forward with a full backward: F<d>:<mb>&B<d>:<mb>");
            }
            return forwardBackward(f.chunk, f.microBatch, b.chunk, b.microBatch);
        }
        return parseSingle(token, token);
    }

    private static Op parseSingle(String part, String token) {
        int colon = part.indexOf(':');
        if (part.length() < 4 || colon < 2 || colon == part.length() - 1) {
            throw new IllegalArgumentException("schedule token (" + token + ") must look like F<d>:<mb>, e.g. F0:3");
        }
        OpKind kind = OpKind.ofLetter(part.charAt(0), token);
        try {
            int chunk = Integer.parseInt(part.substring(1, colon));
            int mb = Integer.parseInt(part.substring(colon + 1));
            return new Op(kind, chunk, mb, -1, -1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule token (" + token
                    + ") must have a whole chunk and micro-batch, e.g. F0:3", e);
        }
    }
}
