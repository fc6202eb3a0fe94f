package io.parabench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token-for-token parity with the op order logged from DeepSeek's reference DualPipe and
 * DualPipeV {@code step()} ({@code ../shared/data/schedules/reference-schedules.json}).
 */
class ReferenceScheduleParityTest {

    @TestFactory
    List<DynamicTest> shouldMatchReferenceOpOrderTokenForToken() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(SharedData.require("schedules/reference-schedules.json").toFile());
        assertTrue(cases.size() >= 30, "reference file should hold the logged cases, found " + cases.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            String kind = c.get("kind").asText();
            int ranks = c.get("ranks").asInt();
            int chunks = c.get("chunks").asInt();
            tests.add(DynamicTest.dynamicTest(kind + " ranks=" + ranks + " chunks=" + chunks, () -> {
                List<List<String>> expected = new ArrayList<>();
                for (JsonNode rank : c.get("ops")) {
                    List<String> tokens = new ArrayList<>();
                    rank.forEach(t -> tokens.add(t.asText()));
                    expected.add(tokens);
                }
                Schedule generated = ScheduleKind.of(kind).generate(ranks, chunks);
                for (int r = 0; r < ranks; r++) {
                    assertEquals(expected.get(r), generated.tokens().get(r), kind + " rank " + r);
                }
                assertEquals(ranks, generated.tokens().size());
                // the reference schedule itself is valid under our checker
                ScheduleValidator.validate(Schedule.parse(kind, chunks, generated.layout(), expected));
            }));
        }
        return tests;
    }
}
