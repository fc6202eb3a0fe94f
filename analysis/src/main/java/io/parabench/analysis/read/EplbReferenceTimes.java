package io.parabench.analysis.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long DeepSeek's own {@code eplb.py} ({@code rebalance_experts}, PyTorch on CPU) took, from
 * the {@code seconds} recorded with each case of {@code eplb/reference-cases.json}: the
 * reference the benchmark report holds the Java balancer's time against.
 *
 * <p>Cases are matched by shape — layers × experts, replicas, groups, nodes, GPUs — because the
 * time of the reference depends on the shape, not on the particular loads. The file (7 MB, with
 * every case's loads) is read one case at a time; only the shapes and times are kept.
 */
public final class EplbReferenceTimes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EplbReferenceTimes() {
    }

    /** A balancing problem's shape. */
    public record Shape(int layers, int experts, int replicas, int groups, int nodes, int gpus) {
    }

    /**
     * The reference's seconds per shape (the first case of a shape when several share it).
     *
     * @throws IllegalArgumentException when the file is not a JSON array of cases
     */
    public static Map<Shape, Double> read(Path file) {
        Map<Shape, Double> seconds = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("EPLB reference cases (" + file + ") must be a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode c = JSON.readTree(parser);
                JsonNode weight = c.path("weight");
                if (!c.has("seconds") || !weight.isArray() || weight.isEmpty()) {
                    continue;
                }
                boolean layered = weight.get(0).isArray();
                Shape shape = new Shape(layered ? weight.size() : 1, layered ? weight.get(0).size() : weight.size(),
                        c.path("num_replicas").asInt(), c.path("num_groups").asInt(), c.path("num_nodes").asInt(),
                        c.path("num_gpus").asInt());
                seconds.putIfAbsent(shape, c.get("seconds").asDouble());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("EPLB reference cases (" + file + ") are not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return seconds;
    }
}
