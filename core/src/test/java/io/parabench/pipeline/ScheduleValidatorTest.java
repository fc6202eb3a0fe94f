package io.parabench.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleValidatorTest {

    /** Seeded random (kind, ranks, chunks) triples within each generator's rules. */
    static Stream<int[]> randomShapes() {
        Random random = new Random(20261127);
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int kind = i % ScheduleKind.values().length;
            int ranks = 1 + random.nextInt(12);
            int chunks = 1 + random.nextInt(48);
            switch (ScheduleKind.values()[kind]) {
                case DUALPIPE -> {
                    ranks = 2 * (1 + random.nextInt(6));
                    chunks = 2 * ranks + 2 * random.nextInt(20);
                }
                case DUALPIPEV -> chunks = 2 * ranks + random.nextInt(30);
                case INTERLEAVED -> chunks = ranks * (1 + random.nextInt(6));
                default -> { }
            }
            shapes.add(new int[]{kind, ranks, chunks, 2 + random.nextInt(3)});
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "shape {index}")
    @MethodSource("randomShapes")
    void everyGeneratedScheduleShouldBeValid(int[] shape) {
        ScheduleKind kind = ScheduleKind.values()[shape[0]];
        Schedule s = kind.generate(shape[1], shape[2], shape[3]);
        assertDoesNotThrow(() -> ScheduleValidator.validate(s), kind + " " + shape[1] + "x" + shape[2]);
    }

    @ParameterizedTest(name = "dualpipe vs 1f1b, shape {index}")
    @MethodSource("randomShapes")
    void dualPipeBubbleShouldNeverExceedOneFOneB(int[] shape) {
        int ranks = 2 * Math.max(1, shape[1] / 2);
        int chunks = 2 * ranks + 2 * (shape[2] % 16);
        Random random = new Random(shape[1] * 31L + shape[2]);
        double f = 0.5 + random.nextDouble();
        double w = 0.2 + random.nextDouble() * f;
        double b = w + 0.5 + random.nextDouble();
        CostModel costs = CostModel.of(f, b, b - w, w, Double.NaN, random.nextDouble() * 0.1);
        Timeline dual = Simulator.simulate(ScheduleKind.DUALPIPE.generate(ranks, chunks), costs);
        Timeline base = Simulator.simulate(ScheduleKind.ONE_F_ONE_B.generate(ranks, chunks), costs);
        assertTrue(dual.maxBubble() <= base.maxBubble() + 1e-9,
                "PP=" + ranks + " chunks=" + chunks + " " + costs + ": dualpipe " + dual.maxBubble()
                        + " > 1f1b " + base.maxBubble());
    }

    private static Schedule oneStage(int ranks, int chunks, List<List<String>> tokens) {
        return Schedule.parse("custom", chunks, PipelineLayout.oneStagePerRank(ranks, chunks), tokens);
    }

    @Test
    void shouldRejectMissingForward() {
        Schedule s = oneStage(2, 1, List.of(List.of("B0:0"), List.of("F0:0", "B0:0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(s));
        assertEquals("stage 0 micro-batch 0 (rank 0 chunk 0): forward appears 0 times, must appear once", e.getMessage());
    }

    @Test
    void shouldRejectWeightWithFullBackward() {
        Schedule s = oneStage(1, 1, List.of(List.of("F0:0", "B0:0", "W0:0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(s));
        assertTrue(e.getMessage().contains("found B x1, b x0, W x1"), e.getMessage());
    }

    @Test
    void shouldRejectWeightBeforeItsInputBackward() {
        Schedule s = oneStage(1, 1, List.of(List.of("F0:0", "W0:0", "b0:0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(s));
        assertEquals("schedule deadlocks: rank 0 op 1 (W0:0) waits for its b0:0 on rank 0", e.getMessage());
    }

    @Test
    void shouldRejectCrossRankDeadlock() {
        // rank 0 waits for rank 1's backward of micro-batch 0 before forwarding micro-batch 1;
        // rank 1 insists on the forward of micro-batch 1 first.
        Schedule s = oneStage(2, 2, List.of(
                List.of("F0:0", "B0:0", "F0:1", "B0:1"),
                List.of("F0:0", "F0:1", "B0:0", "B0:1")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(s));
        assertEquals("schedule deadlocks: rank 0 op 1 (B0:0) waits for the input gradient of stage 1 micro-batch 0"
                + " (rank 1 chunk 0); rank 1 op 1 (F0:1) waits for the forward of stage 0 micro-batch 1 (rank 0 chunk 0)",
                e.getMessage());
    }

    @Test
    void shouldRejectBackwardBeforeItsForwardOnTheSameRank() {
        Schedule s = oneStage(1, 1, List.of(List.of("B0:0", "F0:0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(s));
        assertTrue(e.getMessage().contains("(B0:0) waits for the forward of stage 0 micro-batch 0"), e.getMessage());
    }

    @Test
    void shouldRejectChunkOrMicroBatchOutOfRange() {
        Schedule s = oneStage(1, 1, List.of(List.of("F1:0", "B0:0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(s));
        assertEquals("rank 0 op 0 (F1:0): chunk 1 must be < 1 (chunks per rank)", e.getMessage());
        Schedule t = oneStage(1, 1, List.of(List.of("F0:0", "B0:3")));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> ScheduleValidator.validate(t));
        assertEquals("rank 0 op 1 (B0:3): micro-batch 3 must be < 1", e2.getMessage());
    }
}
