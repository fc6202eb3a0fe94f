package io.parabench.analysis.predict;

import io.parabench.pipeline.Op;
import io.parabench.pipeline.OpKind;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline op named by an annotation of a profiled step, in one of the three namings this
 * suite reads:
 * <ul>
 *   <li>the suite's own real-GPU harness ({@code ../shared/data/gpu-traces}):
 *       {@code sim:F d0 s1 mb3} (forward, direction 0, stage 1, micro-batch 3), {@code sim:B}
 *       full backward, {@code sim:Bi} input-only backward, {@code sim:W} weight gradient; the
 *       direction is optional;</li>
 *   <li>torch.distributed.pipelining's actions: {@code PP:<stage>F<mb>}, {@code I} input
 *       backward, {@code W} weight, {@code B} full backward (its SEND/RECV/UNSHARD actions are
 *       not compute ops);</li>
 *   <li>the schedule grammar the simulator and the runtime write: {@code F0:3}, {@code b1:2},
 *       {@code F0:3&B1:2}; these name the rank's local chunk, not the stage.</li>
 * </ul>
 *
 * @param op        the op in the schedule grammar; its chunk is the local chunk when
 *                  {@code stage < 0}, else 0 until the layout places the stage
 * @param stage     the stage within its flow, or -1 when the name gives only the chunk
 * @param direction DualPipe's direction (flow), or -1 when the name does not say
 */
record OpLabel(Op op, int stage, int direction) {
    /** What the reader looks for, for the message when a trace has none of it. */
    static final String EXPECTED = "sim:F|B|Bi|W [d<dir>] s<stage> mb<mb>, PP:<stage>F|I|W|B<mb>,"
            + " or schedule tokens F<d>:<mb>, B…, b…, W…";

    private static final Pattern SIM = Pattern.compile("sim:(F|B|Bi|W) (?:d(\\d+) )?s(\\d+) mb(\\d+)");
    private static final Pattern TORCH = Pattern.compile("PP:(\\d+)([FIWB])(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("[FBbW]\\d+:\\d+(?:&B\\d+:\\d+)?");

    /** The naming family of a label, so one trace's ops are read in a single naming. */
    enum Naming { SIM, TORCH, TOKEN }

    /** Which naming {@code name} uses, or null when it is not a compute op. */
    static Naming naming(String name) {
        if (SIM.matcher(name).matches()) {
            return Naming.SIM;
        }
        if (TORCH.matcher(name).matches()) {
            return Naming.TORCH;
        }
        return TOKEN.matcher(name).matches() ? Naming.TOKEN : null;
    }

    /** The label of an annotation name, or null when it names no compute op. */
    static OpLabel parse(String name) {
        Matcher m = SIM.matcher(name);
        if (m.matches()) {
            int mb = Integer.parseInt(m.group(4));
            int stage = Integer.parseInt(m.group(3));
            int direction = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            OpKind kind = switch (m.group(1)) {
                case "F" -> OpKind.FORWARD;
                case "B" -> OpKind.BACKWARD;
                case "Bi" -> OpKind.BACKWARD_INPUT;
                default -> OpKind.WEIGHT;
            };
            return new OpLabel(new Op(kind, 0, mb, -1, -1), stage, direction);
        }
        m = TORCH.matcher(name);
        if (m.matches()) {
            OpKind kind = switch (m.group(2)) {
                case "F" -> OpKind.FORWARD;
                case "I" -> OpKind.BACKWARD_INPUT;
                case "W" -> OpKind.WEIGHT;
                default -> OpKind.BACKWARD;
            };
            return new OpLabel(new Op(kind, 0, Integer.parseInt(m.group(3)), -1, -1), Integer.parseInt(m.group(1)), -1);
        }
        if (TOKEN.matcher(name).matches()) {
            return new OpLabel(Op.parse(name), -1, -1);
        }
        return null;
    }
}
