package io.parabench.analysis.predict;

import io.parabench.pipeline.Op;
import io.parabench.pipeline.PipelineLayout;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Places the ops read from a trace on a stage layout and names the schedule they form.
 *
 * <p>Names with stages ({@code sim:… s<stage>}, {@code PP:<stage>…}) fix the layout by where
 * the stages ran: one stage per rank (stage r on rank r), DualPipeV's and ZB-V's V (stages r and
 * 2P−1−r on rank r), interleaved (stages c·P + r), or DualPipe when names carry a direction.
 * Names with local chunks only (the grammar tokens the suite writes) are placed by the generator
 * whose schedule is the same order, or by {@code --source-kind}. The kind is the generator
 * whose op order equals the recorded one token for token, else {@code custom}.
 */
final class StepLayout {
    private StepLayout() {
    }

    static RecordedStep place(RecordedStep step, List<List<RecordedStep.Labelled>> ranks, ScheduleKind sourceKind,
                              int virtualStages) {
        String source = step.source();
        int p = ranks.size();
        boolean staged = ranks.get(0).isEmpty() || ranks.get(0).get(0).label().stage() >= 0;
        for (int r = 0; r < p; r++) {
            if (ranks.get(r).isEmpty()) {
                throw new IllegalArgumentException("rank " + r + " of " + source + " has no pipeline op annotations"
                        + " in the step; looked for " + OpLabel.EXPECTED);
            }
        }
        return staged ? placeByStage(step, ranks, virtualStages) : placeByChunk(step, ranks, sourceKind, virtualStages);
    }

    private static RecordedStep placeByStage(RecordedStep step, List<List<RecordedStep.Labelled>> ranks, int virtualStages) {
        String source = step.source();
        int p = ranks.size();
        boolean directed = false;
        int maxStage = 0;
        int[] maxMb = new int[2];
        for (List<RecordedStep.Labelled> rank : ranks) {
            for (RecordedStep.Labelled l : rank) {
                directed |= l.label().direction() > 0;
                maxStage = Math.max(maxStage, l.label().stage());
                int flow = Math.max(0, l.label().direction());
                if (flow > 1) {
                    throw new IllegalArgumentException("op direction (" + flow + ") must be 0 or 1 in " + source);
                }
                maxMb[flow] = Math.max(maxMb[flow], l.label().op().microBatch() + 1);
            }
        }
        int stages = maxStage + 1;
        PipelineLayout layout;
        if (directed) {
            layout = PipelineLayout.dualPipe(p, Math.max(maxMb[0], maxMb[1]));
            if (layout.stages(0) != stages || !placedOn(layout, ranks)) {
                throw new IllegalArgumentException("stage placement in " + source + " must be DualPipe's for ops with"
                        + " a direction: stage s of direction 0 on rank s, of direction 1 on rank P-1-s");
            }
        } else {
            List<TreeSet<Integer>> held = new ArrayList<>();
            for (List<RecordedStep.Labelled> rank : ranks) {
                TreeSet<Integer> s = new TreeSet<>();
                rank.forEach(l -> s.add(l.label().stage()));
                held.add(s);
            }
            layout = PipelineLayout.ofPlacement(held, stages, maxMb[0], "op annotations of " + source);
        }
        List<List<Op>> ops = new ArrayList<>();
        List<List<RecordedOp>> recorded = new ArrayList<>();
        for (int r = 0; r < p; r++) {
            List<Op> rankOps = new ArrayList<>();
            List<RecordedOp> rankRecorded = new ArrayList<>();
            for (RecordedStep.Labelled l : ranks.get(r)) {
                int flow = Math.max(0, l.label().direction());
                Op op = l.label().op();
                Op placed = new Op(op.kind(), layout.chunkOf(flow, l.label().stage()), op.microBatch(), -1, -1);
                rankOps.add(placed);
                rankRecorded.add(new RecordedOp(r, placed, l.label().stage(), flow, l.busyUs(), l.overlapped(),
                        l.kernels(), l.sendAfter()));
            }
            ops.add(rankOps);
            recorded.add(rankRecorded);
        }
        int chunks = directed ? 2 * layout.microBatches(0) : layout.microBatches(0);
        Schedule schedule = new Schedule("recorded", chunks, layout, ops);
        return step.placed(schedule, kindOf(schedule, virtualStages), recorded);
    }

