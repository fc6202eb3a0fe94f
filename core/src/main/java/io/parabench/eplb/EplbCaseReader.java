package io.parabench.eplb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a JSON array of balancing problems in the format of DeepSeek-derived
 * {@code reference-cases.json}: objects with {@code weight} ({@code [layers][experts]}),
 * {@code num_replicas}, {@code num_groups}, {@code num_nodes}, {@code num_gpus}, and
 * optionally the reference's {@code phy2log}, {@code logcnt}, {@code log2phy} and
 * {@code gpu_load}. Other fields are skipped. Streams the file with jackson-core.
 */
public final class EplbCaseReader {
    /** Accepts {@code NaN} and {@code Infinity} tokens (Python's json writes them) so that
     *  validation can reject such loads by name and value instead of failing as bad JSON. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private EplbCaseReader() {
    }

    /**
     * Reads every case of a file.
     *
     * @throws IllegalArgumentException naming the case and field when the content is malformed
     * @throws IOException              when the file cannot be read or is not JSON
     */
    public static List<EplbCase> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads every case from a stream; {@code source} names it in messages. */
    public static List<EplbCase> read(InputStream in, String source) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            return read(p, source);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed(source, e);
        }
    }

    private static List<EplbCase> read(JsonParser p, String source) throws IOException {
        List<EplbCase> cases = new ArrayList<>();
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException(source + " must hold a JSON array of cases");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(source + " case " + cases.size() + " must be a JSON object");
            }
            cases.add(readCase(p, cases.size(), source));
        }
        return cases;
    }

    /**
     * Reads a bare loads file: a JSON array of arrays of numbers ({@code [layers][experts]}),
     * or one array of numbers for a single layer.
     */
    public static float[][] readLoads(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            return readLoads(p, file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed(file.toString(), e);
        }
    }

    /** A one-line error naming the file and where its JSON breaks. */
    static IllegalArgumentException malformed(String source, com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        return new IllegalArgumentException(source + " is not valid JSON" + (at == null ? "" : " at line "
                + at.getLineNr() + " column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
    }

    private static float[][] readLoads(JsonParser p, Path file) throws IOException {
        p.nextToken();
        Object nested;
        try {
            nested = readNested(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (nested instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Double) {
            nested = List.of(nested);
        }
        return ExpertLoads.toFloat32(doubles2(nested, file + " loads"));
    }

    private static EplbCase readCase(JsonParser p, int index, String source) throws IOException {
        String where = source + " case " + index;
        Object weight = null;
        Integer replicas = null;
        Integer groups = null;
        Integer nodes = null;
        Integer gpus = null;
        Object phy2log = null;
        Object logcnt = null;
        Object log2phy = null;
        Object gpuLoad = null;
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "weight" -> weight = readNested(p);
                case "num_replicas" -> replicas = readInt(p, where, field);
                case "num_groups" -> groups = readInt(p, where, field);
                case "num_nodes" -> nodes = readInt(p, where, field);
                case "num_gpus" -> gpus = readInt(p, where, field);
                case "phy2log" -> phy2log = readNested(p);
                case "logcnt" -> logcnt = readNested(p);
                case "log2phy" -> log2phy = readNested(p);
                case "gpu_load" -> gpuLoad = readNested(p);
                default -> p.skipChildren();
            }
        }
        require(weight, where, "weight");
        require(replicas, where, "num_replicas");
        require(groups, where, "num_groups");
        require(nodes, where, "num_nodes");
        require(gpus, where, "num_gpus");
        float[][] loads = ExpertLoads.toFloat32(doubles2(weight, where + " weight"));
        ClusterShape shape;
        try {
            shape = new ClusterShape(replicas, groups, nodes, gpus);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Optional<EplbCase.Expected> expected = Optional.empty();
        if (phy2log != null && logcnt != null && log2phy != null) {
            double[][] gpu = gpuLoad == null ? new double[0][] : doubles2(gpuLoad, where + " gpu_load");
            expected = Optional.of(new EplbCase.Expected(ints2(phy2log, where + " phy2log"),
                    ints2(logcnt, where + " logcnt"), ints3(log2phy, where + " log2phy"), gpu));
        }
        return new EplbCase(index, loads, shape, expected);
    }

    private static void require(Object value, String where, String field) {
        if (value == null) {
            throw new IllegalArgumentException(where + " has no field \"" + field + "\"");
        }
    }

    private static int readInt(JsonParser p, String where, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException(where + " " + field + " (" + p.getText() + ") must be an integer");
        }
        return p.getIntValue();
    }

    /** A number (as Double) or a List of nested values. */
    private static Object readNested(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            List<Object> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(readNested(p));
            }
            return list;
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING && isNonFinite(p.getText())) {
            return Double.valueOf(p.getText()); // NaN/Infinity spelled as strings; validation rejects them
        }
        throw new IllegalArgumentException("expected a number or an array, found " + t + " (" + p.getText() + ")");
    }

    private static boolean isNonFinite(String s) {
        return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
    }

    private static List<?> list(Object o, String what) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(what + " must be a JSON array");
        }
        return l;
    }

    private static double[][] doubles2(Object o, String what) {
        List<?> rows = list(o, what);
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            List<?> row = list(rows.get(i), what + " row " + i);
            out[i] = new double[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                if (!(row.get(j) instanceof Double d)) {
                    throw new IllegalArgumentException(what + "[" + i + "][" + j + "] must be a number");
                }
                out[i][j] = d;
            }
        }
        return out;
    }

    private static int[][] ints2(Object o, String what) {
        double[][] d = doubles2(o, what);
        int[][] out = new int[d.length][];
        for (int i = 0; i < d.length; i++) {
            out[i] = new int[d[i].length];
            for (int j = 0; j < d[i].length; j++) {
                out[i][j] = (int) d[i][j];
            }
        }
        return out;
    }

    private static int[][][] ints3(Object o, String what) {
        List<?> outer = list(o, what);
        int[][][] out = new int[outer.size()][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints2(outer.get(i), what + "[" + i + "]");
        }
        return out;
    }
}
