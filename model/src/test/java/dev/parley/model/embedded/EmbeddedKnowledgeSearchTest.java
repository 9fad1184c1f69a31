package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelException;
import dev.parley.model.Source;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded provider grounding answers on a request's knowledge bases, with the real MiniLM model. */
class EmbeddedKnowledgeSearchTest {
    @TempDir
    static Path dir;

    private static EmbeddedProvider provider;

    /**
     * Four bases: a bakery's bread (the default, first by name), gift cards in two near-identical passages, a shop's
     * hours and its support policies.
     */
    @BeforeAll
    static void open() throws Exception {
        Path root = Files.createDirectories(dir.resolve("knowledge"));
        write(root.resolve("hours/opening-hours.md"), """
                # Opening hours

                The shop is open from Tuesday to Saturday, 8:00 to 17:00.

                ## Parking

                Parking is free in the yard behind the shop.
                """);
        write(root.resolve("support/returns.md"), """
                # Returns

                You can return any item within 30 days for a full refund. Bring the receipt; we refund the money to
                the card you paid with.
                """);
        write(root.resolve("support/delivery.md"), """
                # Delivery

                We ship to every country in the European Union; delivery takes three to five working days.
                """);
        write(root.resolve("bakery/bread.md"), """
                # Sourdough bread

                Our sourdough rises for eighteen hours and is baked in a stone oven every morning at five.
                """);
        write(root.resolve("gifts/gift-cards.md"), """
                # Gift cards

                Gift cards can be bought at the counter for any amount.

                ## Using gift cards

                Gift cards can be used for any purchase at the counter.
                """);
        provider = EmbeddedProvider.open(KnowledgeBases.open(root, null, Embedder.shared(), Duration.ZERO));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static TextRequest asking(String question, HostedTool... hosted) {
        return new TextRequest(null, "You answer customers' questions.", List.of(), question, null, List.of(),
                List.of(), List.of(hosted));
    }

    @Test
    void runsKnowledgeSearchesOnly() {
        assertThat(provider.runs(new HostedTool.KnowledgeSearch(List.of("support"), 3))).isTrue();
        assertThat(provider.runs(new HostedTool.WebSearch())).isFalse();
        assertThat(provider.runs(new HostedTool.VectorStoreSearch(List.of("vs_1"), 3))).isFalse();
    }

    @Test
    void theRequestsBasesAnswerInsteadOfTheDefaultOne() {
        String question = "Can I get my money back if I return something?";
        assertThat(provider.knowledgeBases().defaultId()).isEqualTo("bakery");

        Completion fromDefault = provider.streamText(asking(question), d -> true);
        HostedTool.KnowledgeSearch support = new HostedTool.KnowledgeSearch(List.of("support"), 4);
        List<String> heard = new ArrayList<>();
        Completion fromSupport = provider.streamText(asking(question, support), recording(heard));

        assertThat(fromDefault.text()).as("the bakery knows nothing of refunds").isEqualTo(KnowledgeAnswerer.CANNOT_ANSWER);
        assertThat(fromSupport.text()).contains("You can return any item within 30 days for a full refund.");
        assertThat(fromSupport.sources()).first().isEqualTo(new Source("Returns", "returns.md"));
        assertThat(heard).first().isEqualTo("searching: file_search over knowledge bases");
        assertThat(String.join("", heard.subList(1, heard.size()))).isEqualTo(fromSupport.text());
    }

    @Test
    void overTwoBasesEachQuestionIsAnsweredFromTheBaseThatKnows() {
        HostedTool.KnowledgeSearch both = new HostedTool.KnowledgeSearch(List.of("hours", "support"), 4);

        Completion parking = provider.streamText(asking("Where can I park my car?", both), d -> true);
        Completion abroad = provider.streamText(asking("Do you deliver to Germany?", both), d -> true);

        assertThat(parking.text()).contains("Parking is free in the yard behind the shop.");
        assertThat(parking.sources()).first().isEqualTo(new Source("Opening hours › Parking", "opening-hours.md"));
        assertThat(abroad.text()).contains("We ship to every country in the European Union");
        assertThat(abroad.sources()).first().isEqualTo(new Source("Delivery", "delivery.md"));
        assertThat(abroad.sources()).noneMatch(s -> s.location().equals("opening-hours.md"));
    }

    @Test
    void aQuestionTheChosenBasesCannotAnswerIsDeclinedThoughAnotherBaseCould() {
        Completion c = provider.streamText(asking("How long does the sourdough rise?",
                new HostedTool.KnowledgeSearch(List.of("hours", "support"), 4)), d -> true);

        assertThat(c.text()).isEqualTo(KnowledgeAnswerer.CANNOT_ANSWER);
        assertThat(c.sources()).isEmpty();
    }

    @Test
    void maxResultsBoundsThePassagesQuoted() {
        String question = "Tell me about your gift cards";
        Completion four = provider.streamText(asking(question, new HostedTool.KnowledgeSearch(List.of("gifts"), 4)),
                d -> true);
        Completion one = provider.streamText(asking(question, new HostedTool.KnowledgeSearch(List.of("gifts"), 1)),
                d -> true);

        assertThat(four.sources()).as("two near ties, both quoted").hasSize(2);
        assertThat(one.sources()).hasSize(1);
        assertThat(one.text()).doesNotContain("\n\n");
    }

    @Test
    void anUnknownBaseIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> provider.streamText(asking("Refunds?",
                new HostedTool.KnowledgeSearch(List.of("support", "hr"), 3)), d -> true))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.getMessage()).contains("does not have: hr").contains("known: bakery, gifts, hours, support");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void aWebSearchIsRefusedNotIgnored() {
        assertThatThrownBy(() -> provider.streamText(asking("What's the weather?", new HostedTool.WebSearch()),
                d -> true)).isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.getMessage()).startsWith("The embedded provider cannot run web_search");
                    assertThat(e.retryable()).isFalse();
                });
    }

    private static TextSink recording(List<String> heard) {
        return new TextSink() {
            @Override
            public boolean accept(String delta) {
                heard.add(delta);
                return true;
            }

            @Override
            public void hostedToolStarted(HostedTool tool) {
                heard.add("searching: " + HostedTool.describe(tool));
            }
        };
    }
}
