package io.parabench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TimelineTraceTest {

    @Test
    void shouldWriteOneKernelAndOneAnnotationPerOpWithRankAsPid() throws Exception {
        Timeline t = Simulator.simulate(ScheduleKind.DUALPIPE.generate(2, 4), CostModel.of(1, 2, 1, 1, 3, 0.25));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TimelineTrace.write(t, out);
        JsonNode trace = new ObjectMapper().readTree(out.toByteArray());
        assertEquals(2, trace.get("deviceProperties").size());
        int kernels = 0;
        int annotations = 0;
        double maxEndUs = 0;
        for (JsonNode e : trace.get("traceEvents")) {
            if (!"X".equals(e.get("ph").asText())) {
                continue;
            }
            String cat = e.get("cat").asText();
            if (cat.equals("kernel")) {
                kernels++;
                int rank = e.get("pid").asInt();
                int index = t.schedule().tokens().get(rank).indexOf(e.get("name").asText());
                assertEquals(t.start(rank, index), e.get("ts").asDouble(), 1e-9);
                maxEndUs = Math.max(maxEndUs, e.get("ts").asDouble() + e.get("dur").asDouble());
            } else if (cat.equals("user_annotation")) {
                annotations++;
            }
        }
        assertEquals(t.schedule().opCount(), kernels);
        assertEquals(t.schedule().opCount(), annotations);
        assertEquals(t.makespan(), maxEndUs, 1e-9);
    }

    @Test
    void shouldBeByteIdenticalAcrossRuns() {
        byte[][] runs = new byte[2][];
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TimelineTrace.write(Simulator.simulate(ScheduleKind.DUALPIPEV.generate(4, 10),
                    CostModel.of(1.1, 2.3, 1.2, 1.1, Double.NaN, 0.07)), out);
            runs[i] = out.toByteArray();
        }
        assertArrayEquals(runs[0], runs[1]);
    }
}
