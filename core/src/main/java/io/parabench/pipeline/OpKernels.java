package io.parabench.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Per stage and op kind, the computation kernels an op runs ({@link KernelPhase}s: share of the
 * op's time, slowdown beside a resident comm kernel, last-wave point). With them the simulator
 * times an op kernel by kernel when a runtime posts its receives early
 * ({@link CostModel#withPostedReceives}): what each kernel loses depends on whether a
 * communication kernel holds SMs when it starts.
 *
 * <p>Immutable. Kinds: F, B, b, W ({@link OpKind} order); a stage/kind without phases is one
 * phase that is never slowed ({@link KernelPhase#WHOLE_OP}).
 */
public final class OpKernels {
    private static final List<KernelPhase> WHOLE = List.of(KernelPhase.WHOLE_OP);
    private final List<List<List<KernelPhase>>> phases;
    /** [kind][stage] → kernels issued before the op's send, or null: all of them. */
    private final int[][] sendAfter;

    private OpKernels(List<List<List<KernelPhase>>> phases, int[][] sendAfter) {
        this.phases = phases;
        this.sendAfter = sendAfter;
    }

    /**
     * @param phases [kind: F, B, b, W][stage] → the op's kernels in issue order; an empty list
     *               or a missing stage means {@link KernelPhase#WHOLE_OP}
     * @throws IllegalArgumentException when a list's shares do not add up to 1 (±1e-6)
     */
    public static OpKernels of(List<List<List<KernelPhase>>> phases) {
        List<List<List<KernelPhase>>> copy = new ArrayList<>();
        for (int k = 0; k < phases.size(); k++) {
            List<List<KernelPhase>> byStage = new ArrayList<>();
            for (int s = 0; s < phases.get(k).size(); s++) {
                List<KernelPhase> list = phases.get(k).get(s);
                if (list == null || list.isEmpty()) {
                    byStage.add(WHOLE);
                    continue;
                }
                double sum = list.stream().mapToDouble(KernelPhase::share).sum();
                if (Math.abs(sum - 1) > 1e-6) {
                    throw new IllegalArgumentException("kernel shares of kind " + k + " stage " + s + " add up to " + sum
                            + "; they must add up to 1");
                }
                byStage.add(List.copyOf(list));
            }
            copy.add(List.copyOf(byStage));
        }
        return new OpKernels(List.copyOf(copy), null);
    }

    /**
     * The same kernels, with the op's send issued after the first {@code sendAfter[kind][stage]}
     * of them (a full backward that sends its input gradient before its weight GEMMs); a missing
     * or negative entry means after all of them.
     */
    public OpKernels withSendAfter(int[][] sendAfter) {
        int[][] copy = new int[sendAfter.length][];
        for (int k = 0; k < sendAfter.length; k++) {
            copy[k] = sendAfter[k].clone();
        }
        return new OpKernels(phases, copy);
    }

    /** How many of the op's kernels are issued before its send. */
    public int sendAfter(OpKind kind, int stage) {
        int all = phases(kind, stage).size();
        int k = index(kind);
        if (sendAfter == null || k >= sendAfter.length || stage >= sendAfter[k].length || sendAfter[k][stage] < 0) {
            return all;
        }
        return Math.min(all, sendAfter[k][stage]);
    }

    /** The kernels of an op of {@code kind} on {@code stage}. */
    public List<KernelPhase> phases(OpKind kind, int stage) {
        int k = index(kind);
        if (k >= phases.size() || stage >= phases.get(k).size()) {
            return WHOLE;
        }
        return phases.get(k).get(stage);
    }

    private static int index(OpKind kind) {
        return switch (kind) {
            case FORWARD -> 0;
            case BACKWARD -> 1;
            case BACKWARD_INPUT -> 2;
            case WEIGHT -> 3;
            case FORWARD_BACKWARD -> throw new IllegalArgumentException("F&B pairs have no kernel phases");
        };
    }

    /** The same kernels for a target of {@code targetStages} stages: target stage t takes source stage ⌊t·S/T⌋'s. */
    public OpKernels restaged(int targetStages) {
        List<List<List<KernelPhase>>> out = new ArrayList<>();
        for (List<List<KernelPhase>> byStage : phases) {
            List<List<KernelPhase>> t = new ArrayList<>();
            for (int s = 0; s < targetStages; s++) {
                t.add(byStage.isEmpty() ? WHOLE : byStage.get((int) ((long) s * byStage.size() / targetStages)));
            }
            out.add(List.copyOf(t));
        }
        int[][] sends = null;
        if (sendAfter != null) {
            sends = new int[sendAfter.length][targetStages];
            for (int k = 0; k < sendAfter.length; k++) {
                for (int s = 0; s < targetStages; s++) {
                    sends[k][s] = sendAfter[k].length == 0 ? -1
                            : sendAfter[k][(int) ((long) s * sendAfter[k].length / targetStages)];
                }
            }
        }
        return new OpKernels(List.copyOf(out), sends);
    }

    @Override
    public String toString() {
        return "OpKernels" + phases;
    }
}
