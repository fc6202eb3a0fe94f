package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.chart.ChartFiles;
import io.parabench.analysis.chart.ScheduleComparisonChart;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.Schedule;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code parabench compare}: every schedule kind (or the chosen ones) simulated with the same
 * ranks, micro-batches and costs, side by side — the table people choose a schedule from.
 *
 * <p>Costs are per stage of a one-stage-per-rank pipeline, i.e. per 1/P of the model. Schedules
 * that cut a rank's share into k stages (DualPipeV: k = 2, interleaved: k = v) run each stage
 * in 1/k of that time, and their activations are counted in the same 1/P units (one of their
 * stage activations is 1/k of one), so the rows compare the same model on the same ranks.
 * DualPipe keeps full 1/P stages (it holds two copies of them).
 * Kinds whose rules the size breaks (DualPipe with odd ranks, interleaved with micro-batches
 * not a multiple of ranks) are listed with the rule instead of failing the command.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Simulate several pipeline schedules with the same size and costs and compare makespan,"
                + " max bubble per rank, bubble rate, peak activations and parameters per rank."})
final class CompareCommand implements Callable<Integer> {
    @Mixin
    PipelineSizeOptions size;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = "schedules to compare (default: all: dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved, zbv)")
    List<String> kinds;

    @Mixin
    CostOptions cost;

    @Mixin
    FormatOption format;

    @Option(names = "--chart", paramLabel = "FILE", description = "also write a comparison chart (.svg or .png)")
    Path chart;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One compared schedule: its timeline, or why the size does not fit it. */
    private record Row(String kind, Timeline timeline, String unavailable) {
    }

    @Override
    public Integer call() throws Exception {
        ChartFiles.requireChartExtension("--chart", chart);
        if (size.ranks < 1 || size.chunks < 1) {
            throw new IllegalArgumentException("--ranks (" + size.ranks + ") and --chunks (" + size.chunks + ") must be >= 1");
        }
        CostModel costs = cost.costModel();
        List<ScheduleKind> chosen = new ArrayList<>();
        if (kinds == null) {
            chosen.addAll(List.of(ScheduleKind.values()));
        } else {
            for (String k : kinds) {
                if (!k.isBlank()) {
                    chosen.add(ScheduleKind.of(k.strip()));
                }
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("--kinds (" + String.join(",", kinds) + ") must name at least one"
                        + " schedule: dualpipe, dualpipev, 1f1b, zb1p, gpipe, interleaved, zbv");
            }
        }
        size.requireFits(chosen);
        List<Row> rows = new ArrayList<>();
        Map<String, Timeline> simulated = new LinkedHashMap<>();
        for (ScheduleKind kind : chosen) {
            try {
                Schedule schedule = kind.generate(size.ranks, size.chunks, size.virtualStages);
                Timeline t = Simulator.simulate(schedule, costs.scaled(1.0 / stagesPerShare(schedule)));
                rows.add(new Row(kind.cliName(), t, null));
                simulated.put(kind.cliName(), t);
            } catch (IllegalArgumentException e) {
                rows.add(new Row(kind.cliName(), null, e.getMessage()));
            }
        }
        if (chart != null && !simulated.isEmpty()) {
            ChartFiles.write(ScheduleComparisonChart.create(size.ranks + " ranks, " + size.chunks + " micro-batches", simulated),
                    chart, 900, 120 + 60 * simulated.size());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.json() ? json(rows, costs) : text(rows, costs));
        out.flush();
        return 0;
    }

    private String json(List<Row> rows, CostModel costs) throws Exception {
        ObjectNode root = JsonOutput.object();
        root.put("ranks", size.ranks);
        root.put("chunks", size.chunks);
        root.put("costs", costs.toString());
        root.put("units", "costs per 1/P of the model; activations and parameters per rank in 1/P-of-the-model units");
        ArrayNode schedules = root.putArray("schedules");
        for (Row row : rows) {
            ObjectNode s = schedules.addObject();
            s.put("kind", row.kind());
            if (row.timeline() == null) {
                s.put("error", row.unavailable());
                continue;
            }
            Timeline t = row.timeline();
            s.put("makespan", t.makespan());
            s.put("max_bubble", t.maxBubble());
            s.put("bubble_rate", t.bubbleRate());
            s.put("peak_activations", peakActivations(t));
            s.put("parameters", parameters(t));
        }
        return JsonOutput.write(root);
    }

    private String text(List<Row> rows, CostModel costs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d ranks, %d micro-batches, %s%n", size.ranks, size.chunks, costs));
        sb.append("costs per 1/P of the model; activations and parameters per rank in 1/P-of-the-model units")
                .append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-12s %10s %11s %12s %17s %11s%n", "schedule", "makespan", "max bubble",
                "bubble rate", "peak activations", "parameters"));
        for (Row row : rows) {
            if (row.timeline() == null) {
                sb.append(String.format(Locale.ROOT, "%-12s n/a: %s%n", row.kind(), row.unavailable()));
                continue;
            }
            Timeline t = row.timeline();
            sb.append(String.format(Locale.ROOT, "%-12s %10.4g %11.4g %12.4f %17.4g %11.4g%n", row.kind(), t.makespan(),
                    t.maxBubble(), t.bubbleRate(), peakActivations(t), parameters(t)));
        }
        return sb.toString().stripTrailing();
    }

    /** Parameters a rank holds in 1/P-of-the-model units (DualPipe: 2, its two copies). */
    private static double parameters(Timeline t) {
        return (double) t.parameterStages() / stagesPerShare(t.schedule());
    }

    /** Stages a rank's 1/P share of the model is cut into: stages of one flow ÷ ranks. */
    private static int stagesPerShare(Schedule schedule) {
        return schedule.layout().stages(0) / schedule.ranks();
    }

    /** The largest peak over the ranks, in 1/P-of-the-model activations: what memory must hold. */
    private static double peakActivations(Timeline t) {
        int peak = 0;
        for (int r = 0; r < t.ranks(); r++) {
            peak = Math.max(peak, t.peakActivations(r));
        }
        return (double) peak / stagesPerShare(t.schedule());
    }
}
