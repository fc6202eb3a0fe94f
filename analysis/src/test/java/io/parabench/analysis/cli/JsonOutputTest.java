package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 11 case 7: {@code "makespan":"Infinity"} and {@code "bubble_rate":"NaN"} were printed as JSON strings. */
class JsonOutputTest {

    @Test
    void nonFiniteNumbersAreAnErrorNamingWhereTheyWere() {
        ObjectNode root = JsonOutput.object();
        root.put("kind", "1f1b");
        root.putArray("ranks").addObject().put("bubble", 1.0);
        root.withArray("ranks").addObject().put("bubble", Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonOutput.write(root));
        assertEquals("result ranks[1].bubble is NaN: not a finite number; the inputs overflow double precision", e.getMessage());
        ObjectNode top = JsonOutput.object().put("makespan", Double.POSITIVE_INFINITY);
        assertEquals("result makespan is Infinity: not a finite number; the inputs overflow double precision",
                assertThrows(IllegalArgumentException.class, () -> JsonOutput.writeCompact(top)).getMessage());
    }

    @Test
    void streamingArraysAreCheckedToo() throws Exception {
        StringWriter out = new StringWriter();
        var g = JsonOutput.generator(out);
        g.writeStartObject();
        g.writeFieldName("realised");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.writeArray(new double[] {0.5, Double.NEGATIVE_INFINITY}, 0, 2));
        assertEquals("result realised[1] is -Infinity: not a finite number; the inputs overflow double precision", e.getMessage());
    }

    @Test
    void finiteDocumentsAreWrittenAsBefore() {
        ObjectNode root = JsonOutput.object().put("makespan", 12.5).put("ranks", 4);
        assertEquals("{\"makespan\":12.5,\"ranks\":4}", JsonOutput.writeCompact(root));
    }
}
