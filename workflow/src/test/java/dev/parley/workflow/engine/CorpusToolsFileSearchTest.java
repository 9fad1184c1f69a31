package dev.parley.workflow.engine;

import static dev.parley.workflow.engine.CorpusToolsHarness.create;
import static dev.parley.workflow.engine.CorpusToolsHarness.document;
import static dev.parley.workflow.engine.CorpusToolsHarness.lastUserInput;
import static dev.parley.workflow.engine.CorpusToolsHarness.messages;
import static dev.parley.workflow.engine.CorpusToolsHarness.path;
import static dev.parley.workflow.engine.CorpusToolsHarness.progress;
import static dev.parley.workflow.engine.CorpusToolsHarness.reply;
import static dev.parley.workflow.engine.CorpusToolsHarness.span;
import static dev.parley.workflow.engine.CorpusToolsHarness.streamed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.embedded.KnowledgeBase;
import dev.parley.model.openai.StandInOpenAi;
import dev.parley.protocol.ChatKitJson;
import dev.parley.server.ChatKitServer;
import dev.parley.workflow.tools.LoopbackServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Agent Builder corpus cases with File search nodes, as Parley documents ({@code corpus-tools/}), run end to
 * end on the OpenAI provider against the stand-in, the real dispatcher, engine and SQLite file.
 *
 * <p>Translation: Agent Builder's File search node searches an OpenAI vector store ({@code vector_store_id}); a
 * Parley {@code file_search} node searches the server's knowledge bases by id, in Parley, without a model. The
 * cases' stores ("123", or none at all) become four small bases written below, of a kitchenware shop:
 * {@code manuals}, {@code policies}, {@code stores} and {@code care}. So the stand-in must receive no request for the
 * searches themselves; only the agents of {@code agent_filesearch_filesearch_agent} reach it. Agent Builder's
 * results are {@code {id, filename, score}} per file; Parley's are {@code {text, source, score}} per passage.
 * Several cases end at the search without an End; Parley needs one, with a message for the chat.
 */
class CorpusToolsFileSearchTest {
    @TempDir Path dir;
    CorpusToolsHarness h;

    @BeforeEach
    void start() throws IOException {
        Path root = dir.resolve("knowledge");
        write(root, "manuals/blue-harbour-kettle.md", """
                # Blue Harbour kettle

                The Blue Harbour is a 1.7 litre stainless steel kettle with a blue enamel handle.

                ## Warranty

                The "Blue Harbour" kettle has a two-year warranty from the day you bought it. It covers the heating
                element and the thermostat; damage from limescale is not covered.

                ## Descaling

                Descale it every four weeks where the water is hard: boil half a litre of water with two spoons of
                citric acid, leave it for an hour, then rinse it twice.
                """);
        write(root, "manuals/slate-toaster.md", """
                # Slate toaster

                ## Browning levels

                The dial has seven browning levels; level three suits most sliced bread.

                ## Crumb tray

                Slide the crumb tray out at the back and empty it once a week.
                """);
        write(root, "policies/returns.md", """
                # Returns

                You may return any product within 30 days of purchase for a full refund, unused and in its box.
                """);
        write(root, "policies/warranty-claims.md", """
                # Warranty claims

                To claim under a product's warranty, bring the product and its receipt to either store, or post it
                with the prepaid label from our website. We repair or replace it within ten working days.
                """);
        write(root, "stores/opening-hours.md", """
                # Opening hours

                Both stores open Monday to Saturday from 9:00 to 18:00, and on Sunday from 11:00 to 16:00.

                ## Holiday closures

                The stores are closed on 25 and 26 December and on 1 January. On 24 and 31 December they close at 14:00.
                """);
        write(root, "stores/harbour-street.md", """
                # Harbour Street store

                ## Finding us

                The store is at 12 Harbour Street, next to the ferry terminal.

                ## Parking

                Park in the ferry car park; we refund two hours of parking with any purchase.

                ## Cookery classes

                Every Thursday evening a chef teaches a class of eight in the demonstration kitchen.
                """);
        write(root, "stores/riverside.md", """
                # Riverside store

                ## Finding us

                The Riverside store is on the first floor of the Riverside shopping centre.

                ## Step-free access

                There is a lift from the car park, and the aisles are wide enough for wheelchairs.
                """);
        write(root, "care/stainless-steel.md", """
                # Caring for stainless steel

                Wipe stainless steel with warm soapy water and dry it at once, so no water marks are left. Never use
                steel wool.
                """);
        write(root, "care/cast-iron.md", """
                # Caring for cast iron

                Rinse cast iron pans with hot water, dry them on the hob and rub in a drop of oil before storing them.
                """);
        h = new CorpusToolsHarness(dir, root, exchange -> LoopbackServer.answer(exchange, 404, "no webhooks here"));
    }

