package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.pipeline.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code parabench schedule}: prints a generated schedule's op order per rank. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Print the op order of a pipeline schedule, one line per rank.",
                "Tokens: F<d>:<mb> forward, B full backward, b input-only backward, W deferred weight"
                        + " gradient, F<d>:<mb>&B<d>:<mb> overlapped pair; <d> is the rank's local chunk."})
final class ScheduleCommand implements Callable<Integer> {
    @Mixin
    ScheduleOptions schedule;

    /**
     * The forms a schedule prints in: the shared text and json of {@link FormatOption}, plus
     * torch's CSV action format, which only a schedule has.
     */
    enum Format { TEXT, JSON, CSV }

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json ({\"kind\",\"ranks\",\"chunks\",\"ops\"}) or csv"
                    + " (torch.distributed.pipelining actions, one row per rank: 0F0,0I0,0W0,...)")
    Format format;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Schedule s = schedule.generate();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.JSON) {
            out.println(json(s));
        } else if (format == Format.CSV) {
            out.print(io.parabench.pipeline.ScheduleFile.toTorchCsv(s));
        } else {
            List<List<String>> tokens = s.tokens();
            for (int r = 0; r < tokens.size(); r++) {
                out.println("rank " + r + ": " + String.join(" ", tokens.get(r)));
            }
        }
        out.flush();
        return 0;
    }

    static String json(Schedule s) throws Exception {
        ObjectNode root = JsonOutput.object();
        root.put("kind", s.kind());
        root.put("ranks", s.ranks());
        root.put("chunks", s.chunks());
        ArrayNode ops = root.putArray("ops");
        for (List<String> rank : s.tokens()) {
            ArrayNode r = ops.addArray();
            rank.forEach(r::add);
        }
        return JsonOutput.writeCompact(root);
    }
}
