package dev.parley.model;

import java.util.List;
import java.util.Objects;

/**
 * A tool the provider runs itself, inside one request, rather than handing a {@link ToolCall} back to Parley.
 * A provider that cannot run one says so through {@link ModelProvider#runs(HostedTool)}; publishing a workflow
 * that needs it on such a provider is refused, so a request never carries a hosted tool its provider ignores.
 */
public sealed interface HostedTool {
    /**
     * OpenAI's file search over OpenAI vector stores, passed through as is.
     *
     * @param maxResults how many passages the provider may retrieve (1–50)
     */
    record VectorStoreSearch(List<String> vectorStoreIds, int maxResults) implements HostedTool {
        public VectorStoreSearch {
            vectorStoreIds = List.copyOf(vectorStoreIds);
        }
    }

    /**
     * Parley's own knowledge bases, searched by a provider that grounds its answers itself (the embedded model,
     * which cannot choose to call a tool). Providers that call functions get a {@code file_search} function instead,
     * which Parley runs.
     */
    record KnowledgeSearch(List<String> knowledgeBases, int maxResults) implements HostedTool {
        public KnowledgeSearch {
            knowledgeBases = List.copyOf(knowledgeBases);
        }
    }

    /** OpenAI's hosted web search. */
    record WebSearch() implements HostedTool {}

    /** {@return a short name for messages: what a workflow author writes in {@code tools[].type}} */
    static String describe(HostedTool tool) {
        Objects.requireNonNull(tool, "tool");
        return switch (tool) {
            case VectorStoreSearch v -> "file_search over an OpenAI vector store";
            case KnowledgeSearch k -> "file_search over knowledge bases";
            case WebSearch w -> "web_search";
        };
    }
}
