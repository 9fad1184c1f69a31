package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several knowledge bases by id, with the real MiniLM model: layout, search, re-indexing, the cache. */
class KnowledgeBasesTest {
    @TempDir
    Path dir;

    private Path root() throws Exception {
        Path root = Files.createDirectories(dir.resolve("knowledge"));
        Files.createDirectories(root.resolve("shop"));
        Files.createDirectories(root.resolve("support"));
        Files.writeString(root.resolve("shop/opening-hours.md"), """
                # Opening hours

                The shop is open from Tuesday to Saturday, 8:00 to 17:00.

                ## Parking

                Parking is free in the yard behind the shop.
                """);
        Files.writeString(root.resolve("support/returns.txt"), """
                You can return any item within 30 days for a full refund.
                Bring the receipt; we refund to the card you paid with.
                """);
        Files.writeString(root.resolve("support/delivery.html"), """
                <html><head><title>Delivery</title><style>p { color: red }</style></head>
                <body><nav><a href="/">Home</a> | <a href="/shop">Shop</a></nav>
                <h2>Shipping abroad</h2>
                <p>We ship to every country in the European Union; delivery takes three to five working days.</p>
                <script>track("delivery")</script></body></html>
                """);
        return root;
    }

    @Test
    void eachSubFolderIsABaseSearchedByIdWithSourcesAndScores() throws Exception {
        KnowledgeBases bases = KnowledgeBases.open(root(), null, Embedder.shared(), Duration.ZERO);
        assertThat(bases.ids()).containsExactly("shop", "support");
        assertThat(bases.defaultId()).as("no base is named agency: the first").isEqualTo("shop");

        List<KnowledgeBases.Hit> shop = bases.search(List.of("shop"), "Where can I park my car?", 5);
        assertThat(shop).hasSize(2).allSatisfy(h -> assertThat(h.knowledgeBase()).isEqualTo("shop"));
        assertThat(shop.getFirst().location()).isEqualTo("opening-hours.md");
        assertThat(shop.getFirst().source()).isEqualTo("Opening hours › Parking");
        assertThat(shop.getFirst().text()).isEqualTo("Parking is free in the yard behind the shop.");
        assertThat(shop.getFirst().score()).isGreaterThan(0.3).isGreaterThan(shop.get(1).score());

        List<KnowledgeBases.Hit> both = bases.search(List.of("shop", "support"), "Can I get my money back?", 2);
        assertThat(both).hasSize(2);
        assertThat(both.getFirst().knowledgeBase()).isEqualTo("support");
        assertThat(both.getFirst().location()).isEqualTo("returns.txt");
        assertThat(both.getFirst().source()).isEqualTo("Returns");
        assertThat(both.getFirst().score()).isGreaterThanOrEqualTo(both.get(1).score());

        KnowledgeBases.Hit abroad = bases.search(List.of("support", "shop"), "Do you deliver to Germany?", 1).getFirst();
        assertThat(abroad.location()).isEqualTo("delivery.html");
        assertThat(abroad.source()).isEqualTo("Delivery › Shipping abroad");
        assertThat(abroad.text()).startsWith("We ship to every country").doesNotContain("<", "track", "Home");

        assertThat(bases.documents("support")).extracting(KnowledgeBase.Document::location, KnowledgeBase.Document::title,
                KnowledgeBase.Document::passages).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("delivery.html", "Delivery", 1),
                        org.assertj.core.groups.Tuple.tuple("returns.txt", "Returns", 1));
    }

    @Test
    void unknownIdsAreRefusedWithTheKnownOnes() throws Exception {
        KnowledgeBases bases = KnowledgeBases.open(root(), null, Embedder.shared(), Duration.ZERO);
        assertThatThrownBy(() -> bases.search(List.of("shop", "hr"), "holidays", 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hr").hasMessageContaining("shop, support");
        assertThatThrownBy(() -> bases.search(List.of(), "holidays", 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bases.reindex("agency")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("known: shop, support");
    }

    @Test
    void aChangedFileIsReindexedAndUnchangedPassagesComeFromTheCache() throws Exception {
        Path root = root();
        Path cache = dir.resolve("cache");
        KnowledgeBases first = KnowledgeBases.open(root, cache, Embedder.shared(), Duration.ZERO);
        KnowledgeBase shopBefore = first.get("shop");
        assertThat(shopBefore.embeddedAtLoad()).isEqualTo(2);
        assertThat(Files.isRegularFile(cache.resolve("shop").resolve(EmbeddingCache.FILE_NAME))).isTrue();
        assertThat(Files.isRegularFile(cache.resolve("support").resolve(EmbeddingCache.FILE_NAME))).isTrue();
        assertThat(first.get("shop")).as("nothing changed: the same index").isSameAs(shopBefore);

        Path hours = root.resolve("shop/opening-hours.md");
        Files.writeString(hours, Files.readString(hours).replace("Parking is free in the yard behind the shop.",
                "Bicycles can be left in the covered rack next to the entrance."));
        KnowledgeBase shopAfter = first.get("shop");
        assertThat(shopAfter).isNotSameAs(shopBefore);
        assertThat(shopAfter.embeddedAtLoad()).as("only the edited passage").isEqualTo(1);
        assertThat(shopAfter.cachedAtLoad()).isEqualTo(1);
        List<KnowledgeBases.Hit> hits = first.search(List.of("shop"), "Where can I leave my bike?", 5);
        assertThat(hits.getFirst().text()).contains("covered rack");
        assertThat(hits).noneMatch(h -> h.text().contains("Parking is free"));

        KnowledgeBases second = KnowledgeBases.open(root, cache, Embedder.shared(), Duration.ZERO);
        assertThat(second.ids()).allSatisfy(id -> {
            assertThat(second.get(id).embeddedAtLoad()).as(id).isZero();
            assertThat(second.get(id).cachedAtLoad()).as(id).isEqualTo(second.get(id).size()).isPositive();
        });
    }

    @Test
    void changesWaitForTheCheckIntervalOrAReindex() throws Exception {
        Path root = root();
        KnowledgeBases bases = KnowledgeBases.open(root, null, Embedder.shared(), Duration.ofHours(1));
        KnowledgeBase before = bases.get("support");
        Files.writeString(root.resolve("support/gift-cards.md"), "# Gift cards\n\nGift cards never expire.\n");
        assertThat(bases.get("support")).isSameAs(before);
        assertThat(bases.documents("support")).hasSize(2);

        KnowledgeBase after = bases.reindex("support");
        assertThat(after.embeddedAtLoad()).isEqualTo(3);
        assertThat(bases.documents("support")).extracting(KnowledgeBase.Document::location)
                .containsExactly("delivery.html", "gift-cards.md", "returns.txt");
        assertThat(bases.search(List.of("support"), "Do gift cards expire?", 1).getFirst().location())
                .isEqualTo("gift-cards.md");
    }

    @Test
    void theBundledSampleIsTheAgencyBase() {
        KnowledgeBases bases = KnowledgeBases.open(null, null, Embedder.shared(), Duration.ZERO);
        assertThat(bases.ids()).containsExactly("agency");
        assertThat(bases.defaultId()).isEqualTo("agency");
        assertThat(bases.folder("agency")).isEmpty();
        assertThat(bases.documents("agency")).hasSizeBetween(8, 15)
                .allSatisfy(d -> assertThat(d.location()).startsWith("knowledge/").endsWith(".md"));
        assertThat(bases.current("agency").size()).isEqualTo(KnowledgeBase.load(null, null, Embedder.shared()).size());
        KnowledgeBases.Hit hit = bases.search(List.of("agency"), "How much does a website cost?", 3).getFirst();
        assertThat(hit.location()).isEqualTo("knowledge/pricing.md");
        assertThat(hit.score()).isGreaterThan(0.3);
    }

    @Test
    void aFolderWithDocumentsAtItsTopIsTheAgencyBaseSubFoldersIncluded() throws Exception {
        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.writeString(flat.resolve("about.md"), "# About\n\nWe repair bicycles.\n");
        Files.createDirectories(flat.resolve("More Docs"));
        Files.writeString(flat.resolve("More Docs/prices.txt"), "A puncture repair costs 12 euros.\n");
        Files.createDirectories(flat.resolve(".git"));
        Files.writeString(flat.resolve(".git/notes.md"), "# Secret\n\nNot knowledge.\n");
        Path cache = dir.resolve("cache");
        // The cache of a server from before knowledge bases had ids, kept directly in the cache folder.
        KnowledgeBase.load(flat, cache, Embedder.shared());

        KnowledgeBases bases = KnowledgeBases.open(flat, cache, Embedder.shared(), Duration.ZERO);
        assertThat(bases.ids()).containsExactly("agency");
        assertThat(bases.documents("agency")).extracting(KnowledgeBase.Document::location)
                .containsExactly("More Docs/prices.txt", "about.md");
        assertThat(bases.current("agency").embeddedAtLoad()).as("the old cache was adopted").isZero();
        assertThat(cache.resolve("agency").resolve(EmbeddingCache.FILE_NAME)).isRegularFile();
    }

    @Test
    void subFoldersThatAreNotIdsAreSkippedAndAMissingRootIsAClearError() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("Old Stuff"));
        Files.writeString(root.resolve("Old Stuff/a.md"), "# A\n\nText.\n");
        assertThat(KnowledgeBases.layout(root)).containsOnlyKeys("shop", "support");

        Path bad = Files.createDirectories(dir.resolve("bad/Only Bad"));
        assertThatThrownBy(() -> KnowledgeBases.layout(bad.getParent())).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("lowercase letters");
        assertThatThrownBy(() -> KnowledgeBases.open(dir.resolve("nope"), null))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
    }

    @Test
    void plainTextIsNotReadAsMarkdown() throws Exception {
        Path root = Files.createDirectories(dir.resolve("text"));
        Files.writeString(root.resolve("build_notes.txt"), "# of builds per day: 40\n\nRun make_all with *care*.\n");
        KnowledgeBase kb = KnowledgeBases.open(root, null, Embedder.shared(), Duration.ZERO).current("agency");
        assertThat(kb.documents()).singleElement().satisfies(d -> assertThat(d.title()).isEqualTo("Build notes"));
        assertThat(kb.search(Embedder.shared().embed("builds per day"), 5)).extracting(KnowledgeBase.Passage::text)
                .containsExactly("# of builds per day: 40\n\nRun make_all with *care*.");
    }
}
