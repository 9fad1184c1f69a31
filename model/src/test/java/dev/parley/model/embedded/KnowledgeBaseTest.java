package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a folder of Markdown files and keeping its embeddings on disk. */
class KnowledgeBaseTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOpenReusesTheDiskCache() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Path cache = dir.resolve("cache");
        Files.writeString(docs.resolve("opening-hours.md"), """
                # Opening hours

                The shop is open from Tuesday to Saturday, 8:00 to 17:00.

                ## Holidays

                We close for two weeks in August and between Christmas and New Year.
                """);
        Files.createDirectories(docs.resolve("more"));
        Files.writeString(docs.resolve("more/parking.md"), "Parking is free behind the shop.\n");

        KnowledgeBase first = KnowledgeBase.load(docs, cache, Embedder.shared());
        Path file = cache.resolve(EmbeddingCache.FILE_NAME);
        assertThat(first.embeddedAtLoad()).isEqualTo(first.size()).isEqualTo(3);
        FileTime written = Files.getLastModifiedTime(file);

        KnowledgeBase second = KnowledgeBase.load(docs, cache, Embedder.shared());
        assertThat(second.embeddedAtLoad()).isZero();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
        assertThat(second.search(Embedder.shared().embed("When are you closed for the holidays?"), 1))
                .singleElement().satisfies(p -> {
                    assertThat(p.location()).isEqualTo("opening-hours.md");
                    assertThat(p.heading()).isEqualTo("Holidays");
                });

        // Only the edited passage is embedded again; the deleted file's vector is dropped from the cache.
        Files.writeString(docs.resolve("opening-hours.md"), Files.readString(docs.resolve("opening-hours.md"))
                .replace("17:00", "18:00"));
        Files.delete(docs.resolve("more/parking.md"));
        KnowledgeBase third = KnowledgeBase.load(docs, cache, Embedder.shared());
        assertThat(third.embeddedAtLoad()).isEqualTo(1);
        assertThat(EmbeddingCache.read(file)).hasSize(2);
    }

    @Test
    void aDamagedCacheIsIgnoredAndRewritten() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# A\n\nSome text about apples.\n");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.write(cache.resolve(EmbeddingCache.FILE_NAME), new byte[] {1, 2, 3});

        assertThat(KnowledgeBase.load(docs, cache, Embedder.shared()).embeddedAtLoad()).isEqualTo(1);
        assertThat(KnowledgeBase.load(docs, cache, Embedder.shared()).embeddedAtLoad()).isZero();
    }

    @Test
    void aMissingFolderIsAClearError() {
        assertThatThrownBy(() -> KnowledgeBase.load(dir.resolve("nope"), null, Embedder.shared()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
    }

    @Test
    void theSampleIndexListsEveryBundledDocument() throws Exception {
        Path folder = Path.of("src/main/resources/knowledge");
        List<String> onDisk;
        try (Stream<Path> files = Files.list(folder)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
        List<String> listed = Files.readAllLines(folder.resolve("index.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).sorted().toList();
        assertThat(listed).isEqualTo(onDisk).hasSizeBetween(8, 15);
    }
}
