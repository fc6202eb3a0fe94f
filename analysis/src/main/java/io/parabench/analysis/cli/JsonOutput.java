package io.parabench.analysis.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The one configured JSON writer of the command line. Every {@code --format json} document goes
 * through a generator that refuses non-finite numbers: JSON has no NaN or Infinity, and Jackson
 * would otherwise quietly write them as the strings {@code "NaN"} and {@code "Infinity"}, which
 * {@code jq} and every consumer then mistake for text.
 */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /** A fresh object node to build a document in. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The document, indented. */
    static String write(JsonNode root) {
        return write(root, true);
    }

    /** The document on one line (long token lists, e.g. a schedule). */
    static String writeCompact(JsonNode root) {
        return write(root, false);
    }

    private static String write(JsonNode root, boolean indent) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = finiteOnly(MAPPER.getFactory().createGenerator(text))) {
            if (indent) {
                g.useDefaultPrettyPrinter();
            }
            MAPPER.writeTree(g, root);
        } catch (IOException e) {
            // databind wraps what the generator throws; the non-finite check's message is the one to show
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException nonFinite) {
                    throw nonFinite;
                }
            }
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** A streaming generator onto {@code out} (left open) that refuses non-finite numbers. */
    static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator g = MAPPER.getFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return finiteOnly(g);
    }

    private static JsonGenerator finiteOnly(JsonGenerator g) {
        return new JsonGeneratorDelegate(g, false) {
            @Override
            public void writeNumber(double v) throws IOException {
                requireFinite(v, this);
                super.writeNumber(v);
            }

            @Override
            public void writeNumber(float v) throws IOException {
                requireFinite(v, this);
                super.writeNumber(v);
            }

            @Override
            public void writeArray(double[] array, int offset, int length) throws IOException {
                for (int i = offset; i < offset + length; i++) {
                    if (!Double.isFinite(array[i])) {
                        throw new IllegalArgumentException("result " + path(getOutputContext()) + "[" + (i - offset)
                                + "] is " + array[i] + ": not a finite number; the inputs overflow double precision");
                    }
                }
                super.writeArray(array, offset, length);
            }
        };
    }

    private static void requireFinite(double v, JsonGenerator g) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("result " + path(g.getOutputContext()) + " is " + v
                    + ": not a finite number; the inputs overflow double precision");
        }
    }

    /** {@code makespan} or {@code ranks[3].bubble}: where in the document the value was going. */
    private static String path(JsonStreamContext context) {
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            // an array the value goes into has not counted it yet; enclosing arrays have
            int index = c == context ? c.getCurrentIndex() + 1 : c.getCurrentIndex();
            String part = c.inArray() ? "[" + Math.max(0, index) + "]"
                    : c.getCurrentName() == null ? "" : "." + c.getCurrentName();
            sb.insert(0, part);
        }
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.length() == 0 ? "(document)" : sb.toString();
    }
}
