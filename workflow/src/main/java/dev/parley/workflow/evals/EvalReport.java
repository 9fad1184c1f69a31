package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A finished eval run: every case with its verdicts, and the summary an operator reads first.
 *
 * @param version  the workflow version evaluated, 0 for a draft
 * @param provider the model provider the cases ran on (and the rubrics were graded by)
 */
public record EvalReport(String evalId, String workflowId, int version, String datasetName, Instant startedAt,
        long durationMicros, String provider, List<CaseResult> cases) {
    /** Replies longer than this are cut in the stored document; the trace keeps the whole run. */
    static final int MAX_REPLY_CHARS = 2000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public EvalReport {
        cases = List.copyOf(cases);
    }

    /** {@return the share of cases that passed every deterministic grader, 0 to 1} */
    public double passRate() {
        return cases.isEmpty() ? 0 : (double) cases.stream().filter(CaseResult::passed).count() / cases.size();
    }

    /** {@return the cases that failed a deterministic grader} */
    public List<CaseResult> failing() {
        return cases.stream().filter(c -> !c.passed()).toList();
    }

    /**
     * {@return the summary}: pass rate overall and per grader kind, model-graded verdicts apart, the confusion
     * table of expected against chosen categories, latency percentiles and tokens
     */
    public ObjectNode summary() {
        ObjectNode s = JSON.objectNode();
        long passed = cases.stream().filter(CaseResult::passed).count();
        s.put("cases", cases.size()).put("passed", passed).put("failed", cases.size() - passed)
                .put("pass_rate", round(passRate()))
                .put("errors", cases.stream().filter(c -> c.seen().error() != null).count());
        Map<String, int[]> rule = new LinkedHashMap<>();
        Map<String, int[]> model = new LinkedHashMap<>();
        for (CaseResult c : cases) {
            for (Verdict v : c.verdicts()) {
                int[] n = (v.modelGraded() ? model : rule).computeIfAbsent(v.kind(), k -> new int[2]);
                n[0]++;
                if (v.passed()) n[1]++;
            }
        }
        s.set("graders", rates(rule));
        ObjectNode m = rates(model);
        m.fieldNames().forEachRemaining(k -> ((ObjectNode) m.get(k)).put("provider", provider));
        s.set("model_graded", m);
        s.set("confusion", confusion());
        long[] micros = cases.stream().mapToLong(c -> c.seen().latencyMicros()).sorted().toArray();
        s.putObject("latency_ms").put("p50", ms(percentile(micros, 50))).put("p90", ms(percentile(micros, 90)))
                .put("p99", ms(percentile(micros, 99))).put("max", ms(micros.length == 0 ? 0 : micros[micros.length - 1]));
        s.putObject("tokens").put("input", cases.stream().mapToLong(c -> c.seen().inputTokens()).sum())
                .put("output", cases.stream().mapToLong(c -> c.seen().outputTokens()).sum());
        return s;
    }

    /** {@return the whole run as the store keeps it and the admin API returns it} */
    public ObjectNode toJson() {
        ObjectNode o = JSON.objectNode().put("eval_id", evalId).put("workflow_id", workflowId).put("version", version)
                .put("dataset", datasetName).put("started_at", startedAt.toString())
                .put("duration_ms", ms(durationMicros)).put("provider", provider);
        o.set("summary", summary());
        ArrayNode list = o.putArray("cases");
        for (CaseResult c : cases) list.add(caseJson(c));
        return o;
    }

    static ObjectNode caseJson(CaseResult c) {
        ObjectNode o = JSON.objectNode().put("id", c.evalCase().id()).put("line", c.evalCase().line())
                .put("passed", c.passed());
        ArrayNode input = o.putArray("input");
        c.evalCase().messages().forEach(input::add);
        o.set("expect", c.evalCase().expect());
        String reply = c.seen().reply();
        o.put("reply", reply.length() > MAX_REPLY_CHARS ? reply.substring(0, MAX_REPLY_CHARS) + "…" : reply);
        o.put("category", chosenCategory(c)).put("run_id", c.seen().runId())
                .put("latency_ms", ms(c.seen().latencyMicros())).put("error", c.seen().error());
        o.putObject("tokens").put("input", c.seen().inputTokens()).put("output", c.seen().outputTokens());
        ArrayNode route = o.putArray("route");
        c.seen().trace().path("nodes").forEach(n -> route.add(n.path("node_id").asText()));
        ArrayNode verdicts = o.putArray("verdicts");
        for (Verdict v : c.verdicts()) {
            verdicts.addObject().put("grader", v.kind()).put("passed", v.passed()).put("model_graded", v.modelGraded())
                    .put("detail", v.detail());
        }
        return o;
    }

    private static String chosenCategory(CaseResult c) {
        for (var n : c.seen().trace().path("nodes")) {
            if ("classifier".equals(n.path("type").asText())) return n.path("output").path("category").asText(null);
        }
        return null;
    }

    /** Rows: the category a case expected; columns: the one the classifier chose ({@code (none)} when it did not run). */
    private ObjectNode confusion() {
        Map<String, Map<String, Integer>> rows = new TreeMap<>();
        TreeSet<String> labels = new TreeSet<>();
        for (CaseResult c : cases) {
            String expected = c.evalCase().expectedCategory();
            if (expected == null) continue;
            String got = chosenCategory(c);
            String actual = got == null ? "(none)" : got;
            labels.add(expected);
            labels.add(actual);
            rows.computeIfAbsent(expected, k -> new TreeMap<>()).merge(actual, 1, Integer::sum);
        }
        ObjectNode o = JSON.objectNode();
        ArrayNode l = o.putArray("labels");
        labels.forEach(l::add);
        ObjectNode r = o.putObject("rows");
        rows.forEach((expected, counts) -> {
            ObjectNode row = r.putObject(expected);
            counts.forEach(row::put);
        });
        return o;
    }

    private static ObjectNode rates(Map<String, int[]> counts) {
        ObjectNode o = JSON.objectNode();
        counts.forEach((kind, n) -> o.putObject(kind).put("cases", n[0]).put("passed", n[1])
                .put("pass_rate", round(n[0] == 0 ? 0 : (double) n[1] / n[0])));
        return o;
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    private static double ms(long micros) {
        return Math.round(micros / 100.0) / 10.0;
    }

    private static double round(double rate) {
        return Math.round(rate * 10_000) / 10_000.0;
    }
}
