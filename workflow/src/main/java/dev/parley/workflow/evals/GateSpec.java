package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A workflow's eval gate, declared in its document:
 * {@code "evals": {"dataset": "default", "min_pass_rate": 0.85}}. Publishing a version whose eval on that
 * dataset passes fewer cases is refused unless the publish says {@code override}.
 */
public record GateSpec(String dataset, double minPassRate) {
    /**
     * {@return the gate the workflow document declares, or empty when it declares none}
     *
     * @throws IllegalArgumentException when {@code evals} is there but malformed, saying how to write it
     */
    public static Optional<GateSpec> of(JsonNode workflow) {
        JsonNode e = workflow == null ? null : workflow.get("evals");
        if (e == null || e.isNull()) return Optional.empty();
        String how = "write \"evals\": {\"dataset\": \"default\", \"min_pass_rate\": 0.85}";
        if (!e.isObject()) throw new IllegalArgumentException("\"evals\" must be an object; " + how);
        JsonNode d = e.get("dataset");
        JsonNode m = e.get("min_pass_rate");
        var fields = new java.util.ArrayList<String>();
        e.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(java.util.List.of("dataset", "min_pass_rate"));
        if (!fields.isEmpty()) throw new IllegalArgumentException("\"evals\" has unknown field(s) " + fields + "; " + how);
        String dataset = d == null ? Evals.DEFAULT_DATASET : d.asText("");
        if (d != null && (!d.isTextual() || dataset.isBlank())) {
            throw new IllegalArgumentException("\"evals.dataset\" must name one of the workflow's datasets; " + how);
        }
        if (m == null || !m.isNumber() || m.asDouble() < 0 || m.asDouble() > 1) {
            throw new IllegalArgumentException("\"evals.min_pass_rate\" must be a number from 0 to 1 (0.85 is 85% of "
                    + "the cases); " + how);
        }
        return Optional.of(new GateSpec(dataset, m.asDouble()));
    }
}
