package io.parabench.eplb;

/**
 * The result of a slot-preserving re-placement.
 *
 * @param placement the new placement
 * @param moved     per layer, replicas that must be loaded onto a GPU that did not hold that
 *                  expert before (a slot keeping its expert costs nothing)
 */
public record Replan(Placement placement, int[] moved) {
    /** Replicas moved over all layers. */
    public int totalMoved() {
        int sum = 0;
        for (int m : moved) {
            sum += m;
        }
        return sum;
    }
}
