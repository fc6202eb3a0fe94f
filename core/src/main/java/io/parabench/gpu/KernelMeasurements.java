package io.parabench.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel times measured on a real GPU, in the schema of {@code gpu-kernels/h200-kernels.json}
 * (its README): {@code gemm[]}, {@code mem[]}, {@code launch}, {@code contention[]} and
 * {@code mlp[]}. Only the fields a fit or a prediction needs are read; {@code kernel_us} may be
 * absent from a row (it is then predicted but not scored). The file is a few hundred rows, so it
 * is read whole. Immutable.
 *
 * @param device name of the measured device ({@code device})
 * @param sms    its SMs ({@code sms}), or 0 when the file does not say
 * @param gemm   {@code gemm[]} rows in file order
 * @param mem    {@code mem[]} rows in file order
 * @param mlp    {@code mlp[]} rows in file order
 * @param launch the {@code launch} block, or null
 */
public record KernelMeasurements(String device, int sms, List<GemmRow> gemm, List<MemRow> mem, List<MlpRow> mlp,
                                 Launch launch) {

    /** A GEMM row; {@code memset} when the call's kernels include cuBLAS' workspace memset. */
    public record GemmRow(Precision precision, int m, int n, int k, Double kernelUs, boolean memset) {
        /** The shape as the clock takes it. */
        public GemmShape shape() {
            return GemmShape.of(m, n, k);
        }

        /** HBM bytes a GEMM must move at least: X and W at the input width, Y in the output type. */
        public long bytes() {
            int out = precision == Precision.FP32 || precision == Precision.TF32 ? 4 : 2;
            return (long) precision.inputBytes() * ((long) m * k + (long) n * k) + (long) out * m * n;
        }
    }

    /** A memory-bound kernel row: {@code bytes} read plus written over {@code elements} of {@code dtype}. */
    public record MemRow(MemoryOp op, String dtype, long elements, long bytes, Double kernelUs) {
    }

    /** An MLP-stage row (DeepSeek's DualPipe example stage). */
    public record MlpRow(Precision precision, int h, int tokens, Double forwardUs, Double backwardUs,
                         Double backwardInputUs) {
    }

    /** The {@code launch} block. */
    public record Launch(double tinyKernelUs, double eagerUsPerKernel, double graphUsPerKernel) {
    }

    /** Reads a measurement file. */
    public static KernelMeasurements read(Path file) {
        try {
            return of(new ObjectMapper().readTree(Files.newInputStream(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel measurements " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The measurements in a parsed document; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException naming the row and field when a required field is missing or wrong
     */
    public static KernelMeasurements of(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": must be a JSON object with gemm[] and mem[]");
        }
        List<GemmRow> gemm = new ArrayList<>();
        JsonNode rows = root.path("gemm");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            String at = source + ": gemm[" + i + "]";
            boolean memset = false;
            for (JsonNode name : r.path("kernel_names")) {
                memset |= name.asText().startsWith("Memset");
            }
            gemm.add(new GemmRow(Precision.of(text(r, "precision", at)), positiveInt(r, "m", at),
                    positiveInt(r, "n", at), positiveInt(r, "k", at), optional(r, "kernel_us", at), memset));
        }
        List<MemRow> mem = new ArrayList<>();
        rows = root.path("mem");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            String at = source + ": mem[" + i + "]";
            MemoryOp op;
            try {
                op = MemoryOp.of(text(r, "op", at));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
            mem.add(new MemRow(op, r.path("dtype").asText("fp32"), positiveLong(r, "elements", at),
                    positiveLong(r, "bytes", at), optional(r, "kernel_us", at)));
        }
        List<MlpRow> mlp = new ArrayList<>();
        rows = root.path("mlp");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            String at = source + ": mlp[" + i + "]";
            mlp.add(new MlpRow(Precision.of(text(r, "precision", at)), positiveInt(r, "h", at),
                    positiveInt(r, "tokens", at), optional(r, "F_kernel_us", at), optional(r, "B_kernel_us", at),
                    optional(r, "B_input_kernel_us", at)));
        }
        Launch launch = null;
        JsonNode l = root.path("launch");
        if (l.isObject()) {
            String at = source + ": launch";
            launch = new Launch(number(l, "tiny_kernel_device_us_median", at), number(l, "eager_us_per_kernel", at),
                    number(l, "graph_us_per_kernel", at));
        }
        return new KernelMeasurements(root.path("device").asText("unnamed device"), root.path("sms").asInt(0),
                List.copyOf(gemm), List.copyOf(mem), List.copyOf(mlp), launch);
    }

    private static String text(JsonNode r, String field, String at) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(at + "." + field + " (" + v + ") must be a string");
        }
        return v.asText();
    }

    private static int positiveInt(JsonNode r, String field, String at) {
        long v = positiveLong(r, field, at);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(at + "." + field + " (" + v + ") must be at most " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static long positiveLong(JsonNode r, String field, String at) {
        JsonNode v = r.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 1 || v.asDouble() != Math.rint(v.asDouble())) {
            throw new IllegalArgumentException(at + "." + field + " (" + v + ") must be a whole number >= 1");
        }
        return v.asLong();
    }

    private static double number(JsonNode r, String field, String at) {
        JsonNode v = r.get(field);
        if (v == null || !v.isNumber() || !(v.asDouble() >= 0)) {
            throw new IllegalArgumentException(at + "." + field + " (" + v + ") must be a number >= 0");
        }
        return v.asDouble();
    }

    private static Double optional(JsonNode r, String field, String at) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !(v.asDouble() > 0)) {
            throw new IllegalArgumentException(at + "." + field + " (" + v + ") must be a number > 0");
        }
        return v.asDouble();
    }
}
