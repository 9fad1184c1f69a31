package dev.parley.workflow;

import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import java.util.Set;

/**
 * A provider that only answers capability questions, for publish-time checks: whether it calls functions and which
 * kinds of hosted tool it runs. Publishing never asks a provider for a completion, so those calls fail loudly.
 */
record TestProvider(String name, boolean callsFunctions, Set<Class<? extends HostedTool>> hosted)
        implements ModelProvider {

    /** Like the embedded model: no function calls, no hosted tools. */
    static TestProvider nothing() {
        return new TestProvider("embedded", false, Set.of());
    }

    /** Like OpenAI's Responses API once it passes hosted tools through, and Parley's knowledge search too. */
    static TestProvider everything() {
        return new TestProvider("openai", true, Set.of(HostedTool.VectorStoreSearch.class,
                HostedTool.KnowledgeSearch.class, HostedTool.WebSearch.class));
    }

    @Override
    public boolean runs(HostedTool tool) {
        return hosted.contains(tool.getClass());
    }

    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        throw new UnsupportedOperationException("publish-time checks never ask for text");
    }

    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        throw new UnsupportedOperationException("publish-time checks never ask for JSON");
    }
}
