package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.Category;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.ModelException;
import dev.parley.model.SchemaValidator;
import dev.parley.model.Source;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded provider with the real MiniLM model and the bundled sample knowledge base. */
class EmbeddedProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Category> CATEGORIES = List.of(
            new Category("general_inquiry", "Questions about the agency, pricing, process or availability.",
                    List.of("What kind of projects do you take on?", "How much does a typical project cost?")),
            new Category("website_build", "A new marketing site, company website, landing page or redesign.",
                    List.of("We need a new website for our bakery with an online menu.",
                            "Can you redesign our company site in Next.js?")),
            new Category("automation_or_integration", "Connecting existing systems, automating workflows, APIs.",
                    List.of("Can you sync our Shopify orders into our ERP?",
                            "We want to automate lead intake from our forms into HubSpot.")));
    private static final String CLASSIFIER_SCHEMA = """
            {"type":"object","properties":{
              "category":{"type":"string","enum":["general_inquiry","website_build","automation_or_integration"]},
              "confidence":{"type":"number","minimum":0,"maximum":1},
              "reason":{"type":"string"}},
             "required":["category","confidence","reason"],"additionalProperties":false}""";

    private static EmbeddedProvider provider;

    @BeforeAll
    static void open() {
        provider = EmbeddedProvider.open(null, null);
    }

    @Test
    void isNamedEmbedded() {
        assertThat(provider.name()).isEqualTo("embedded");
    }

    @Test
    void classifiesClearInquiriesWithAValidValue() throws Exception {
        assertThat(classify("Our florist shop needs a nice new homepage with photos of our bouquets").get("category").asText())
                .isEqualTo("website_build");
        assertThat(classify("Could you connect our webshop to our accounting software so invoices are created automatically?")
                .get("category").asText()).isEqualTo("automation_or_integration");
        assertThat(classify("What are your rates and how soon could you start?").get("category").asText())
                .isEqualTo("general_inquiry");
    }

    @Test
    void aMessageWithoutWordsIsRefusedInPlainWordsAndNotAsRetryable() {
        for (String empty : new String[] {"", "   \n\t"}) {
            assertThatThrownBy(() -> classify(empty)).isInstanceOfSatisfying(ModelException.class, e -> {
                assertThat(e.getMessage()).contains("could not classify the message: the message has no text")
                        .doesNotContain("java.lang");
                assertThat(e.userMessage()).isEqualTo("Please type your question in words: this assistant can only read text.");
                assertThat(e.retryable()).isFalse();
            });
            assertThatThrownBy(() -> provider.streamText(new TextRequest(null, null, List.of(), empty, null), d -> true))
                    .isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.retryable()).isFalse());
        }
    }

    @Test
    void aClearInquiryIsMoreConfidentThanAVagueOne() throws Exception {
        JsonNode clear = classify("We want a new website for our restaurant with the menu and opening hours.");
        JsonNode vague = classify("hello, quick question");
        assertThat(clear.get("category").asText()).isEqualTo("website_build");
        assertThat(clear.get("confidence").asDouble()).isBetween(0.0, 1.0).isGreaterThan(vague.get("confidence").asDouble());
        assertThat(vague.get("confidence").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void theReasonNamesTheClosestExample() throws Exception {
        JsonNode value = classify("Can we get our Shopify orders into SAP automatically?");
        assertThat(value.get("reason").asText())
                .startsWith("Closest to the automation_or_integration example \"Can you sync our Shopify orders into our ERP?\"")
                .matches(".*\\(similarity 0\\.\\d\\d\\)\\.$");
    }

    @Test
    void fillsAGenericSchemaThatValidates() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type":"object","properties":{
                  "inquiry_type":{"type":"string","enum":["pricing_question","bug_report","job_application"],
                                  "description":"what the visitor is asking about"},
                  "confidence":{"type":"number","minimum":0,"maximum":1},
                  "explanation":{"type":"string"},
                  "message":{"type":"string","maxLength":400},
                  "urgent":{"type":"boolean"},
                  "priority":{"type":"integer","minimum":1,"maximum":5},
                  "contact":{"type":"object","properties":{"needs_call":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string"}}},
                             "required":["needs_call","tags"],"additionalProperties":false}},
                 "required":["inquiry_type","confidence","explanation","message","urgent","priority","contact"],
                 "additionalProperties":false}""");
        StructuredCompletion c = provider.structured(new StructuredRequest(null, "Answer visitors' questions.", List.of(),
                "How much does a company website cost?", null, "triage", schema));

        assertThat(SchemaValidator.violations(schema, c.value())).isEmpty();
        assertThat(c.value().get("inquiry_type").asText()).isEqualTo("pricing_question");
        assertThat(c.value().get("explanation").asText()).startsWith("Closest to the description of pricing_question");
        assertThat(c.value().get("message").asText()).contains("euros").hasSizeLessThanOrEqualTo(400);
        assertThat(c.value().get("priority").asInt()).isEqualTo(1);
        assertThat(c.rawText()).isEqualTo(c.value().toString());
    }

    @Test
    void aSchemaItCannotFillIsRefusedNamingThePath() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type":"object","properties":{"email":{"type":"string","pattern":"^[^@]+@[^@]+$"}},"required":["email"]}""");
        assertThatThrownBy(() -> provider.structured(new StructuredRequest(null, null, List.of(), "hi", null, "lead", schema)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("lead").hasMessageContaining("/email")
                .satisfies(e -> assertThat(((ModelException) e).userMessage()).doesNotContain("/email"));
    }

    @Test
    void answersFromTheRightDocumentWithItsSource() {
        List<String> deltas = new ArrayList<>();
        Completion c = provider.streamText(new TextRequest(null, "You answer general questions.", List.of(),
                "Who owns the code when the project is finished?", null), deltas::add);

        assertThat(c.text()).contains("When the final invoice is paid, the code, the designs and all accounts are yours.");
        assertThat(c.sources()).contains(new Source("Frequently asked questions › Who owns the code?", "knowledge/faq.md"));
        assertThat(deltas).hasSizeGreaterThan(1);
        assertThat(String.join("", deltas)).isEqualTo(c.text());
    }

    @Test
    void aQuestionOutsideTheKnowledgeGetsAnHonestAnswer() {
        List<String> deltas = new ArrayList<>();
        Completion c = provider.streamText(new TextRequest(null, "You answer general questions.", List.of(),
                "Can you give me a good recipe for lasagna?", null), deltas::add);

        assertThat(c.text()).startsWith("I can't answer that from what I know.");
        assertThat(c.sources()).isEmpty();
        assertThat(String.join("", deltas)).isEqualTo(c.text());
    }

    @Test
    void anEmptyInputFallsBackToTheLastUserMessage() {
        Completion c = provider.streamText(new TextRequest(null, null,
                List.of(ChatMessage.user("Where is your office?"), ChatMessage.assistant("…")), "", null), d -> true);
        assertThat(c.sources()).extracting(Source::location).contains("knowledge/contact.md");
    }

    @Test
    void offeredToolsAreIgnoredAndTheAnswerIsTheSame() throws Exception {
        String question = "Who owns the code when the project is finished?";
        Completion plain = provider.streamText(new TextRequest(null, null, List.of(), question, null), d -> true);
        ToolSpec lookup = new ToolSpec("lookup_contract", "Finds a client's contract.",
                JSON.readTree("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"));

        Completion withTools = provider.streamText(new TextRequest(null, null, List.of(), question, null,
                List.of(lookup), List.of()), d -> true);

        assertThat(withTools.toolCalls()).isEmpty();
        assertThat(withTools.text()).isEqualTo(plain.text()).isNotEmpty();
        assertThat(withTools.sources()).isEqualTo(plain.sources());
    }

    private static JsonNode classify(String input) throws Exception {
        JsonNode schema = JSON.readTree(CLASSIFIER_SCHEMA);
        StructuredCompletion c = provider.structured(new StructuredRequest(
                null, "Classify the visitor's message.", List.of(), input, null, "classify", schema, CATEGORIES));
        assertThat(SchemaValidator.violations(schema, c.value())).isEmpty();
        assertThat(c.value().size()).isEqualTo(3);
        return c.value();
    }
}