    static void write(Path root, String file, String text) throws IOException {
        Path to = root.resolve(file);
        Files.createDirectories(to.getParent());
        Files.writeString(to, text);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Publishes a document (it must validate, without warnings) and {@return a server answering with it} */
    ChatKitServer publish(String name, String workflowId) {
        assertThat(h.workflows.publish(document(name)).warnings()).isEmpty();
        return h.server(workflowId);
    }

    static List<String> sources(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.forEach(r -> out.add(r.path("source").asText()));
        return out;
    }

    static void bestFirst(JsonNode results) {
        for (int i = 1; i < results.size(); i++) {
            assertThat(results.get(i).path("score").asDouble()).isLessThanOrEqualTo(results.get(i - 1).path("score").asDouble());
        }
    }

    int passages(String base) {
        return h.knowledge.documents(base).stream().mapToInt(KnowledgeBase.Document::passages).sum();
    }

    @Test
    void aConfiguredSearchUsesItsOwnQueryAndItsMaxResults() {
        ChatKitServer server = publish("tool_nodes__file_search__configured_file_search", "wf_corpus_fs_configured");

        var events = create(server, "Can I come in on Boxing Day?");

        JsonNode trace = h.trace("wf_corpus_fs_configured");
        assertThat(path(trace)).containsExactly("start", "search_hours", "done");
        JsonNode search = span(trace, "search_hours");
        // The configured query, not the user's words.
        assertThat(search.path("inputs").path("query").asText()).isEqualTo("opening hours and holiday closures");
        JsonNode results = search.path("output").path("results");
        // max_results 10 is above the base's passage count, and above the default of 5: every passage comes back.
        assertThat(passages("stores")).isBetween(6, 10);
        assertThat(results).hasSize(passages("stores"));
        assertThat(sources(results)).allMatch(s -> s.startsWith("stores/"));
        assertThat(results.get(0).path("source").asText()).isEqualTo("stores/opening-hours.md");
        bestFirst(results);

        String best = results.get(0).path("text").asText();
        assertThat(reply(events).text()).isEqualTo("From stores/opening-hours.md: " + best);
        assertThat(span(trace, "done").path("output").path("results")).isEqualTo(results);
        assertThat(progress(events)).contains("Looking up opening hours");
        // Searched in Parley: nothing went to OpenAI.
        assertThat(h.openai.requests()).isEmpty();
    }

    @Test
    void quotesInTheQueryTemplateAndInTheUsersMessageReachTheSearchAsWritten() {
        ChatKitServer server = publish("tool_nodes__file_search__file_search_with_quotes", "wf_corpus_fs_quotes");

        var warranty = create(server, "how long is the warranty?");
        JsonNode search = span(h.trace("wf_corpus_fs_quotes"), "search_manual");
        assertThat(search.path("inputs").path("query").asText()).isEqualTo("\"Blue Harbour\" kettle: how long is the warranty?");
        JsonNode results = search.path("output").path("results");
        assertThat(results.get(0).path("source").asText()).isEqualTo("manuals/blue-harbour-kettle.md");
        assertThat(results.get(0).path("text").asText()).contains("two-year warranty");
        assertThat(sources(results)).allMatch(s -> s.startsWith("manuals/"));
        assertThat(reply(warranty).text()).startsWith("The manual (manuals/blue-harbour-kettle.md) says: ")
                .contains("\"Blue Harbour\" kettle has a two-year warranty");

        var descale = create(server, "what does \"descale\" mean, and how often?");
        search = span(h.trace("wf_corpus_fs_quotes"), "search_manual");
        assertThat(search.path("inputs").path("query").asText())
                .isEqualTo("\"Blue Harbour\" kettle: what does \"descale\" mean, and how often?");
        assertThat(search.path("output").path("results").get(0).path("text").asText()).contains("citric acid");
        assertThat(reply(descale).text()).contains("every four weeks");
        assertThat(h.openai.requests()).isEmpty();
    }

    @Test
    void fourSearchesInARowEachSearchTheirOwnBaseAndTheEndReturnsAllTheirPassages() {
        ChatKitServer server = publish("tool_nodes__file_search__multiple_file_search", "wf_corpus_fs_multiple");

        var events = create(server, "How do I keep my kettle clean?");

        JsonNode trace = h.trace("wf_corpus_fs_multiple");
        List<String> searches = List.of("search_manuals", "search_policies", "search_stores", "search_care");
        List<String> bases = List.of("manuals", "policies", "stores", "care");
        assertThat(path(trace)).containsExactly("start", "search_manuals", "search_policies", "search_stores", "search_care", "done");
        List<JsonNode> all = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
            JsonNode search = span(trace, searches.get(i));
            assertThat(search.path("type").asText()).isEqualTo("file_search");
            // No query in the document: each searches for the user's message.
            assertThat(search.path("inputs").path("query").asText()).isEqualTo("How do I keep my kettle clean?");
            JsonNode results = search.path("output").path("results");
            String base = bases.get(i);
            assertThat(results).hasSize(passages(base));
            assertThat(sources(results)).allMatch(s -> s.startsWith(base + "/"));
            bestFirst(results);
            results.forEach(all::add);
        }
        assertThat(span(trace, "search_manuals").path("output").path("results").get(0).path("source").asText())
                .isEqualTo("manuals/blue-harbour-kettle.md");
        assertThat(span(trace, "search_care").path("output").path("results").get(0).path("source").asText())
                .isEqualTo("care/stainless-steel.md");

        JsonNode end = span(trace, "done").path("output");
        assertThat(end.path("results")).containsExactlyElementsOf(all);
        assertThat(reply(events).text()).isEqualTo("Found " + all.size()
                + " passages in the manuals, policies, store pages and care guides.");
        assertThat(progress(events)).containsSubsequence("Searching the manuals", "Searching the policies",
                "Searching the store pages", "Searching the care guides");
        assertThat(h.openai.requests()).isEmpty();
    }

