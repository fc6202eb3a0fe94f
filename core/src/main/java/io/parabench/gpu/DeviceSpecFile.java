package io.parabench.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A {@link DeviceSpec} as a JSON document: what {@code parabench device fit --out} writes and
 * {@code --device-spec FILE} reads. Keys are snake_case with units; the {@code calibration}
 * object holds {@code gemm.<precision>}, {@code mem.<op>} (ops named as in measurement files),
 * {@code launch} and {@code links}. A spec without {@code calibration} is timed by the roofline.
 */
public final class DeviceSpecFile {
    private DeviceSpecFile() {
    }

    /** The spec as a JSON tree. */
    public static ObjectNode toJson(DeviceSpec spec, ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("name", spec.name());
        root.put("num_sms", spec.numSms());
        root.put("fp32_flops_per_sm", spec.fp32FlopsPerSm());
        root.put("bf16_flops_per_sm", spec.bf16FlopsPerSm());
        root.put("fp8_flops_per_sm", spec.fp8FlopsPerSm());
        root.put("memory_bytes", spec.memoryBytes());
        root.put("hbm_bytes_per_s", spec.hbmBytesPerSecond());
        root.put("nvlink_bytes_per_s_per_direction", spec.nvlinkBytesPerSecond());
        root.put("network_bytes_per_s_per_direction", spec.networkBytesPerSecond());
        root.put("launch_overhead_ns", spec.launchOverheadNs());
        Calibration c = spec.calibration();
        if (c == null) {
            return root;
        }
        ObjectNode cal = root.putObject("calibration");
        ObjectNode gemm = cal.putObject("gemm");
        for (Precision p : Precision.values()) {
            Calibration.GemmFit g = c.gemm().get(p);
            ObjectNode n = gemm.putObject(p.label());
            n.put("peak_flops", g.peakFlops());
            n.put("tile_overhead_ns", g.tileOverheadNs());
            n.put("floor_ns", g.floorNs());
            n.put("small_tile_efficiency", g.smallTileEfficiency());
            n.put("wave_tail", g.waveTail());
            n.put("throttle", g.throttle());
            n.put("throttle_ns", g.throttleNs());
            n.put("memset_above_flops", g.memsetAboveFlops());
            n.put("memset_ns", g.memsetNs());
        }
        ObjectNode mem = cal.putObject("mem");
        for (MemoryOp op : MemoryOp.values()) {
            Calibration.MemoryFit m = c.memory().get(op);
            ObjectNode n = mem.putObject(op.label());
            n.put("min_ns", m.minNs());
            n.put("elements_per_s", m.elementsPerSecond());
            n.put("bandwidth_fraction", m.bandwidthFraction());
        }
        cal.put("hbm_bytes_per_s", c.hbmBytesPerSecond());
        cal.put("l2_bytes", c.l2Bytes());
        cal.put("l2_bytes_per_s", c.l2BytesPerSecond());
        ObjectNode launch = cal.putObject("launch");
        launch.put("kernel_gap_ns", c.launch().kernelGapNs());
        launch.put("eager_launch_ns", c.launch().eagerLaunchNs());
        launch.put("graph_launch_ns", c.launch().graphLaunchNs());
        ObjectNode links = cal.putObject("links");
        links.put("p2p_latency_ns", c.links().latencyNs());
        links.put("link_efficiency", c.links().efficiency());
        links.put("copy_engines", c.links().copyEngines());
        return root;
    }

    /** Reads a spec file. */
    public static DeviceSpec read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read device spec " + file + ": " + e.getMessage(), e);
        }
        return of(root, file.toString());
    }

    /**
     * The spec a JSON tree describes; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException naming the field when one is missing or out of range
     */
    public static DeviceSpec of(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a device spec must be a JSON object");
        }
        Calibration calibration = null;
        JsonNode cal = root.get("calibration");
        if (cal != null && !cal.isNull()) {
            String at = source + ": calibration";
            Map<Precision, Calibration.GemmFit> gemm = new EnumMap<>(Precision.class);
            for (Precision p : Precision.values()) {
                JsonNode g = object(cal.path("gemm"), p.label(), at + ".gemm");
                String gat = at + ".gemm." + p.label();
                gemm.put(p, new Calibration.GemmFit(num(g, "peak_flops", gat), num(g, "tile_overhead_ns", gat),
                        num(g, "floor_ns", gat), num(g, "small_tile_efficiency", gat), num(g, "wave_tail", gat),
                        num(g, "throttle", gat), num(g, "throttle_ns", gat),
                        num(g, "memset_above_flops", gat),
                        num(g, "memset_ns", gat)));
            }
            Map<MemoryOp, Calibration.MemoryFit> memory = new EnumMap<>(MemoryOp.class);
            for (MemoryOp op : MemoryOp.values()) {
                JsonNode m = object(cal.path("mem"), op.label(), at + ".mem");
                String mat = at + ".mem." + op.label();
                memory.put(op, new Calibration.MemoryFit(num(m, "min_ns", mat), num(m, "elements_per_s", mat),
                        num(m, "bandwidth_fraction", mat)));
            }
            JsonNode l = object(cal, "launch", at);
            JsonNode k = object(cal, "links", at);
            try {
                calibration = new Calibration(gemm, memory, num(cal, "hbm_bytes_per_s", at),
                        (long) num(cal, "l2_bytes", at), num(cal, "l2_bytes_per_s", at),
                        new Calibration.LaunchFit(num(l, "kernel_gap_ns", at + ".launch"),
                                num(l, "eager_launch_ns", at + ".launch"), num(l, "graph_launch_ns", at + ".launch")),
                        new Calibration.LinkFit(num(k, "p2p_latency_ns", at + ".links"),
                                num(k, "link_efficiency", at + ".links"), (int) num(k, "copy_engines", at + ".links")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        JsonNode name = root.get("name");
        if (name == null || !name.isTextual()) {
            throw new IllegalArgumentException(source + ": name (" + name + ") must be a string");
        }
        String at = source + ":";
        int sms = (int) num(root, "num_sms", at);
        double fp32 = num(root, "fp32_flops_per_sm", at);
        double bf16 = num(root, "bf16_flops_per_sm", at);
        double fp8 = num(root, "fp8_flops_per_sm", at);
        long memory = (long) num(root, "memory_bytes", at);
        double hbm = num(root, "hbm_bytes_per_s", at);
        double nvlink = num(root, "nvlink_bytes_per_s_per_direction", at);
        double network = num(root, "network_bytes_per_s_per_direction", at);
        long launch = (long) num(root, "launch_overhead_ns", at);
        try {
            return new DeviceSpec(name.asText(), sms, fp32, bf16, fp8, memory, hbm, nvlink, network, launch, calibration);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode object(JsonNode parent, String field, String at) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(at + "." + field + " (" + v + ") must be an object");
        }
        return v;
    }

    private static double num(JsonNode parent, String field, String at) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(at + (at.endsWith(":") ? " " : ".") + field + " (" + v + ") must be a number");
        }
        return v.asDouble();
    }
}
