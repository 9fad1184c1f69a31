package dev.parley.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelException;
import dev.parley.model.Source;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.ToolSpec;
import dev.parley.model.Usage;
import dev.parley.model.openai.StandInHostedTools.FileCitation;
import dev.parley.model.openai.StandInHostedTools.UrlCitation;
import dev.parley.model.openai.StandInToolCalls.Call;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OpenAI's hosted file and web search through the Responses API: what goes out, progress, citations as sources. */
class OpenAiHostedToolTest {
    private static final HostedTool.VectorStoreSearch STORES =
            new HostedTool.VectorStoreSearch(List.of("vs_policies", "vs_faq"), 8);
    private static final HostedTool.WebSearch WEB = new HostedTool.WebSearch();

    private final StandInOpenAi server = StandInOpenAi.start();
    private final OpenAiProvider provider = new OpenAiProvider(
            new OpenAiSettings("sk-test-123", server.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
    /** Text and searches as the sink heard them, in order. */
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<HostedTool> started = new CopyOnWriteArrayList<>();
    private final TextSink sink = new TextSink() {
        @Override
        public boolean accept(String delta) {
            heard.add("text: " + delta);
            return true;
        }

        @Override
        public void hostedToolStarted(HostedTool tool) {
            started.add(tool);
            heard.add("searching: " + HostedTool.describe(tool));
        }
    };

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static TextRequest asking(String input, List<ToolSpec> tools, HostedTool... hosted) {
        return new TextRequest(null, "Answer from the sources.", List.of(), input, null, tools, List.of(),
                List.of(hosted));
    }

    @Test
    void runsVectorStoreAndWebSearchButNotKnowledgeBases() {
        assertThat(provider.runs(STORES)).isTrue();
        assertThat(provider.runs(WEB)).isTrue();
        assertThat(provider.runs(new HostedTool.KnowledgeSearch(List.of("agency"), 3))).isFalse();
    }

    @Test
    void hostedToolsGoOutAsFileSearchAndWebSearchTools() throws Exception {
        server.then(StandInOpenAi.responsesStream("ok"));

        provider.streamText(asking("What is the refund policy?", List.of(), STORES, WEB), sink);

        JsonNode tools = server.request(0).json().path("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0)).isEqualTo(StandInOpenAi.JSON.readTree("""
                {"type":"file_search","vector_store_ids":["vs_policies","vs_faq"],"max_num_results":8}"""));
        assertThat(tools.get(1)).isEqualTo(StandInOpenAi.JSON.readTree("{\"type\":\"web_search\"}"));
    }

    @Test
    void severalVectorStoreSearchesGoOutAsOneFileSearchOverAllTheirStores() throws Exception {
        server.then(StandInOpenAi.responsesStream("ok"));

        provider.streamText(asking("Refunds?", List.of(), new HostedTool.VectorStoreSearch(List.of("vs_a", "vs_b"), 4),
                new HostedTool.VectorStoreSearch(List.of("vs_b", "vs_c"), 10)), sink);

        assertThat(server.request(0).json().path("tools")).singleElement().isEqualTo(StandInOpenAi.JSON.readTree("""
                {"type":"file_search","vector_store_ids":["vs_a","vs_b","vs_c"],"max_num_results":10}"""));
    }

    @Test
    void aFileSearchIsAnnouncedThenTheAnswerStreamsWithItsFilesAsSources() {
        server.then(StandInHostedTools.reply()
                .fileSearch("refund policy", "refund time limit")
                .say("Refunds are paid within 14 days. ", new FileCitation("file-Rf01", "refunds.pdf"))
                .say("Shipping back is free ", new FileCitation("file-Sh02", "shipping.md"),
                        new FileCitation("file-Rf01", "refunds.pdf"))
                .say("for orders over 50 euros.")
                .stream());

        Completion done = provider.streamText(asking("How do refunds work?", List.of(), STORES), sink);

        assertThat(heard).containsExactly(
                "searching: file_search over an OpenAI vector store",
                "text: Refunds are paid within 14 days. ",
                "text: Shipping back is free ",
                "text: for orders over 50 euros.");
        assertThat(started).singleElement().isSameAs(STORES);
        assertThat(done.text()).isEqualTo("Refunds are paid within 14 days. Shipping back is free for orders over 50 euros.");
        assertThat(done.sources()).as("each file once, in the order first cited").containsExactly(
                new Source("refunds.pdf", "refunds.pdf"), new Source("shipping.md", "shipping.md"));
        assertThat(done.toolCalls()).isEmpty();
        assertThat(done.usage()).isEqualTo(new Usage(11, 7));
    }

    @Test
    void aReplyTheListenerStopsKeepsTheSourcesCitedBeforeTheStop() {
        server.then(StandInHostedTools.reply()
                .fileSearch("refund policy")
                .say("Refunds are paid within 14 days. ", new FileCitation("file-Rf01", "refunds.pdf"))
                .say("Shipping back is free.", new FileCitation("file-Sh02", "shipping.md"))
                .stream());
        List<String> pieces = new CopyOnWriteArrayList<>();

        Completion done = provider.streamText(asking("How do refunds work?", List.of(), STORES), piece -> {
            pieces.add(piece);
            return pieces.size() < 2;
        });

        assertThat(done.text()).isEqualTo("Refunds are paid within 14 days. Shipping back is free.");
        assertThat(done.sources()).as("the second piece's citation had not arrived yet")
                .containsExactly(new Source("refunds.pdf", "refunds.pdf"));
    }

    @Test
    void citationsTheStreamDidNotAnnounceComeFromTheFinishedResponse() {
        server.then(StandInHostedTools.reply()
                .webSearch("oslo opera house")
                .say("It opens at 10:00.", new UrlCitation("https://operaen.no/en/visit", "Visit us"))
                .withoutAnnotationEvents()
                .stream());

        Completion done = provider.streamText(asking("When does the Oslo opera open?", List.of(), WEB), sink);

        assertThat(done.sources()).containsExactly(new Source("Visit us", "https://operaen.no/en/visit"));
    }

    @Test
    void aWebSearchGivesItsPagesAsSourcesWithTitleAndUrl() {
        server.then(StandInHostedTools.reply()
                .webSearch("oslo opera house opening hours")
                .say("The opera house opens at 10:00 ", new UrlCitation("https://operaen.no/en/visit", "Visit us"))
                .say("on weekdays.", new UrlCitation("https://example.org/oslo-guide", ""))
                .stream());

        Completion done = provider.streamText(asking("When does the Oslo opera open?", List.of(), WEB), sink);

        assertThat(heard).first().isEqualTo("searching: web_search");
        assertThat(started).singleElement().isSameAs(WEB);
        assertThat(done.text()).isEqualTo("The opera house opens at 10:00 on weekdays.");
        assertThat(done.sources()).as("a page without a title is named by its URL").containsExactly(
                new Source("Visit us", "https://operaen.no/en/visit"),
                new Source("https://example.org/oslo-guide", "https://example.org/oslo-guide"));
    }

    @Test
    void eachSearchIsAnnouncedOnceThoughItsItemAndItsProgressBothSayItStarted() {
        server.then(StandInHostedTools.reply()
                .webSearch("oslo weather today")
                .fileSearch("umbrella policy")
                .webSearch("oslo weather tomorrow")
                .say("Rain both days; umbrellas are lent at the desk.")
                .stream());

        provider.streamText(asking("Do I need an umbrella in Oslo?", List.of(), WEB, STORES), sink);

        assertThat(started).containsExactly(WEB, STORES, WEB);
    }

    @Test
    void aFunctionToolAndAHostedToolGoOutTogetherAndTheCallComesBackAfterTheSearch() throws Exception {
        List<ToolSpec> functions = List.of(new ToolSpec("get_weather", "The current weather in a city.",
                StandInOpenAi.JSON.readTree(OpenAiToolCallTest.WEATHER_SCHEMA)));
        server.then(StandInHostedTools.reply()
                        .webSearch("largest city in norway")
                        .call(new Call("call_Wx81", "get_weather", "{\"city\":", "\"Oslo\"}"))
                        .stream(),
                StandInHostedTools.reply()
                        .say("Oslo, the largest city, ", new UrlCitation("https://example.org/norway", "Norway"))
                        .say("has 4 degrees.")
                        .stream());
        TextRequest first = asking("Weather in Norway's largest city?", functions, WEB);

        Completion calling = provider.streamText(first, sink);

        JsonNode tools = server.request(0).json().path("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(tools.get(1)).isEqualTo(StandInOpenAi.JSON.readTree("{\"type\":\"web_search\"}"));
        assertThat(calling.toolCalls()).containsExactly(new ToolCall("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"));
        assertThat(started).containsExactly(WEB);

        Completion answered = provider.streamText(
                first.withExchange(new ToolExchange(calling.toolCalls().getFirst(), "{\"celsius\":4}")), sink);

        assertThat(server.request(1).json().path("tools")).as("still offered on the next round").hasSize(2);
        assertThat(answered.text()).isEqualTo("Oslo, the largest city, has 4 degrees.");
        assertThat(answered.sources()).containsExactly(new Source("Norway", "https://example.org/norway"));
    }

    @Test
    void withoutStreamingTheSearchesAreAnnouncedAndTheCitationsComeBackToo() {
        server.then(StandInOpenAi.error(400, OpenAiProviderFailureTest.VERIFY, "invalid_request_error", "stream",
                        "unsupported_value"),
                StandInHostedTools.reply()
                        .fileSearch("refund policy")
                        .say("Refunds are paid within 14 days.", new FileCitation("file-Rf01", "refunds.pdf"))
                        .json());

        Completion done = provider.streamText(asking("How do refunds work?", List.of(), STORES), sink);

        assertThat(heard).containsExactly("searching: file_search over an OpenAI vector store",
                "text: Refunds are paid within 14 days.");
        assertThat(done.sources()).containsExactly(new Source("refunds.pdf", "refunds.pdf"));
        assertThat(server.request(1).json().path("stream").asBoolean(false)).isFalse();
        assertThat(server.request(1).json().path("tools").get(0).path("type").asText()).isEqualTo("file_search");
    }

    @Test
    void whatTheSinkThrowsWhenASearchStartsReachesTheCallerUnchanged() {
        server.then(StandInHostedTools.reply().webSearch("anything").say("Found it.").stream());
        IllegalStateException gone = new IllegalStateException("the chat client went away");
        TextSink failing = new TextSink() {
            @Override
            public boolean accept(String delta) {
                return true;
            }

            @Override
            public void hostedToolStarted(HostedTool tool) {
                throw gone;
            }
        };

        assertThatThrownBy(() -> provider.streamText(asking("Search", List.of(), WEB), failing)).isSameAs(gone);
    }

    @Test
    void aKnowledgeBaseSearchIsRefusedBeforeAnythingIsSent() {
        HostedTool.KnowledgeSearch knowledge = new HostedTool.KnowledgeSearch(List.of("support"), 3);

        assertThatThrownBy(() -> provider.streamText(asking("Refunds?", List.of(), WEB, knowledge), sink))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.getMessage()).contains("The openai provider cannot run file_search over knowledge bases")
                            .contains("[support]").contains("function tool");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.userMessage()).isEqualTo("Sorry, this assistant is not set up to search its documents.");
                });
        assertThat(server.requests()).isEmpty();
    }
}
