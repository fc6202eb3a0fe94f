package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.gpu.CalibratedClock;
import io.parabench.gpu.ContentionRuns;
import io.parabench.gpu.DeviceFit;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.DeviceSpecFile;
import io.parabench.gpu.KernelCost;
import io.parabench.gpu.KernelMeasurements;
import io.parabench.gpu.MemoryOp;
import io.parabench.gpu.RooflineCostModel;
import io.parabench.output.AtomicFile;
import io.parabench.pipeline.runtime.StageTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code parabench device}: the emulated GPU's clock against kernels measured on a real GPU.
 * {@code fit} fits a device spec to a measurement file; {@code predict} adds the clock's
 * prediction to every row of one and scores it. Files follow the schema of
 * {@code gpu-kernels/h200-kernels.json} (its README).
 */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Fit the emulated GPU's clock to kernels measured on a real GPU, or predict such a file.",
        subcommands = {DeviceCommand.Fit.class, DeviceCommand.Predict.class})
final class DeviceCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: fit or predict");
    }

    static JsonNode readTree(Path file) {
        try {
            return new ObjectMapper().readTree(Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Predictions of one file's rows: the file's tree with predicted fields added, and the error summary. */
    static ObjectNode predict(JsonNode root, String source, DeviceSpec gpu) {
        KernelMeasurements m = KernelMeasurements.of(root, source);
        ObjectNode out = root.deepCopy();
        Map<String, List<Double>> errors = new TreeMap<>();
        ArrayNode gemm = (ArrayNode) out.withArray("gemm");
        for (int i = 0; i < m.gemm().size(); i++) {
            KernelMeasurements.GemmRow r = m.gemm().get(i);
            double us = kernelNs(gpu, KernelCost.gemm(r.shape(), r.precision(), r.bytes())) / 1e3;
            ((ObjectNode) gemm.get(i)).put("predicted_us", us);
            score(errors, "gemm " + r.precision().label(), us, r.kernelUs());
        }
        ArrayNode mem = (ArrayNode) out.withArray("mem");
        for (int i = 0; i < m.mem().size(); i++) {
            KernelMeasurements.MemRow r = m.mem().get(i);
            double us = kernelNs(gpu, KernelCost.memory(r.op(), r.elements(), 0, r.bytes())) / 1e3;
            ((ObjectNode) mem.get(i)).put("predicted_us", us);
            score(errors, "mem " + r.op().label(), us, r.kernelUs());
        }
        ArrayNode mlp = (ArrayNode) out.withArray("mlp");
        for (int i = 0; i < m.mlp().size(); i++) {
            KernelMeasurements.MlpRow r = m.mlp().get(i);
            // the DualPipe example stage: Linear(h, 4h), GELU, Linear(4h, h)
            StageTimes t = StageTimes.of(gpu, r.precision(), r.h(), 4 * r.h(), r.tokens());
            ObjectNode row = (ObjectNode) mlp.get(i);
            row.put("predicted_F_us", t.forwardNs() / 1e3);
            row.put("predicted_B_us", t.backwardNs() / 1e3);
            row.put("predicted_B_input_us", t.backwardInputNs() / 1e3);
            String group = "mlp " + r.precision().label() + " h=" + r.h();
            score(errors, group + " F", t.forwardNs() / 1e3, r.forwardUs());
            score(errors, group + " B", t.backwardNs() / 1e3, r.backwardUs());
            score(errors, group + " B_input", t.backwardInputNs() / 1e3, r.backwardInputUs());
        }
        JsonNode contention = out.path("contention");
        if (contention.isArray() && gpu.calibration() != null) {
            double[] copy = ContentionRuns.gemmBesideCopy(gpu);
            double[] two = ContentionRuns.twoGemmStreams(gpu);
            for (JsonNode row : contention) {
                ObjectNode o = (ObjectNode) row;
                if (row.has("copy_together_us")) {
                    o.put("predicted_gemm_together_us", copy[2]);
                    o.put("predicted_copy_together_us", copy[3]);
                    score(errors, "contention gemm+copy", copy[2], number(row, "gemm_together_us"));
                    score(errors, "contention gemm+copy", copy[3], number(row, "copy_together_us"));
                } else if (row.has("a_together_us")) {
                    o.put("predicted_a_together_us", two[1]);
                    o.put("predicted_b_together_us", two[2]);
                    score(errors, "contention gemm+gemm", two[1], number(row, "a_together_us"));
                    score(errors, "contention gemm+gemm", two[2], number(row, "b_together_us"));
                }
            }
        }
        ObjectNode summary = out.putObject("summary");
        for (Map.Entry<String, List<Double>> e : errors.entrySet()) {
            List<Double> v = e.getValue();
            Collections.sort(v);
            ObjectNode g = summary.putObject(e.getKey());
            g.put("rows", v.size());
            g.put("median_abs_error", percentile(v, 0.5));
            g.put("p90_abs_error", percentile(v, 0.9));
        }
        return out;
    }

    private static Double number(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    private static long kernelNs(DeviceSpec gpu, KernelCost cost) {
        return gpu.calibration() == null ? RooflineCostModel.kernelNs(gpu, cost, gpu.numSms())
                : CalibratedClock.kernelNs(gpu, cost, gpu.numSms());
    }

    private static void score(Map<String, List<Double>> errors, String group, double predictedUs, Double measuredUs) {
        if (measuredUs != null) {
            errors.computeIfAbsent(group, g -> new ArrayList<>()).add(Math.abs(predictedUs - measuredUs) / measuredUs);
        }
    }

    /** Nearest-rank percentile: the smallest value with at least fraction {@code p} of the values at or below it. */
    static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** The summary as an aligned table. */
    static String table(JsonNode summary) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %5s %12s %12s%n", "group", "rows",
                "median|err|", "p90|err|"));
        summary.fields().forEachRemaining(e -> sb.append(String.format(Locale.ROOT, "%-28s %5d %11.1f%% %11.1f%%%n",
                e.getKey(), e.getValue().get("rows").asInt(), 100 * e.getValue().get("median_abs_error").asDouble(),
                100 * e.getValue().get("p90_abs_error").asDouble())));
        return sb.toString().stripTrailing();
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Add the clock's prediction to every row of a kernel measurement file: predicted_us to gemm[]"
                    + " and mem[] rows, predicted_F_us, predicted_B_us, predicted_B_input_us to mlp[] rows, the two-stream"
                    + " runs to contention[] rows; and a summary of median and p90 |predicted - kernel_us| / kernel_us"
                    + " per group (gemm per precision, mem per op) where kernel_us is present.",
                    "--format json prints the file with the predictions; text prints the summary."})
    static final class Predict implements Callable<Integer> {
        @Option(names = "--device", defaultValue = "h200", paramLabel = "GPU|SPEC.json",
                description = "a preset (h200, h100, h800) or a device spec file (default: ${DEFAULT-VALUE})")
        String device;

        @Option(names = "--device-spec", paramLabel = "FILE", description = "a device spec file (same as --device FILE)")
        Path deviceSpecFile;

        @Option(names = "--clock", defaultValue = "calibrated", paramLabel = "CLOCK",
                description = "calibrated or roofline (the datasheet roofline, for comparison) (default: ${DEFAULT-VALUE})")
        String clock;

        @Option(names = "--kernels", required = true, paramLabel = "FILE", description = "kernel measurement file")
        Path kernels;

        @Mixin
        FormatOption format;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DeviceSpec gpu = deviceSpec(device, deviceSpecFile, clock);
            ObjectNode predicted = predict(readTree(kernels), kernels.toString(), gpu);
            PrintWriter out = spec.commandLine().getOut();
            out.println(format.json() ? JsonOutput.write(predicted)
                    : gpu.name() + " (" + clock + " clock) on " + kernels + System.lineSeparator()
                    + table(predicted.get("summary")));
            out.flush();
            return 0;
        }
    }

    static DeviceSpec deviceSpec(String device, Path file, String clock) {
        DeviceSpec spec;
        if (file != null) {
            spec = DeviceSpecFile.read(file);
        } else if (device.endsWith(".json") || Files.isRegularFile(Path.of(device))) {
            spec = DeviceSpecFile.read(Path.of(device));
        } else {
            spec = DeviceSpec.preset(device);
        }
        return switch (clock) {
            case "calibrated" -> {
                if (spec.calibration() == null) {
                    throw new IllegalArgumentException("--clock calibrated needs a calibrated device, but " + spec.name()
                            + " has none; use --clock roofline");
                }
                yield spec;
            }
            case "roofline" -> spec.withoutCalibration();
            default -> throw new IllegalArgumentException("--clock (" + clock + ") must be calibrated or roofline");
        };
    }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = {"Fit a device spec to a kernel measurement file (the schema of gpu-kernels/h200-kernels.json):"
                    + " GEMM efficiency per precision from shape, memory-bound floors and bandwidths per op, launch rates.",
                    "Writes the spec to --out and prints the fit's error table on the same file."})
    static final class Fit implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MEASUREMENTS.json", description = "kernel measurement file")
        Path measurements;

        @Option(names = "--out", required = true, paramLabel = "SPEC.json", description = "where to write the spec")
        Path out;

        @Option(names = "--base", defaultValue = "h200", paramLabel = "PRESET",
                description = "preset whose datasheet figures, links and unmeasured parameters the spec keeps"
                        + " (default: ${DEFAULT-VALUE})")
        String base;

        @Mixin
        FormatOption format;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode root = readTree(measurements);
            KernelMeasurements m = KernelMeasurements.of(root, measurements.toString());
            DeviceSpec fitted = DeviceFit.fit(m, DeviceSpec.preset(base));
            ObjectNode specJson = DeviceSpecFile.toJson(fitted, new ObjectMapper());
            AtomicFile.writeString(out, JsonOutput.write(specJson) + System.lineSeparator());
            ObjectNode summary = (ObjectNode) predict(root, measurements.toString(), fitted).get("summary");
            PrintWriter w = spec.commandLine().getOut();
            if (format.json()) {
                ObjectNode doc = JsonOutput.object();
                doc.set("spec", specJson);
                doc.set("summary", summary);
                w.println(JsonOutput.write(doc));
            } else {
                w.println("fitted " + fitted.name() + " (" + fitted.numSms() + " SMs) -> " + out);
                w.println(table(summary));
            }
            w.flush();
            return 0;
        }
    }
}
