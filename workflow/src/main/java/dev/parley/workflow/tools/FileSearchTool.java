package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Source;
import dev.parley.model.embedded.KnowledgeBases;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * An agent's {@code file_search} over Parley's own knowledge bases, offered to a model that calls functions: the
 * model writes the query, Parley embeds it and answers with the best passages and where each came from. The
 * passages' documents become the reply's citations.
 */
public final class FileSearchTool implements Tool {
    public static final String NAME = "file_search";
    /** Passages are what the model pays for in tokens; a few good ones beat many weak ones. */
    public static final int DEFAULT_MAX_RESULTS = 5;
    private static final int MAX_QUERY_CHARS = 1_000;

    private final KnowledgeBases knowledge;
    private final List<String> bases;
    private final int maxResults;
    private final ObjectNode parameters;

    /** @param bases the knowledge bases searched, checked to exist when the workflow was published */
    public FileSearchTool(KnowledgeBases knowledge, List<String> bases, int maxResults) {
        this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
        this.bases = List.copyOf(bases);
        this.maxResults = maxResults < 1 ? DEFAULT_MAX_RESULTS : maxResults;
        var f = JsonNodeFactory.instance;
        parameters = f.objectNode().put("type", "object");
        parameters.putObject("properties").putObject("query").put("type", "string")
                .put("description", "What to look for, in a few words or a question.");
        parameters.putArray("required").add("query");
        parameters.put("additionalProperties", false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Search the knowledge base (" + String.join(", ", bases) + ") for passages that answer a question. "
                + "Use it before answering anything the documents may cover, and cite what you use.";
    }

    @Override
    public JsonNode parameters() {
        return parameters.deepCopy();
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        String query = arguments == null ? "" : arguments.path("query").asText("").strip();
        if (query.isEmpty()) {
            return new ToolResult.Failed("file_search needs a non-empty `query`: call it again with what to look for.",
                    "empty query: " + arguments);
        }
        if (query.length() > MAX_QUERY_CHARS) query = query.substring(0, MAX_QUERY_CHARS);
        List<KnowledgeBases.Hit> hits;
        try {
            hits = knowledge.search(bases, query, maxResults);
        } catch (RuntimeException e) {
            // A base removed since publishing, or an index that could not be read: the model can still answer.
            return new ToolResult.Failed("The knowledge base could not be searched just now; answer without it and say so.",
                    "search failed: " + e.getMessage());
        }
        return new ToolResult.Ok(json(hits).toString(), sources(hits));
    }

    /** {@return the hits as the model and the file_search node see them: text, source, score} */
    public static ArrayNode json(List<KnowledgeBases.Hit> hits) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (KnowledgeBases.Hit h : hits) {
            out.addObject().put("text", h.text()).put("source", source(h))
                    .put("score", Math.round(h.score() * 1000) / 1000.0);
        }
        return out;
    }

    /** {@return each document once, in the order of its best passage} */
    public static List<Source> sources(List<KnowledgeBases.Hit> hits) {
        var seen = new LinkedHashSet<String>();
        List<Source> out = new ArrayList<>();
        for (KnowledgeBases.Hit h : hits) {
            if (seen.add(source(h))) out.add(new Source(h.title(), source(h)));
        }
        return out;
    }

    private static String source(KnowledgeBases.Hit h) {
        return h.knowledgeBase() + "/" + h.location();
    }
}
