package io.parabench.analysis.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every figure of {@code ../shared/data/hta/*.json} (Holistic Trace Analysis v0.6.0's own output on
 * the shared traces) that the HTA analyses cover, held against ours with HTA's classifier and
 * HTA's whole-microsecond time base: they must be equal. The one exception is the mean and
 * standard deviation of queue lengths: HTA orders a launch call and a kernel start that round to
 * the same microsecond with pandas' unstable sort, so its intermediate queue values (not their
 * count, min, max or percentiles) can differ from ours by one at a few such ties.
 *
 * <p>With the exact time base the temporal figures must lie within HTA's rounding of them: at
 * most 2 µs per event (HTA moves every start up and every end down to a whole microsecond).
 */
class HtaParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AnalysisOptions hta(TimeBase time) {
        return new AnalysisOptions(KernelClassifier.hta(), null, 1000, time, AnalysisOptions.DEFAULT_KERNEL_WAIT_NS,
                AnalysisOptions.DEFAULT_RUNTIME_CUTOFF_NS, AnalysisOptions.DEFAULT_LAUNCH_DELAY_CUTOFF_NS);
    }

    /** Our metrics of each rank (every shared trace has one device per rank). */
    private static Map<Integer, DeviceMetrics> byRank(List<Trace> traces, TraceSummary summary) {
        Map<Integer, DeviceMetrics> out = new TreeMap<>();
        for (DeviceMetrics d : summary.devices()) {
            out.put(Math.max(0, d.rank()), d);
        }
        assertEquals(traces.size(), out.size(), "one device per rank");
        return out;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"train, profile-data/train.json", "1f1b, gpu-traces/1f1b", "torch_zbv, gpu-traces/torch_zbv"})
    void shouldEqualHtaOnEveryFigureWithHtaClassesAndTimes(String set, String path) throws IOException {
        JsonNode expected = JSON.readTree(SharedData.require("hta/" + set + ".json").toFile());
        List<Trace> traces = TraceReader.read(SharedData.require(path));
        AnalysisOptions options = hta(TimeBase.HTA);
        TraceSummary summary = TraceMetrics.analyze(path, traces, options);
        Map<Integer, DeviceMetrics> ranks = byRank(traces, summary);

        for (JsonNode row : expected.get("temporal_breakdown")) {
            Temporal t = ranks.get(row.get("rank").asInt()).temporal();
            String where = set + " rank " + row.get("rank");
            assertEquals(row.get("kernel_time(us)").asDouble(), t.kernelTimeNs() / 1e3, where);
            assertEquals(row.get("idle_time(us)").asDouble(), t.idleNs() / 1e3, where);
            assertEquals(row.get("compute_time(us)").asDouble(), t.computeNs() / 1e3, where);
            assertEquals(row.get("non_compute_time(us)").asDouble(), t.nonComputeNs() / 1e3, where);
            assertEquals(row.get("idle_time_pctg").asDouble(), round(100 * t.share(t.idleNs()), 2), where);
            assertEquals(row.get("compute_time_pctg").asDouble(), round(100 * t.share(t.computeNs()), 2), where);
            assertEquals(row.get("non_compute_time_pctg").asDouble(), round(100 * t.share(t.nonComputeNs()), 2), where);
        }

        for (JsonNode row : expected.get("comm_comp_overlap")) {
            double ratio = ranks.get(row.get("rank").asInt()).commOverlapRatio();
            JsonNode pctg = row.get("comp_comm_overlap_pctg");
            if (pctg.isNull()) {
                assertTrue(Double.isNaN(ratio), set + ": HTA divides by zero communication, so must we");
            } else {
                assertEquals(pctg.asDouble(), round(100 * ratio, 2), set + " rank " + row.get("rank"));
            }
        }

        Map<String, Long> mix = new HashMap<>();
        for (DeviceMetrics d : ranks.values()) {
            d.temporal().classMixNs().forEach((k, v) -> mix.merge(k, v, Long::sum));
        }
        long mixTotal = mix.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(expected.get("kernel_type_breakdown").size(), mix.size(), set + ": " + mix);
        for (JsonNode row : expected.get("kernel_type_breakdown")) {
            Long ns = mix.get(row.get("kernel_type").asText());
            assertNotNull(ns, set + ": " + row);
            assertEquals(row.get("sum").asLong() * 1000, ns, set + ": " + row);
            assertEquals(row.get("percentage").asDouble(), round(100.0 * ns / mixTotal, 1), set + ": " + row);
        }

        for (JsonNode row : expected.get("kernel_breakdown")) {
            DeviceMetrics d = ranks.get(row.get("rank").asInt());
            KernelStat k = d.breakdown().rows().stream().filter(s -> s.name().equals(row.get("name").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError(set + ": no row for " + row.get("name")));
            String where = set + " rank " + row.get("rank") + " " + k.name();
            assertEquals(row.get("kernel_type").asText(), k.kind().name(), where);
            assertEquals(row.get("sum (us)").asDouble(), k.totalNs() / 1e3, where);
            assertEquals(row.get("min (us)").asDouble(), k.minNs() / 1e3, where);
            assertEquals(row.get("max (us)").asDouble(), k.maxNs() / 1e3, where);
            assertEquals(row.get("mean (us)").asDouble(), k.meanNs() / 1e3, 1e-9, where);
            assertEquals(row.get("stddev").asDouble(), k.stdNs() / 1e3, 1e-6 * Math.max(1, k.stdNs() / 1e3), where);
        }

        for (JsonNode row : expected.get("idle_time_breakdown")) {
            DeviceMetrics d = ranks.get(row.get("rank").asInt());
            StreamIdle s = d.idleBreakdown().stream().filter(x -> x.stream() == row.get("stream").asInt())
                    .findFirst().orElseThrow();
            String category = row.get("idle_category").asText();
            long ns = category.equals("host_wait") ? s.hostWaitNs()
                    : category.equals("kernel_wait") ? s.kernelWaitNs() : s.otherNs();
            String where = set + " rank " + row.get("rank") + " stream " + s.stream() + " " + category;
            assertEquals(row.get("idle_time").asDouble(), ns / 1e3, where);
            assertEquals(row.get("idle_time_ratio").asDouble(), round(s.ratio(ns), 2), where);
        }

        for (JsonNode row : expected.get("queue_length_summary")) {
            DeviceMetrics d = ranks.get(row.get("('rank', '')").asInt());
            int stream = row.get("('stream', '')").asInt();
            Distribution q = d.queueLength().get(stream);
            String where = set + " rank " + row.get("('rank', '')") + " stream " + stream;
            assertNotNull(q, where);
            assertEquals(row.get("('queue_length', 'count')").asLong(), q.count(), where);
            assertEquals(row.get("('queue_length', 'min')").asDouble(), q.min(), where);
            assertEquals(row.get("('queue_length', 'max')").asDouble(), q.max(), where);
            assertEquals(row.get("('queue_length', '25%')").asDouble(), q.p25(), where);
            assertEquals(row.get("('queue_length', '50%')").asDouble(), q.p50(), where);
            assertEquals(row.get("('queue_length', '75%')").asDouble(), q.p75(), where);
            double mean = row.get("('queue_length', 'mean')").asDouble();
            double std = row.get("('queue_length', 'std')").asDouble();
            assertEquals(mean, q.mean(), 1e-4 * mean, where + " mean (ties at one microsecond: see the class comment)");
            assertEquals(std, q.std(), 1e-4 * std, where + " std");
        }

        TraceDevices[] prepared = new TraceDevices[traces.size()];
        for (int i = 0; i < traces.size(); i++) {
            prepared[i] = TraceDevices.of(traces.get(i), options);
        }
        expected.get("cuda_kernel_launch_stats").fields().forEachRemaining(entry -> {
            int rank = Integer.parseInt(entry.getKey());
            TraceDevices td = prepared[traces.size() == 1 ? 0 : rank];
            DeviceEvents d = td.device(td.devices()[0]);
            LaunchStats launches = LaunchStats.of(d, options.runtimeCutoffNs(), options.launchDelayCutoffNs());
            Map<Long, long[]> ours = new HashMap<>();
            for (int i = 0; i < launches.count(); i++) {
                ours.put(launches.correlation(i), new long[]{launches.cpuDurationNs(i), launches.gpuDurationNs(i),
                        launches.launchDelayNs(i)});
            }
            assertEquals(entry.getValue().size(), ours.size(), set + " rank " + rank + " launches");
            for (JsonNode row : entry.getValue()) {
                long[] x = ours.get(row.get("correlation").asLong());
                String where = set + " rank " + rank + " correlation " + row.get("correlation");
                assertNotNull(x, where);
                assertEquals(row.get("cpu_duration").asDouble(), x[0] / 1e3, where);
                assertEquals(row.get("gpu_duration").asDouble(), x[1] / 1e3, where);
                assertEquals(row.get("launch_delay").asDouble(), x[2] / 1e3, where);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"train, profile-data/train.json", "1f1b, gpu-traces/1f1b", "torch_zbv, gpu-traces/torch_zbv"})
    void shouldStayWithinHtaRoundingOnExactTimes(String set, String path) throws IOException {
        JsonNode expected = JSON.readTree(SharedData.require("hta/" + set + ".json").toFile());
        List<Trace> traces = TraceReader.read(SharedData.require(path));
        Map<Integer, DeviceMetrics> ranks = byRank(traces, TraceMetrics.analyze(path, traces, hta(TimeBase.EXACT)));
        for (JsonNode row : expected.get("temporal_breakdown")) {
            DeviceMetrics d = ranks.get(row.get("rank").asInt());
            Temporal t = d.temporal();
            long events = d.breakdown().rows().stream().mapToLong(KernelStat::count).sum();
            double bound = 2.0 * events;
            String where = set + " rank " + row.get("rank") + " (" + events + " events)";
            assertEquals(row.get("kernel_time(us)").asDouble(), t.kernelTimeNs() / 1e3, 2.0, where);
            assertEquals(row.get("idle_time(us)").asDouble(), t.idleNs() / 1e3, bound, where);
            assertEquals(row.get("compute_time(us)").asDouble(), t.computeNs() / 1e3, bound, where);
            assertEquals(row.get("non_compute_time(us)").asDouble(), t.nonComputeNs() / 1e3, bound, where);
        }
    }
}
