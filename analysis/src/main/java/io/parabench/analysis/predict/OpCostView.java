package io.parabench.analysis.predict;

import io.parabench.pipeline.OpKind;

import java.util.ArrayList;
import java.util.List;

/**
 * One stage's cost of one op kind, keyed as the command line prints it ({@code F}, {@code B},
 * {@code b}, {@code W}, {@code F&B}); kinds neither measured nor derived are left out.
 */
public record OpCostView(String key, OpCost cost) {
    /** The stage's costs in the order F, B, b, W, F&B. */
    public static List<OpCostView> of(Predictor predictor, int stage) {
        List<OpCostView> out = new ArrayList<>();
        for (OpKind kind : MeasuredCosts.KINDS) {
            OpCost c = predictor.cost(stage, kind);
            if (c.measured() || c.derived()) {
                out.add(new OpCostView(kind == OpKind.FORWARD_BACKWARD ? "F&B" : String.valueOf(kind.letter()), c));
            }
        }
        return out;
    }
}
