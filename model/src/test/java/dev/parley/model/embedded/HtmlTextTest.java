package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** HTML pages turned into the Markdown the chunker reads. */
class HtmlTextTest {
    @Test
    void keepsHeadingsParagraphsAndItemsAndDropsWhatAReaderDoesNotSee() {
        String md = HtmlText.toMarkdown("""
                <!DOCTYPE html>
                <html><head><title>Ignored &amp; replaced by the h1</title>
                <script>var x = "<p>not text</p>";</script></head>
                <body>
                  <nav><ul><li>Home</li><li>Blog</li></ul></nav>
                  <!-- <p>a comment</p> -->
                  <h1 class="big">Our <em>services</em></h1>
                  <p>We build   websites
                     and <a href="/apps">web apps</a>.</p>
                  <h2>What&nbsp;it costs</h2>
                  <ul><li>Small site: &euro;2&#x2009;000</li><li>Shop &ndash; from &#8364;6,000</li></ul>
                  <p>Fish &amp; chips &notanentity; stay &lt;b&gt;literal&lt;/b&gt;</p>
                  <style>.x { color: red }</style>
                </body></html>
                """);
        assertThat(md).isEqualTo("""
                # Our services

                We build websites
                and web apps.

                ## What it costs

                - Small site: €2\u2009000

                - Shop – from €6,000

                Fish & chips &notanentity; stay <b>literal</b>
                """);
    }

    @Test
    void theTitleIsTheFirstHeadingWhenThePageHasNoH1() {
        String md = HtmlText.toMarkdown("<html><head><title>Returns</title></head><body><h2>Refunds</h2>"
                + "<p>Within 30 days.</p><table><tr><td>Shoes</td><td>60 days</td></tr></table></body></html>");
        List<MarkdownChunker.Chunk> chunks = MarkdownChunker.chunk("returns.html", md);
        assertThat(chunks).extracting(MarkdownChunker.Chunk::title).containsOnly("Returns");
        assertThat(chunks).extracting(MarkdownChunker.Chunk::heading).containsOnly("Refunds");
        assertThat(chunks).extracting(MarkdownChunker.Chunk::text).containsExactly("Within 30 days.\n\nShoes 60 days");
    }
}
