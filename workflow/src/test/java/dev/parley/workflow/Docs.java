package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test documents: the seed workflow to break, and a tiny start → agent → end workflow. */
final class Docs {
    static final ObjectMapper JSON = new ObjectMapper();

    private Docs() {}

    static ObjectNode seed() {
        try (var in = Docs.class.getClassLoader().getResourceAsStream("workflows/seed-agency.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** start → assistant (text agent) → done (End {message: assistant.output_text}). */
    static ObjectNode simple() {
        return json("""
                {"id": "wf_simple", "name": "simple", "state": {"attempts": {"type": "integer", "default": 0}},
                 "nodes": [
                   {"id": "start", "type": "start"},
                   {"id": "assistant", "type": "agent", "model": "m", "instructions": "Help.",
                    "user_prompt": "{{ workflow.input_as_text }}"},
                   {"id": "done", "type": "end",
                    "schema": {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]},
                    "values": {"message": "assistant.output_text"}}
                 ],
                 "edges": [{"from": "start", "to": "assistant"}, {"from": "assistant", "to": "done"}]}""");
    }

    /**
     * start → search (file_search node) → crm (mcp node) → assistant (an agent with a tool of every kind) → done:
     * runs on {@link TestDeployment#permissive()}.
     */
    static ObjectNode tools() {
        return json("""
                {"id": "wf_tools", "name": "tools",
                 "nodes": [
                   {"id": "start", "type": "start"},
                   {"id": "search", "type": "file_search", "query": "Opening hours: {{ workflow.input_as_text }}",
                    "knowledge_bases": ["agency", "support"], "max_results": 3},
                   {"id": "crm", "type": "mcp", "server_label": "crm", "server_url": "https://mcp.example.com/mcp",
                    "headers": {"Authorization": {"env": "CRM_TOKEN"}}, "tool": "find_contact",
                    "arguments": {"user": "sys.user_id", "hits": "size(search.output_parsed.results)",
                                  "sources": "search.output_parsed.results.map(r, r.source)"}},
                   {"id": "assistant", "type": "agent", "model": "m",
                    "instructions": "Answer from: {{ search.output_text }}. Contact: {{ crm.output_text }}",
                    "tools": [
                      {"type": "function", "name": "get_order_status", "runs_on": "webhook",
                       "url": "https://api.example.com/orders",
                       "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}},
                      {"type": "function", "name": "pick_date", "parameters": {"type": "object"}, "runs_on": "client"},
                      {"type": "file_search", "knowledge_bases": ["agency"], "vector_store_id": "vs_123"},
                      {"type": "mcp", "server_label": "calendar", "server_url": "https://mcp.example.com/calendar",
                       "headers": {"Authorization": {"env": "CRM_TOKEN"}}},
                      {"type": "web_search"}]},
                   {"id": "done", "type": "end",
                    "schema": {"type": "object", "properties": {"message": {"type": "string"},
                               "source": {"type": "string"}, "score": {"type": "number"}}, "required": ["message"]},
                    "values": {"message": "assistant.output_text",
                               "source": "size(search.output_parsed.results) > 0 ? search.output_parsed.results[0].source : ''",
                               "score": "search.output_parsed.results.exists(r, r.score > 0.5) ? 1.0 : 0.0"}}
                 ],
                 "edges": [{"from": "start", "to": "search"}, {"from": "search", "to": "crm"},
                           {"from": "crm", "to": "assistant"}, {"from": "assistant", "to": "done"}]}""");
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode node(ObjectNode wf, String id) {
        for (JsonNode n : wf.get("nodes")) if (n.get("id").asText().equals(id)) return (ObjectNode) n;
        throw new IllegalArgumentException("no node " + id);
    }

    static ArrayNode nodes(ObjectNode wf) {
        return (ArrayNode) wf.get("nodes");
    }

    static ArrayNode edges(ObjectNode wf) {
        return (ArrayNode) wf.get("edges");
    }

    static ObjectNode edge(String from, String to, String branch) {
        ObjectNode e = JSON.createObjectNode().put("from", from).put("to", to);
        if (branch != null) e.put("branch", branch);
        return e;
    }

    static void removeEdges(ObjectNode wf, String from, String to) {
        ArrayNode edges = edges(wf);
        for (int i = edges.size() - 1; i >= 0; i--) {
            if (edges.get(i).get("from").asText().equals(from) && (to == null || edges.get(i).get("to").asText().equals(to))) {
                edges.remove(i);
            }
        }
    }

    static ValidationReport validate(ObjectNode wf) {
        return WorkflowValidator.validate(WorkflowParser.parse(wf));
    }

    static ValidationReport validate(ObjectNode wf, Deployment deployment) {
        return WorkflowValidator.validate(WorkflowParser.parse(wf), deployment);
    }

    /** Validates and returns the single error, failing with the whole report if there is not exactly one. */
    static Problem onlyError(ObjectNode wf) {
        ValidationReport report = validate(wf);
        assertThat(report.errors()).as(report.toString()).hasSize(1);
        return report.errors().get(0);
    }

    static Problem onlyWarning(ObjectNode wf) {
        ValidationReport report = validate(wf);
        assertThat(report.errors()).as(report.toString()).isEmpty();
        assertThat(report.warnings()).as(report.toString()).hasSize(1);
        return report.warnings().get(0);
    }
}
