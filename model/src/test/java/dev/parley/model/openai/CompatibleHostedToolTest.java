package dev.parley.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.model.HostedTool;
import dev.parley.model.ModelException;
import dev.parley.model.TextRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chat Completions servers run no hosted tools: a request carrying one is refused, never answered without it. */
class CompatibleHostedToolTest {
    private final StandInOpenAi server = StandInOpenAi.start();
    private final CompatibleProvider provider = new CompatibleProvider(
            new OpenAiSettings(null, server.baseUrl(), "llama3.2", Duration.ofSeconds(5), 0));

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static TextRequest carrying(HostedTool tool) {
        return new TextRequest(null, null, List.of(), "What's new in Oslo?", null, List.of(), List.of(), List.of(tool));
    }

    @Test
    void runsNone() {
        assertThat(provider.runs(new HostedTool.WebSearch())).isFalse();
        assertThat(provider.runs(new HostedTool.VectorStoreSearch(List.of("vs_1"), 5))).isFalse();
        assertThat(provider.runs(new HostedTool.KnowledgeSearch(List.of("agency"), 5))).isFalse();
    }

    @Test
    void aWebSearchIsRefusedNamingTheToolAndTheProviderThatRunsIt() {
        server.then(StandInOpenAi.chatStream("An answer without searching."));

        assertThatThrownBy(() -> provider.streamText(carrying(new HostedTool.WebSearch()), d -> true))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.getMessage()).startsWith("The openai-compatible provider cannot run web_search")
                            .contains("only the openai provider (Responses API) runs it");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.userMessage()).isEqualTo("Sorry, this assistant is not set up to search the web.");
                });
        assertThat(server.requests()).as("refused before asking the server").isEmpty();
    }

    @Test
    void aVectorStoreSearchIsRefusedToo() {
        assertThatThrownBy(() -> provider.streamText(carrying(new HostedTool.VectorStoreSearch(List.of("vs_1"), 5)),
                d -> true)).isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.getMessage()).contains("cannot run file_search over an OpenAI vector store")
                            .contains("openai provider");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(server.requests()).isEmpty();
    }
}
