package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.embedded.MarkdownChunker.Chunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownChunkerTest {
    @Test
    void cutsAlongHeadingsAndStripsMarkup() {
        List<Chunk> chunks = MarkdownChunker.chunk("guide/pricing.md", """
                # Pricing

                Our prices are **fair** and _clear_; see [the list](list.md).

                ## Plans

                - Basic: 10 euros
                - Pro: 20 euros!
                """);
        assertThat(chunks).containsExactly(
                new Chunk("guide/pricing.md", "Pricing", "Pricing", "Our prices are fair and clear; see the list."),
                new Chunk("guide/pricing.md", "Pricing", "Plans", "Basic: 10 euros. Pro: 20 euros!"));
        assertThat(chunks.get(1).embeddingText()).isEqualTo("Pricing. Plans. Basic: 10 euros. Pro: 20 euros!");
    }

    @Test
    void aDocumentWithoutHeadingsIsTitledByItsFileName() {
        assertThat(MarkdownChunker.chunk("opening-hours.md", "Open daily.\n"))
                .containsExactly(new Chunk("opening-hours.md", "Opening hours", "Opening hours", "Open daily."));
    }

    @Test
    void longSectionsBecomeSeveralPassagesOfBoundedSize() {
        String sentence = "This sentence is here to make the paragraph long enough to be split. ";
        String markdown = "# Long\n\n" + sentence.repeat(30) + "\n\n" + sentence.repeat(3) + "\n";
        List<Chunk> chunks = MarkdownChunker.chunk("long.md", markdown);
        assertThat(chunks).hasSizeGreaterThan(3)
                .allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(MarkdownChunker.MAX_CHARS));
    }
}