    @Test
    void theSearchInTheBranchRunsWhenTheStateChoosesACatalogueAndIsSkippedOtherwise() {
        String name = "logic_nodes__if_else__if_else_with_filesearch_in_branch";
        ChatKitServer server = publish(name, "wf_corpus_fs_in_branch");

        var searched = create(server, "How many browning levels does the toaster have?");
        JsonNode trace = h.trace("wf_corpus_fs_in_branch");
        assertThat(path(trace)).containsExactly("start", "catalogue_chosen", "search_catalogue", "results_end");
        assertThat(span(trace, "catalogue_chosen").path("branch").asText()).isEqualTo("chosen");
        JsonNode results = span(trace, "search_catalogue").path("output").path("results");
        assertThat(results.get(0).path("source").asText()).isEqualTo("manuals/slate-toaster.md");
        assertThat(results.get(0).path("text").asText()).contains("seven browning levels");
        assertThat(reply(searched).text()).isEqualTo("Best match in the spring-2026 catalogue: manuals/slate-toaster.md");
        assertThat(progress(searched)).contains("Searching the catalogue");

        // The same workflow on a deployment where no catalogue is chosen: the fallback, and no search.
        JsonNode doc = ChatKitJson.readStorage(document(name), JsonNode.class);
        ((ObjectNode) doc).put("id", "wf_corpus_fs_in_branch_off");
        ((ObjectNode) doc.path("state").path("catalogue")).put("default", "");
        h.workflows.publish(doc.toString());
        var skipped = create(h.server("wf_corpus_fs_in_branch_off"), "How many browning levels does the toaster have?");
        JsonNode off = h.trace("wf_corpus_fs_in_branch_off");
        assertThat(path(off)).containsExactly("start", "catalogue_chosen", "no_search_end");
        assertThat(span(off, "catalogue_chosen").path("branch").asText()).isEqualTo("else");
        assertThat(reply(skipped).text())
                .isEqualTo("No catalogue is chosen, so nothing was searched for: How many browning levels does the toaster have?");
        assertThat(progress(skipped)).doesNotContain("Searching the catalogue");
        assertThat(h.openai.requests()).isEmpty();
    }

