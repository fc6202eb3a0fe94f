package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.chart.ChartFiles;
import io.parabench.analysis.chart.ScheduleGanttChart;
import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.Simulator;
import io.parabench.pipeline.Timeline;
import io.parabench.pipeline.TimelineTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code parabench simulate}: runs a schedule in virtual time and reports bubbles and memory. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a pipeline schedule in virtual time: makespan, per-rank busy time, bubble"
                + " (makespan - busy), peak activations (stage-micro-batch activations held) and bubble rate"
                + " (total bubble / (ranks x makespan)).",
                "Costs are in abstract time units; traces write one unit as one microsecond."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    ScheduleOptions schedule;

    @Mixin
    CostOptions cost;

    @Mixin
    FormatOption format;

    @Option(names = "--trace", paramLabel = "FILE", description = "also write the timeline as a Chrome trace (JSON)")
    Path trace;

    @Option(names = "--chart", paramLabel = "FILE", description = "also write a Gantt chart (.svg or .png)")
    Path chart;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChartFiles.requireChartExtension("--chart", chart);
        CostModel costs = cost.costModel();
        Timeline timeline = Simulator.simulate(schedule.generate(), costs);
        if (trace != null) {
            TimelineTrace.write(timeline, trace);
        }
        if (chart != null) {
            int width = Math.max(900, Math.min(2400, timeline.schedule().opCount() * 4));
            ChartFiles.write(ScheduleGanttChart.create(timeline), chart, width, 140 + 34 * timeline.ranks());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.json() ? json(timeline) : text(timeline));
        out.flush();
        return 0;
    }

    static String json(Timeline t) throws Exception {
        ObjectNode root = JsonOutput.object();
        root.put("kind", t.schedule().kind());
        root.put("chunks", t.schedule().chunks());
        root.put("makespan", t.makespan());
        root.put("max_bubble", t.maxBubble());
        root.put("bubble_rate", t.bubbleRate());
        root.put("parameter_stages", t.parameterStages());
        ArrayNode ranks = root.putArray("ranks");
        for (int r = 0; r < t.ranks(); r++) {
            ObjectNode rank = ranks.addObject();
            rank.put("rank", r);
            rank.put("busy", t.busy(r));
            rank.put("bubble", t.bubble(r));
            rank.put("peak_activations", t.peakActivations(r));
        }
        return JsonOutput.write(root);
    }

    static String text(Timeline t) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, %d ranks, %d micro-batches, %s%n", t.schedule().kind(), t.ranks(),
                t.schedule().chunks(), t.costs()));
        sb.append(String.format(Locale.ROOT, "makespan %s   max bubble %s   bubble rate %.4f   parameters per rank: %d stage(s)%n",
                num(t.makespan()), num(t.maxBubble()), t.bubbleRate(), t.parameterStages()));
        sb.append(String.format(Locale.ROOT, "%6s %12s %12s %18s%n", "rank", "busy", "bubble", "peak activations"));
        for (int r = 0; r < t.ranks(); r++) {
            sb.append(String.format(Locale.ROOT, "%6d %12s %12s %18d%n", r, num(t.busy(r)), num(t.bubble(r)),
                    t.peakActivations(r)));
        }
        return sb.toString().stripTrailing();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
