package io.parabench.analysis.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The huge-count traces of issue 11 item 6, written as a careless or hostile user's tool would:
 * one kernel per distinct device ({@code pid}), or millions of distinct kernel names spread over a
 * few devices. Each event is a Kineto kernel (about 100 bytes, as the files: 100 k pids in
 * 9.7 MB, 2 M names in 215 MB). Deterministic: the same sizes give the same bytes.
 *
 * <p>The timed regression tests use it at test size; at the sizes it is run by hand to
 * measure the acceptance figures (README, Limits):
 * <pre>
 * java -cp analysis/target/test-classes io.parabench.analysis.cli.HugeCountTraces pids 100000 /tmp/pids.json
 * java -cp analysis/target/test-classes io.parabench.analysis.cli.HugeCountTraces names 2000000 64 /tmp/names.json
 * </pre>
 */
final class HugeCountTraces {
    private HugeCountTraces() {
    }

    /** {@code devices} kernels of 5 µs, each on its own device (pid 0..devices-1), 1 µs apart. */
    static void distinctDevices(Path file, int devices) throws IOException {
        try (OutputStream out = open(file)) {
            for (int i = 0; i < devices; i++) {
                kernel(out, i, "gemm_bf16_128x128", i, i, 5);
            }
            close(out);
        }
    }

    /**
     * {@code names} kernels, each with its own name ({@code kernel_<i>}, every 8th a NCCL
     * communication kernel so both classes occur), dealt round-robin over {@code devices} devices.
     */
    static void distinctNames(Path file, int names, int devices) throws IOException {
        try (OutputStream out = open(file)) {
            for (int i = 0; i < names; i++) {
                String name = (i % 8 == 7 ? "ncclKernel_AllReduce_" : "kernel_") + i;
                kernel(out, i, name, i % devices, i / devices * 3L, 2);
            }
            close(out);
        }
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        out.write("{\"schemaVersion\":1,\"traceEvents\":[\n".getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    private static void kernel(OutputStream out, int index, String name, int pid, long tsUs, long durUs) throws IOException {
        int stream = name.startsWith("nccl") ? 20 : 7;
        String event = (index == 0 ? "" : ",\n") + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"" + name + "\",\"pid\":"
                + pid + ",\"tid\":" + stream + ",\"ts\":" + tsUs + ",\"dur\":" + durUs + ",\"args\":{\"device\":" + pid
                + ",\"stream\":" + stream + "}}";
        out.write(event.getBytes(StandardCharsets.US_ASCII));
    }

    private static void close(OutputStream out) throws IOException {
        out.write("\n]}\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code pids COUNT FILE} or {@code names COUNT DEVICES FILE}. */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("pids")) {
            distinctDevices(Path.of(args[2]), Integer.parseInt(args[1]));
        } else if (args.length == 4 && args[0].equals("names")) {
            distinctNames(Path.of(args[3]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else {
            System.err.println("usage: HugeCountTraces pids COUNT FILE | names COUNT DEVICES FILE");
            System.exit(2);
        }
    }
}
