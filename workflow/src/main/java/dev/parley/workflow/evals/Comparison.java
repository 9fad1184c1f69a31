package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two eval runs of the same dataset side by side, case by case: which cases got better (failed in the first,
 * pass in the second), which got worse, which stayed as they were. Works on the stored run documents, so runs of
 * any two versions (or drafts) compare, however long ago they ran.
 */
public final class Comparison {
    private Comparison() {}

    /**
     * {@return the comparison of {@code before} with {@code after}}, both eval run documents as
     * {@link EvalReport#toJson()} wrote them
     */
    public static ObjectNode of(JsonNode before, JsonNode after) {
        Map<String, JsonNode> a = byId(before);
        Map<String, JsonNode> b = byId(after);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("before", head(before));
        o.set("after", head(after));
        double change = after.path("summary").path("pass_rate").asDouble() - before.path("summary").path("pass_rate").asDouble();
        o.put("pass_rate_change", Math.round(change * 10_000) / 10_000.0);
        ArrayNode better = o.putArray("better");
        ArrayNode worse = o.putArray("worse");
        int samePassed = 0;
        int sameFailed = 0;
        ArrayNode onlyBefore = o.putArray("only_before");
        for (var e : a.entrySet()) {
            JsonNode then = e.getValue();
            JsonNode now = b.get(e.getKey());
            if (now == null) {
                onlyBefore.add(e.getKey());
                continue;
            }
            boolean was = then.path("passed").asBoolean();
            boolean is = now.path("passed").asBoolean();
            if (was == is) {
                if (is) samePassed++;
                else sameFailed++;
            } else {
                (is ? better : worse).add(change(e.getKey(), then, now));
            }
        }
        ArrayNode onlyAfter = o.putArray("only_after");
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(onlyAfter::add);
        o.put("unchanged_passed", samePassed).put("unchanged_failed", sameFailed);
        return o;
    }

    private static ObjectNode change(String id, JsonNode then, JsonNode now) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("id", id);
        c.set("input", now.path("input"));
        c.put("category_before", then.path("category").asText(null)).put("category_after", now.path("category").asText(null));
        c.set("failed_before", failed(then));
        c.set("failed_after", failed(now));
        c.put("run_before", then.path("run_id").asText(null)).put("run_after", now.path("run_id").asText(null));
        return c;
    }

    private static ArrayNode failed(JsonNode c) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode v : c.path("verdicts")) {
            if (!v.path("passed").asBoolean() && !v.path("model_graded").asBoolean()) out.add(v.path("detail").asText());
        }
        return out;
    }

    private static ObjectNode head(JsonNode run) {
        return JsonNodeFactory.instance.objectNode().put("eval_id", run.path("eval_id").asText())
                .put("workflow_id", run.path("workflow_id").asText()).put("version", run.path("version").asInt())
                .put("dataset", run.path("dataset").asText(null))
                .put("pass_rate", run.path("summary").path("pass_rate").asDouble());
    }

    private static Map<String, JsonNode> byId(JsonNode run) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode c : run.path("cases")) out.put(c.path("id").asText(), c);
        return out;
    }
}
