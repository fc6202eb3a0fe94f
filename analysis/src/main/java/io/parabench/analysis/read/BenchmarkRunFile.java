package io.parabench.analysis.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.output.AtomicFile;
import io.parabench.output.PendingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads JMH result files ({@code -rf json}) and the suite's run files, and writes run files.
 *
 * <p>A run file (baselines in {@code data/baselines/<profile>.json}, history in
 * {@code data/history/*.json}) wraps JMH's own JSON array unchanged:
 * <pre>{@code {"parabench_run": 1, "timestamp": "20261127-213000", "profile": "quick",
 *  "environment": {"cpu": "...", "cores": "2", ...}, "jmh": [ ...JMH -rf json array... ]}}</pre>
 * A bare JMH array is read too (profile and timestamp then come from the caller).
 */
public final class BenchmarkRunFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchmarkRunFile() {
    }

    /** Reads a run file, or a bare JMH result array with the given timestamp and profile. */
    public static BenchmarkRun read(Path file, String timestamp, String profile) {
        JsonNode root = tree(file);
        if (root.isArray()) {
            return new BenchmarkRun(timestamp, profile, Map.of(), results(root, file));
        }
        if (!root.isObject() || !root.has("jmh")) {
            throw new IllegalArgumentException("benchmark results (" + file
                    + ") must be a JMH result array or a parabench run object with a \"jmh\" array");
        }
        Map<String, String> environment = new TreeMap<>();
        root.path("environment").fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
        return new BenchmarkRun(root.path("timestamp").asText(timestamp), root.path("profile").asText(profile),
                environment, results(root.get("jmh"), file));
    }

    private static JsonNode tree(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("benchmark results (" + file + ") not found", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("benchmark results (" + file + ") are not valid JSON at byte "
                    + e.getLocation().getByteOffset() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("benchmark results (" + file + ") are empty");
        }
        return root;
    }

    /** Reads every run file of a history folder, oldest first (file names start with the timestamp). */
    public static List<BenchmarkRun> readHistory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
                    .map(f -> read(f, f.getFileName().toString(), "unknown")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Wraps a JMH result file into a run file, atomically. */
    public static void write(Path target, String timestamp, String profile, Map<String, String> environment,
                             Path jmhResults) {
        ObjectNode root = runNode(timestamp, profile, environment, jmhResults(jmhResults));
        AtomicFile.write(target, out -> JSON.writeValue(out, root));
    }

    /** The JMH result array of a JMH result file, or the {@code "jmh"} array of a run file, unchanged. */
    public static ArrayNode jmhResults(Path file) {
        JsonNode root = tree(file);
        JsonNode jmh = root.isObject() ? root.get("jmh") : root;
        if (jmh == null || !jmh.isArray()) {
            throw new IllegalArgumentException("benchmark results (" + file
                    + ") must be a JMH result array or a parabench run object with a \"jmh\" array");
        }
        return (ArrayNode) jmh;
    }

    /** A run file's content: when, which profile, on what machine, and JMH's array unchanged. */
    public static ObjectNode runNode(String timestamp, String profile, Map<String, String> environment, ArrayNode jmh) {
        ObjectNode root = JSON.createObjectNode();
        root.put("parabench_run", 1);
        root.put("timestamp", timestamp);
        root.put("profile", profile);
        ObjectNode env = root.putObject("environment");
        new TreeMap<>(environment).forEach(env::put);
        root.set("jmh", jmh);
        return root;
    }

    /**
     * A baseline's JMH entries updated with a run's: an entry of the run replaces the baseline's
     * entry with the same key (method and {@code @Param} values) in place, entries new in the
     * run are appended, and baseline entries the run lacks are kept.
     */
    public static ArrayNode merge(ArrayNode baseline, ArrayNode run) {
        Map<String, JsonNode> fromRun = new LinkedHashMap<>();
        for (JsonNode entry : run) {
            fromRun.put(key(entry), entry);
        }
        ArrayNode merged = JSON.createArrayNode();
        for (JsonNode entry : baseline) {
            JsonNode replacement = fromRun.remove(key(entry));
            merged.add(replacement != null ? replacement : entry);
        }
        fromRun.values().forEach(merged::add);
        return merged;
    }

    private static String key(JsonNode entry) {
        TreeMap<String, String> params = new TreeMap<>();
        entry.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        return BenchmarkResult.key(entry.path("benchmark").asText(), params);
    }

    /**
     * Writes a new history entry and replaces the baseline as one step: both files are written
     * to temporary siblings first; only when both are complete is the history entry moved into
     * place and then the baseline, and if the baseline cannot be replaced the history entry is
     * removed again. So a baseline never exists without its history entry, nor a history entry
     * for a baseline that was not recorded.
     *
     * @throws IllegalArgumentException when {@code history} already exists (history is append-only)
     */
    public static void writeBaselineAndHistory(Path baseline, JsonNode baselineRun, Path history, JsonNode historyRun) {
        if (Files.exists(history)) {
            throw new IllegalArgumentException("history entry (" + history + ") already exists: history is append-only");
        }
        try (PendingFile base = PendingFile.open(baseline); PendingFile entry = PendingFile.open(history)) {
            JSON.writeValue(new NonClosing(base.stream()), baselineRun);
            JSON.writeValue(new NonClosing(entry.stream()), historyRun);
            entry.commit();
            try {
                base.commit();
            } catch (UncheckedIOException e) {
                deleteQuietly(entry.target());
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + baseline + " and " + history + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure that led here is the one worth reporting
        }
    }

    /** Jackson closes the stream it wrote to; a pending file's stream is closed by its commit. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static List<BenchmarkResult> results(JsonNode array, Path file) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("benchmark results (" + file + "): \"jmh\" must be an array");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (JsonNode b : array) {
            if (!b.hasNonNull("benchmark") || !b.has("primaryMetric")) {
                throw new IllegalArgumentException("benchmark results (" + file
                        + "): every entry needs \"benchmark\" and \"primaryMetric\"");
            }
            TreeMap<String, String> params = new TreeMap<>();
            b.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            Map<String, MetricResult> secondary = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = b.path("secondaryMetrics").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                secondary.put(e.getKey(), metric(e.getKey(), e.getValue()));
            }
            results.add(new BenchmarkResult(b.get("benchmark").asText(), b.path("mode").asText(),
                    b.path("threads").asInt(1), params, metric("primary", b.get("primaryMetric")), secondary));
        }
        return results;
    }

    private static MetricResult metric(String name, JsonNode m) {
        double score = number(m.get("score"));
        double error = number(m.get("scoreError"));
        JsonNode ci = m.path("scoreConfidence");
        double low = ci.isArray() && ci.size() == 2 ? number(ci.get(0)) : score;
        double high = ci.isArray() && ci.size() == 2 ? number(ci.get(1)) : score;
        List<Double> raw = new ArrayList<>();
        for (JsonNode fork : m.path("rawData")) {
            for (JsonNode v : fork) {
                raw.add(number(v));
            }
        }
        return new MetricResult(name, score, error, low, high, m.path("scoreUnit").asText(""),
                raw.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** JMH writes {@code "NaN"} as a string where a number is undefined. */
    private static double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        return n.isNumber() ? n.asDouble() : parse(n.asText());
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

}