    private static boolean placedOn(PipelineLayout layout, List<List<RecordedStep.Labelled>> ranks) {
        for (int r = 0; r < ranks.size(); r++) {
            for (RecordedStep.Labelled l : ranks.get(r)) {
                int flow = Math.max(0, l.label().direction());
                if (l.label().stage() >= layout.stages(flow) || layout.rankOf(flow, l.label().stage()) != r) {
                    return false;
                }
            }
        }
        return true;
    }

    private static RecordedStep placeByChunk(RecordedStep step, List<List<RecordedStep.Labelled>> ranks,
                                             ScheduleKind sourceKind, int virtualStages) {
        String source = step.source();
        int p = ranks.size();
        List<List<Op>> ops = new ArrayList<>();
        int maxMb = 0;
        for (List<RecordedStep.Labelled> rank : ranks) {
            List<Op> rankOps = new ArrayList<>();
            for (RecordedStep.Labelled l : rank) {
                rankOps.add(l.label().op());
                maxMb = Math.max(maxMb, l.label().op().microBatch() + 1);
            }
            ops.add(rankOps);
        }
        List<ScheduleKind> kinds = sourceKind != null ? List.of(sourceKind) : List.of(ScheduleKind.values());
        Schedule layoutDonor = null;
        String kind = "custom";
        for (ScheduleKind k : kinds) {
            int chunks = k == ScheduleKind.DUALPIPE ? 2 * maxMb : maxMb;
            Schedule generated;
            try {
                generated = k.generate(p, chunks, virtualStages);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (generated.ops().equals(ops)) {
                layoutDonor = generated;
                kind = k.cliName();
                break;
            }
            if (sourceKind != null) {
                layoutDonor = generated;
            }
        }
        if (layoutDonor == null) {
            throw new IllegalArgumentException("op names in " + source + " give local chunks, not stages, and no"
                    + " generator produces this op order: give --source-kind (and --virtual-stages) to place the stages");
        }
        PipelineLayout layout = layoutDonor.layout();
        List<List<RecordedOp>> recorded = new ArrayList<>();
        for (int r = 0; r < p; r++) {
            List<RecordedOp> rankRecorded = new ArrayList<>();
            for (RecordedStep.Labelled l : ranks.get(r)) {
                Op op = l.label().op();
                if (op.chunk() >= layout.chunksPerRank()) {
                    throw new IllegalArgumentException("op " + op.token() + " on rank " + r + " of " + source
                            + " names chunk " + op.chunk() + "; a " + layoutDonor.kind() + " rank holds "
                            + layout.chunksPerRank());
                }
                rankRecorded.add(new RecordedOp(r, op, layout.stage(r, op.chunk()), layout.flow(r, op.chunk()),
                        l.busyUs(), l.overlapped(), l.kernels(), l.sendAfter()));
            }
            recorded.add(rankRecorded);
        }
        Schedule schedule = new Schedule("recorded", layoutDonor.chunks(), layout, ops);
        return step.placed(schedule, kind, recorded);
    }

    /** The generator whose op order for this size equals the schedule's, or {@code custom}. */
    static String kindOf(Schedule schedule, int virtualStages) {
        for (ScheduleKind k : ScheduleKind.values()) {
            try {
                Schedule generated = k.generate(schedule.ranks(), schedule.chunks(),
                        Math.max(2, schedule.layout().chunksPerRank()));
                if (generated.ops().equals(schedule.ops())
                        && generated.layout().stages(0) == schedule.layout().stages(0)) {
                    return k.cliName();
                }
            } catch (IllegalArgumentException e) {
                // the size breaks this generator's rules: not this kind
            }
        }
        return "custom";
    }
}
