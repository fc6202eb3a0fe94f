package io.parabench.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScheduleKindTest {

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void shouldNameParameterValueAndRule() {
        assertEquals("ranks (3) must be even for dualpipe (rank r pairs with rank P-1-r)",
                error(() -> ScheduleKind.DUALPIPE.generate(3, 20)));
        assertEquals("chunks (7) must be even for dualpipe (half flow in each direction)",
                error(() -> ScheduleKind.DUALPIPE.generate(2, 7)));
        assertEquals("chunks (6) must be >= 2 * ranks (8) for dualpipe", error(() -> ScheduleKind.DUALPIPE.generate(4, 6)));
        assertEquals("chunks (7) must be >= 2 * ranks (8) for dualpipev", error(() -> ScheduleKind.DUALPIPEV.generate(4, 7)));
        assertEquals("ranks (0) must be >= 1", error(() -> ScheduleKind.GPIPE.generate(0, 4)));
        assertEquals("virtual-stages (1) must be >= 2 for interleaved (use 1f1b for one stage per rank)",
                error(() -> ScheduleKind.INTERLEAVED.generate(4, 8, 1)));
        assertEquals("chunks (6) must be a multiple of ranks (4) for interleaved (micro-batches go in groups of P)",
                error(() -> ScheduleKind.INTERLEAVED.generate(4, 6, 2)));
        assertEquals("schedule kind (pipedream) must be one of dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved, zbv",
                error(() -> ScheduleKind.of("pipedream")));
    }

    @Test
    void oneFOneBShouldWarmUpThenAlternate() {
        // worked by hand: 3 ranks, 4 micro-batches
        Schedule s = ScheduleKind.ONE_F_ONE_B.generate(3, 4);
        assertEquals(List.of("F0:0", "F0:1", "F0:2", "B0:0", "F0:3", "B0:1", "B0:2", "B0:3"), s.tokens().get(0));
        assertEquals(List.of("F0:0", "B0:0", "F0:1", "B0:1", "F0:2", "B0:2", "F0:3", "B0:3"), s.tokens().get(2));
    }

    @Test
    void zeroBubbleShouldDeferWeightsByRank() {
        Schedule s = ScheduleKind.ZB1P.generate(2, 3);
        assertEquals(List.of("F0:0", "F0:1", "b0:0", "W0:0", "F0:2", "b0:1", "W0:1", "b0:2", "W0:2"), s.tokens().get(0));
        assertEquals(List.of("F0:0", "b0:0", "F0:1", "b0:1", "W0:0", "F0:2", "b0:2", "W0:1", "W0:2"), s.tokens().get(1));
    }

    @Test
    void interleavedShouldWalkChunksInGroupsOfRanks() {
        // Megatron's mapping, 2 ranks, v=2, 2 micro-batches: forwards chunk 0 mb 0,1 then chunk 1 mb 0,1
        Schedule s = ScheduleKind.INTERLEAVED.generate(2, 2, 2);
        assertEquals(List.of("F0:0", "F0:1", "F1:0", "F1:1", "B1:0", "B1:1", "B0:0", "B0:1"), s.tokens().get(0));
        assertEquals(4, s.layout().totalStages());
        assertEquals(1, s.layout().rankOf(0, 3));
    }

    @Test
    void opTokensShouldRoundTrip() {
        for (String token : List.of("F0:0", "B1:17", "b0:3", "W1:2", "F1:4&B0:3")) {
            assertEquals(token, Op.parse(token).token());
        }
        assertEquals("schedule token (X0:1) must start with F, B, b or W", error(() -> Op.parse("X0:1")));
        assertEquals("schedule token (F0:1&F1:2) must pair a forward with a full backward: F<d>:<mb>&B<d>:<mb>",
                error(() -> Op.parse("F0:1&F1:2")));
        assertEquals("schedule token (F0:x) must have a whole chunk and micro-batch, e.g. F0:3", error(() -> Op.parse("F0:x")));
        assertEquals("schedule token (F0) must look like F<d>:<mb>, e.g. F0:3", error(() -> Op.parse("F0")));
    }
}
