package io.parabench.pipeline;

/**
 * A send or receive on a rank's communication stream as the {@link PostedReceiveExecutor} ran it:
 * when its kernel was resident (holding SMs beside the rank's computation), from its start to the
 * end of the transfer with its peer.
 *
 * @param action  the lowered action ({@link SendRecvLowering}: type, flow, stage, micro-batch)
 * @param afterOp index in the rank's schedule of the last op lowered before it, or -1 for none:
 *                the runtime issues it after that op, before the next
 * @param start   when its kernel started, in the cost model's time units
 * @param end     when the transfer ended (equal for a send and its receive)
 */
public record CommWindow(SendRecvLowering.Action action, int afterOp, double start, double end) {
    public CommWindow {
        if (action == null || !action.type().isComm() || afterOp < -1 || !(end >= start)) {
            throw new IllegalArgumentException("comm window (" + action + " after op " + afterOp + ", " + start + ".."
                    + end + ") must be a send or receive after op >= -1 that does not end before it starts");
        }
    }
}
