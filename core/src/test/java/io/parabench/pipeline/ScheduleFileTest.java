package io.parabench.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleFileTest {

    @Test
    void shouldReadTheTokenTextThatScheduleCommandPrints() {
        Schedule s = ScheduleFile.parse("""
                # 1F1B, 2 ranks, 2 micro-batches
                rank 0: F0:0 F0:1 B0:0 B0:1
                rank 1: F0:0 B0:0 F0:1 B0:1
                """, "t.txt");
        assertEquals(ScheduleKind.ONE_F_ONE_B.generate(2, 2).ops(), s.ops());
        assertEquals(2, s.chunks());
    }

    @Test
    void shouldReadReferenceJsonOfAKnownKindWithItsLayout() {
        Schedule generated = ScheduleKind.DUALPIPEV.generate(4, 10);
        StringBuilder json = new StringBuilder("{\"kind\": \"dualpipev\", \"ranks\": 4, \"chunks\": 10, \"ops\": [");
        for (int r = 0; r < 4; r++) {
            json.append(r == 0 ? "" : ",").append('[');
            for (int i = 0; i < generated.tokens().get(r).size(); i++) {
                json.append(i == 0 ? "" : ",").append('"').append(generated.tokens().get(r).get(i)).append('"');
            }
            json.append(']');
        }
        Schedule s = ScheduleFile.parse(json.append("]}").toString(), "s.json");
        assertEquals(generated.ops(), s.ops());
        assertEquals(8, s.layout().stages(0));
    }

    @Test
    void shouldRoundTripTorchCsvOfAVSchedule() {
        Schedule zbv = ScheduleKind.ZBV.generate(4, 20);
        String csv = ScheduleFile.toTorchCsv(zbv);
        assertTrue(csv.startsWith("0F0,0F1,0F2,0F3,0F4,0F5,0F6,7F0,7I0,7W0,"), csv.substring(0, 60));
        Schedule back = ScheduleFile.parse(csv, "zbv.csv");
        assertEquals(zbv.ops(), back.ops());
        assertEquals(8, back.layout().stages(0));
    }

    @Test
    void shouldSkipTorchCommunicationActionsAndEmptyCells() {
        Schedule s = ScheduleFile.parse("0F0,0SEND_F0,,0RECV_B0,0B0\n1RECV_F0,1F0,1B0,1SEND_B0\n", "comm.csv");
        assertEquals(ScheduleKind.ONE_F_ONE_B.generate(2, 1).ops(), s.ops());
    }

    @Test
    void shouldRejectAScheduleThatViolatesDependencies() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleFile.parse(
                "rank 0: F0:0 B0:0\nrank 1: B0:0 F0:0\n", "bad.txt"));
        assertEquals("schedule file (bad.txt) is not a valid schedule: schedule deadlocks: rank 0 op 1 (B0:0) waits for"
                + " the input gradient of stage 1 micro-batch 0 (rank 1 chunk 0); rank 1 op 0 (B0:0) waits for the"
                + " forward of stage 1 micro-batch 0 (rank 1 chunk 0)", e.getMessage());
    }

    @Test
    void shouldAskForTheLayoutOfSeveralChunksPerRank() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleFile.parse("F0:0 F1:0 B1:0 B0:0\n", "v.txt"));
        assertEquals("schedule file (v.txt) puts 2 chunks on a rank: say which layout with \"layout\""
                + " (one-stage, v, dualpipe or interleaved)", e.getMessage());
        Schedule v = ScheduleFile.parse("layout: v\nF0:0 F1:0 B1:0 B0:0\n", "v.txt");
        assertEquals(2, v.layout().stages(0));
    }

    @Test
    void shouldNameTheBadCell() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleFile.parse("0F0,0X0\n", "x.csv"));
        assertEquals("schedule file (x.csv) row 1 column 2: action (0X0) must be <stage><F|I|B|W><micro-batch>"
                + " or a communication action", e.getMessage());
    }
}
