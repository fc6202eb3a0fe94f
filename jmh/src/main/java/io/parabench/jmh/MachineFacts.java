package io.parabench.jmh;

import io.parabench.kernels.HostCaches;
import io.parabench.kernels.KernelProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine and JVM a run measured, for the report and the run files. {@code vector_bits} is
 * the Vector API width the kernels use in this JVM (0 for the scalar twin) and {@code vector} the
 * kernels' own account of it: lanes, register file, GEMM tile; {@code caches} the L2 and the
 * last-level cache, which a weight must outgrow to be read from memory. Forks that narrow the width
 * themselves ({@code GemmBenchmark.gemm256Bit}, {@code gemm128Bit}) say so in their names.
 */
final class MachineFacts {
    private MachineFacts() {
    }

    static Map<String, String> collect(Path root) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cpu", cpuModel());
        facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("memory", memory());
        facts.put("caches", "L2 " + (HostCaches.l2Bytes() >> 10) + " KiB per core, last level "
                + (HostCaches.lastLevelBytes() >> 20) + " MiB");
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        facts.put("java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        facts.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        facts.put("jmh", "1.37");
        facts.put("vector_bits", Integer.toString(KernelProvider.vectorBitSize()));
        facts.put("vector", KernelProvider.describe());
        String commit = commit(root);
        if (!commit.isEmpty()) {
            facts.put("commit", commit);
        }
        return facts;
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name", "unknown");
    }

    private static String memory() {
        String kb = firstValue(Path.of("/proc/meminfo"), "MemTotal", "");
        if (kb.endsWith(" kB")) {
            long gib = Long.parseLong(kb.substring(0, kb.length() - 3).trim()) / (1024 * 1024);
            return gib + " GiB";
        }
        return "unknown";
    }

    private static String firstValue(Path file, String key, String fallback) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
        return fallback;
    }

    private static String commit(Path root) {
        try {
            Process p = new ProcessBuilder(List.of("git", "-C", root.toString(), "rev-parse", "--short", "HEAD"))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
