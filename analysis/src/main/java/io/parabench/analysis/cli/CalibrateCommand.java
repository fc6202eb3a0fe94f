package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.gpu.DeviceSpec;
import io.parabench.gpu.HostCalibration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code parabench calibrate}: measures this machine's GEMM rate, memory bandwidth and launch
 * overhead with the emulator's own kernels ({@link HostCalibration}) and prints the figures and
 * the {@code host (calibrated)} device spec built from them. Output varies from run to run and
 * from machine to machine by nature; simulations that must be reproducible use the presets.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Measure this host with the emulator's kernels (fp32 GEMM on 1 and all threads, streaming"
                + " add bandwidth, pool hand-off) and print the resulting 'host (calibrated)' device spec.",
                "Takes about 2 s; figures depend on this machine and its load, so keep presets for reproducible runs."})
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("parabench calibrate: measuring GEMM, memory bandwidth and launch overhead (about 2 s)...");
        err.flush();
        HostCalibration.Result result = HostCalibration.calibrate();
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.json() ? json(result) + System.lineSeparator() : text(result));
        out.flush();
        return 0;
    }

    /** One JSON document: the measured figures, then the spec under {@code spec}. */
    static String json(HostCalibration.Result result) {
        HostCalibration.Figures f = result.figures();
        DeviceSpec d = result.spec();
        ObjectNode root = JsonOutput.object();
        root.put("kernels", f.kernels());
        root.put("threads", f.threads());
        root.put("gemm_size", f.gemmSize());
        root.put("gemm_gflops_1_thread", f.gemmGflopsOneThread());
        root.put("gemm_gflops_all_threads", f.gemmGflopsAllThreads());
        root.put("gemm_scaling_efficiency", f.scalingEfficiency());
        root.put("stream_array_bytes", f.streamArrayBytes());
        root.put("stream_gb_per_s", f.streamGbPerSecond());
        root.put("launch_overhead_us", f.launchOverheadUs());
        root.put("elapsed_s", f.elapsedSeconds());
        ObjectNode s = root.putObject("spec");
        s.put("name", d.name());
        s.put("num_sms", d.numSms());
        s.put("fp32_flops_per_sm", d.fp32FlopsPerSm());
        s.put("bf16_flops_per_sm", d.bf16FlopsPerSm());
        s.put("fp8_flops_per_sm", d.fp8FlopsPerSm());
        s.put("memory_bytes", d.memoryBytes());
        s.put("hbm_gb_per_s", d.hbmBytesPerSecond() / 1e9);
        s.put("launch_overhead_ns", d.launchOverheadNs());
        return JsonOutput.write(root);
    }

    /** Aligned text: the measurements, then the spec. */
    static String text(HostCalibration.Result result) {
        HostCalibration.Figures f = result.figures();
        DeviceSpec d = result.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "host calibration: %s kernels, %d threads, %.1f s%n",
                f.kernels(), f.threads(), f.elapsedSeconds()));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f GFLOP/s%n",
                "GEMM fp32 " + f.gemmSize() + "³, 1 thread", f.gemmGflopsOneThread()));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f GFLOP/s (scaling %.2f)%n",
                "GEMM fp32 " + f.gemmSize() + "³, " + f.threads() + " threads", f.gemmGflopsAllThreads(),
                f.scalingEfficiency()));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f GB/s%n",
                "add, 3 × " + (f.streamArrayBytes() >> 20) + " MiB arrays", f.streamGbPerSecond()));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f µs%n", "launch (pool hand-off, median)",
                f.launchOverheadUs()));
        sb.append(String.format(Locale.ROOT, "device spec \"%s\"%n", d.name()));
        sb.append(String.format(Locale.ROOT, "  %-34s %9d%n", "SMs (one per host core)", d.numSms()));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f GFLOP/s%n", "FP32 per SM (BF16, FP8 the same)",
                d.fp32FlopsPerSm() / 1e9));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f GB/s%n", "memory bandwidth", d.hbmBytesPerSecond() / 1e9));
        sb.append(String.format(Locale.ROOT, "  %-34s %9.1f µs%n", "launch overhead", d.launchOverheadNs() / 1e3));
        return sb.toString();
    }
}
