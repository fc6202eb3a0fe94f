package io.parabench.pipeline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Torch's send/receive placement, worked out by hand on 1F1B with 2 ranks and 2 micro-batches. */
class SendRecvLoweringTest {
    @Test
    void shouldPostEachReceiveWhenItsSenderIsLowered() {
        // rounds: (U0 | U1), (F0 +SEND, +RECV on 1 | F0), (F1 +SEND, +RECV | B0 +SEND_B, +RECV_B on 0),
        // (B0 | F1), (B1 not ready | B1 +SEND_B, +RECV_B on 0), (B1 RG | RG), (RS | RS)
        Schedule s = ScheduleKind.ONE_F_ONE_B.generate(2, 2);
        List<List<SendRecvLowering.Action>> lowered = SendRecvLowering.lower(s);
        assertEquals(List.of("0UNSHARD", "0F0", "0SEND_F0", "0F1", "0SEND_F1", "0RECV_B0", "0B0", "0RECV_B1", "0B1",
                "0REDUCE_GRAD", "0RESHARD"), names(s, lowered, 0));
        assertEquals(List.of("1UNSHARD", "1RECV_F0", "1F0", "1RECV_F1", "1B0", "1SEND_B0", "1F1", "1B1", "1SEND_B1",
                "1REDUCE_GRAD", "1RESHARD"), names(s, lowered, 1));
    }

    @Test
    void shouldNotSendBetweenStagesOfOneRank() {
        // ZB-V's turn at the last rank: stages 3 and 4 both live on rank 3
        Schedule s = ScheduleKind.ZBV.generate(4, 4);
        for (SendRecvLowering.Action a : SendRecvLowering.lower(s).get(3)) {
            if (a.type().isComm()) {
                assertTrue(a.type() == SendRecvLowering.ActionType.RECV_F ? a.stage() == 3
                        : a.type() == SendRecvLowering.ActionType.SEND_F ? a.stage() == 4
                        : a.type() == SendRecvLowering.ActionType.RECV_B ? a.stage() == 4 : a.stage() == 3, a.toString());
            }
        }
    }

    @Test
    void shouldRefuseOverlappedPairs() {
        Schedule s = ScheduleKind.DUALPIPEV.generate(4, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SendRecvLowering.lower(s));
        assertTrue(e.getMessage().contains("no overlapped F&B action"), e.getMessage());
    }

    private static List<String> names(Schedule s, List<List<SendRecvLowering.Action>> lowered, int rank) {
        List<String> out = new ArrayList<>();
        for (SendRecvLowering.Action a : lowered.get(rank)) {
            out.add(a.torchName(a.op() >= 0 ? s.ops(rank).get(a.op()) : null));
        }
        return out;
    }
}
