package io.parabench.analysis.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parabench.analysis.metrics.CriticalPath;
import io.parabench.analysis.metrics.PipelineOp;
import io.parabench.analysis.metrics.Stragglers;

import java.util.Locale;

/**
 * The JSON of the multi-rank analyses beside {@code pipeline}'s bubbles: {@code stragglers} and
 * {@code critical_path}. Times in µs since the step window start.
 */
final class PipelineJson {
    private PipelineJson() {
    }

    static void putStragglers(ObjectNode pipeline, Stragglers s) {
        ObjectNode node = pipeline.putObject("stragglers");
        node.put("slowest_rank", s.slowestRank());
        node.put("behind_us", s.behindNs() / 1e3);
        ArrayNode ranks = node.putArray("ranks");
        for (Stragglers.RankLoad r : s.ranks()) {
            ObjectNode row = ranks.addObject();
            row.put("rank", r.rank());
            row.put("start_skew_us", r.startSkewNs() / 1e3);
            row.put("end_slack_us", r.endSlackNs() / 1e3);
            row.put("compute_us", r.computeNs() / 1e3);
            row.put("comm_wait_us", r.commWaitNs() / 1e3);
        }
    }

    static void putCriticalPath(ObjectNode pipeline, CriticalPath path, long windowStartNs) {
        ObjectNode node = pipeline.putObject("critical_path");
        node.put("ops_us", path.opsNs() / 1e3);
        ArrayNode ops = node.putArray("ops");
        for (PipelineOp op : path.ops()) {
            ObjectNode row = ops.addObject();
            row.put("rank", op.rank());
            row.put("name", op.name());
            row.put("category", op.category());
            row.put("label", op.label());
            row.put("start_us", (op.startNs() - windowStartNs) / 1e3);
            row.put("end_us", (op.endNs() - windowStartNs) / 1e3);
        }
        ArrayNode edges = node.putArray("edges");
        for (CriticalPath.Edge e : path.edges()) {
            ObjectNode row = edges.addObject();
            row.put("from_rank", e.fromRank());
            row.put("to_rank", e.toRank());
            row.put("send_start_us", (e.sendStartNs() - windowStartNs) / 1e3);
            row.put("done_us", (e.doneNs() - windowStartNs) / 1e3);
        }
    }

    static void appendText(StringBuilder sb, Stragglers s, CriticalPath path, long windowStartNs) {
        for (Stragglers.RankLoad r : s.ranks()) {
            sb.append(String.format(Locale.ROOT, "  %-20s start_skew_us %.3f, end_slack_us %.3f, compute_us %.3f,"
                    + " comm_wait_us %.3f%n", "straggle rank " + r.rank(), r.startSkewNs() / 1e3, r.endSlackNs() / 1e3,
                    r.computeNs() / 1e3, r.commWaitNs() / 1e3));
        }
        sb.append(String.format(Locale.ROOT, "  %-20s rank %d, %.3f us more computation than the others' mean%n",
                "slowest", s.slowestRank(), s.behindNs() / 1e3));
        sb.append(String.format(Locale.ROOT, "  %-20s %d ops (%.3f us of op time), %d point-to-point transfers%n",
                "critical path", path.ops().size(), path.opsNs() / 1e3, path.edges().size()));
        int e = 0;
        for (PipelineOp op : path.ops()) {
            while (e < path.edges().size() && path.edges().get(e).doneNs() <= op.startNs()) {
                CriticalPath.Edge edge = path.edges().get(e++);
                sb.append(String.format(Locale.ROOT, "    p2p rank %d -> rank %d at %.3f us%n", edge.fromRank(),
                        edge.toRank(), (edge.doneNs() - windowStartNs) / 1e3));
            }
            sb.append(String.format(Locale.ROOT, "    rank %d %-24s %12.3f .. %.3f us%n", op.rank(), op.name(),
                    (op.startNs() - windowStartNs) / 1e3, (op.endNs() - windowStartNs) / 1e3));
        }
    }
}
