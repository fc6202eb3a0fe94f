package io.parabench.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code zbv} generator against the op order PyTorch's {@code ScheduleZBVZeroBubble} ran on
 * 4 × H200 ({@code ../shared/data/gpu-traces/torch_zbv}): each rank's compute actions, read
 * from its {@code PP:<stage><F|I|W><mb>} CPU annotations in start order, must be the
 * generator's ops token for token (stage r is chunk 0, stage 7-r chunk 1; torch's I is our b).
 */
class ZeroBubbleVTest {
    private static final Pattern PP_COMPUTE = Pattern.compile("PP:(\\d+)([FIW])(\\d+)");

    @Test
    void shouldEqualTorchOrderFromTheRecordedTraces() throws IOException {
        Path dir = SharedData.require("gpu-traces/torch_zbv");
        Schedule generated = ScheduleKind.ZBV.generate(4, 20);
        for (int rank = 0; rank < 4; rank++) {
            List<String> recorded = torchOrder(dir.resolve("torch_zbv_rank" + rank + ".json.gz"), rank, 4);
            assertEquals(120, recorded.size(), "rank " + rank + ": 20 micro-batches x 2 stages x (F, I, W)");
            assertEquals(recorded, generated.tokens().get(rank), "rank " + rank);
        }
    }

    @Test
    void shouldPostSendsAndReceivesWhereTorchDid() throws IOException {
        // every action torch's runtime annotated (PP:<stage><action><mb>, also UNSHARD, REDUCE_GRAD,
        // RESHARD), in CPU start order, against the lowering of our generator's order
        Path dir = SharedData.require("gpu-traces/torch_zbv");
        Schedule generated = ScheduleKind.ZBV.generate(4, 20);
        List<List<SendRecvLowering.Action>> lowered = SendRecvLowering.lower(generated);
        for (int rank = 0; rank < 4; rank++) {
            List<String> recorded = ppActions(dir.resolve("torch_zbv_rank" + rank + ".json.gz"));
            List<String> ours = new ArrayList<>();
            for (SendRecvLowering.Action a : lowered.get(rank)) {
                ours.add(a.torchName(a.op() >= 0 ? generated.ops(rank).get(a.op()) : null));
            }
            // 120 compute, 6 bookkeeping, 4 transfers per micro-batch and neighbour rank
            assertEquals(rank == 0 || rank == 3 ? 206 : 286, recorded.size(), "rank " + rank);
            assertEquals(recorded, ours, "rank " + rank);
        }
    }

    @ParameterizedTest(name = "{0} ranks, {1} micro-batches")
    @CsvSource({"1,1", "1,5", "2,1", "2,3", "3,2", "3,5", "4,4", "4,7", "4,20", "5,9", "8,3", "8,15", "8,32"})
    void shouldBeValidForOtherSizes(int ranks, int chunks) {
        Schedule s = ScheduleKind.ZBV.generate(ranks, chunks);
        assertDoesNotThrow(() -> ScheduleValidator.validate(s));
        assertEquals(2 * ranks, s.layout().stages(0));
    }

    @Test
    void shouldNotExceedOneFOneBActivationsPerModelShare() {
        // ZB-V's claim (Qi et al. §6): 1F1B's peak memory. One V stage is half a 1F1B stage,
        // so 2P stage activations on rank 0 equal 1F1B's P.
        Timeline t = Simulator.simulate(ScheduleKind.ZBV.generate(4, 20), CostModel.of(1, 2, 1, 1, Double.NaN, 0));
        assertEquals(8, t.peakActivations(0));
    }

    /** Torch's compute actions of one rank as tokens of our grammar, in CPU start order. */
    private static List<String> torchOrder(Path file, int rank, int ranks) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (String name : ppActions(file)) {
            Matcher m = PP_COMPUTE.matcher("PP:" + name);
            if (m.matches()) {
                int stage = Integer.parseInt(m.group(1));
                int chunk = stage == rank ? 0 : 1;
                assertEquals(stage == rank ? rank : 2 * ranks - 1 - rank, stage, name);
                String letter = m.group(2).equals("I") ? "b" : m.group(2);
                tokens.add(letter + chunk + ":" + m.group(3));
            }
        }
        return tokens;
    }

    /** Every {@code PP:} action annotation of one rank's trace, without the prefix, in CPU start order. */
    private static List<String> ppActions(Path file) throws IOException {
        List<Object[]> found = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             JsonParser p = new JsonFactory().createParser(in)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "traceEvents".equals(p.currentName())) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String name = null;
                        String cat = null;
                        double ts = 0;
                        while (p.nextToken() != JsonToken.END_OBJECT) {
                            String field = p.currentName();
                            p.nextToken();
                            switch (field) {
                                case "name" -> name = p.getText();
                                case "cat" -> cat = p.getText();
                                case "ts" -> ts = p.getDoubleValue();
                                default -> p.skipChildren();
                            }
                        }
                        if ("user_annotation".equals(cat) && name != null && name.startsWith("PP:")) {
                            found.add(new Object[]{ts, name.substring(3)});
                        }
                    }
                }
            }
        }
        found.sort(Comparator.comparingDouble(o -> (Double) o[0]));
        List<String> tokens = new ArrayList<>();
        for (Object[] o : found) {
            tokens.add((String) o[1]);
        }
        return tokens;
    }
}