    @Test
    void anAgentWritesTheQueryTwoSearchesRunOnItAndTheSecondAgentAnswersFromTheirPassages() {
        ChatKitServer server = publish("tool_nodes__file_search__agent_filesearch_filesearch_agent", "wf_corpus_agent_fs_fs_agent");
        h.openai.then(StandInOpenAi.responsesStream("Blue Harbour kettle ", "warranty claim"),
                StandInOpenAi.responsesStream("The Blue Harbour kettle has a two-year warranty (blue-harbour-kettle.md). ",
                        "Bring it and the receipt to either store (warranty-claims.md)."));
        String question = "My Blue Harbour kettle stopped heating after a year. Can I get it fixed for free?";

        var events = create(server, question);

        var requests = h.openai.requests();
        assertThat(requests).hasSize(2);
        JsonNode rewrite = requests.get(0).json();
        assertThat(rewrite.path("instructions").asText()).startsWith("Rewrite the customer's message as a search query");
        assertThat(lastUserInput(rewrite)).isEqualTo(question);
        assertThat(rewrite.path("reasoning").path("effort").asText()).isEqualTo("low");

        JsonNode trace = h.trace("wf_corpus_agent_fs_fs_agent");
        assertThat(path(trace)).containsExactly("start", "query_writer", "search_manuals", "search_policies", "answer", "done");
        JsonNode manuals = span(trace, "search_manuals");
        JsonNode policies = span(trace, "search_policies");
        assertThat(manuals.path("inputs").path("query").asText()).isEqualTo("Blue Harbour kettle warranty claim");
        assertThat(policies.path("inputs").path("query").asText()).isEqualTo("Blue Harbour kettle warranty claim");
        assertThat(manuals.path("output").path("results").get(0).path("source").asText()).isEqualTo("manuals/blue-harbour-kettle.md");
        assertThat(sources(manuals.path("output").path("results"))).allMatch(s -> s.startsWith("manuals/"));
        assertThat(policies.path("output").path("results").get(0).path("source").asText()).isEqualTo("policies/warranty-claims.md");
        assertThat(sources(policies.path("output").path("results"))).allMatch(s -> s.startsWith("policies/"));

        // The answering agent was given both searches' passages, with their sources, and the user's own words.
        JsonNode answer = requests.get(1).json();
        String instructions = answer.path("instructions").asText();
        assertThat(instructions).contains("From the product manuals:\n" + manuals.path("output").toString())
                .contains("From the shop's policies:\n" + policies.path("output").toString())
                .contains("two-year warranty").contains("prepaid label");
        assertThat(lastUserInput(answer)).isEqualTo(question);
        assertThat(messages(answer)).containsExactly("user: " + question);
        assertThat(answer.has("tools")).isFalse();

        String text = "The Blue Harbour kettle has a two-year warranty (blue-harbour-kettle.md). "
                + "Bring it and the receipt to either store (warranty-claims.md).";
        assertThat(reply(events).text()).isEqualTo(text);
        assertThat(streamed(events)).isEqualTo(text);
        assertThat(progress(events)).containsSubsequence("Understanding the question", "Searching the manuals",
                "Searching the policies", "Answering");
        assertThat(span(trace, "query_writer").path("output").asText()).isEqualTo("Blue Harbour kettle warranty claim");
    }
}
