package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
    @TempDir Path root;

    private FileBlobStore blobs() throws IOException {
        return new FileBlobStore(root.resolve("attachments"));
    }

    private static InputStream bytes(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private static byte[] read(Optional<InputStream> in) throws IOException {
        assertThat(in).isPresent();
        try (InputStream s = in.get()) {
            return s.readAllBytes();
        }
    }

    private List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void bytesRoundTripAndAWriteReplacesThem() throws IOException {
        FileBlobStore blobs = blobs();
        byte[] big = new byte[200_000];
        new Random(7).nextBytes(big);

        assertThat(blobs.write("atc_1", bytes(big), big.length)).isEqualTo(big.length);
        assertThat(read(blobs.open("atc_1"))).isEqualTo(big);
        assertThat(blobs.directory().resolve("atc_1")).exists();

        byte[] small = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(blobs.write("atc_1", bytes(small), 100)).isEqualTo(5);
        assertThat(read(blobs.open("atc_1"))).isEqualTo(small);
        assertThat(filesIn(blobs.directory())).hasSize(1);
    }

    @Test
    void exactlyTheLimitIsAcceptedAndOneByteMoreIsRejectedKeepingNothing() throws IOException {
        FileBlobStore blobs = blobs();
        byte[] ten = new byte[10];
        assertThat(blobs.write("atc_fit", bytes(ten), 10)).isEqualTo(10);
        blobs.write("atc_old", bytes("old".getBytes(StandardCharsets.UTF_8)), 10);

        assertThatThrownBy(() -> blobs.write("atc_big", bytes(new byte[11]), 10))
                .isInstanceOf(BlobStore.TooLargeException.class).hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> blobs.write("atc_old", bytes(new byte[100_000]), 10))
                .isInstanceOf(BlobStore.TooLargeException.class);

        assertThat(blobs.open("atc_big")).isEmpty();
        assertThat(read(blobs.open("atc_old"))).as("a rejected replacement keeps the old bytes")
                .isEqualTo("old".getBytes(StandardCharsets.UTF_8));
        assertThat(filesIn(blobs.directory())).extracting(p -> p.getFileName().toString())
                .as("no temporary files are left").containsExactlyInAnyOrder("atc_fit", "atc_old");
    }

    @Test
    void aLimitOfZeroAcceptsOnlyAnEmptyUpload() throws IOException {
        FileBlobStore blobs = blobs();
        assertThat(blobs.write("atc_empty", bytes(new byte[0]), 0)).isZero();
        assertThat(read(blobs.open("atc_empty"))).isEmpty();
        assertThatThrownBy(() -> blobs.write("atc_one", bytes(new byte[1]), 0))
                .isInstanceOf(BlobStore.TooLargeException.class);
    }

    @Test
    void idsThatCouldNameAnotherPathAreRejected() throws IOException {
        FileBlobStore blobs = blobs();
        Files.writeString(root.resolve("secret"), "top secret");
        for (String id : List.of("../secret", "..", ".", "a/b", "a\\b", "", ".upload-1.tmp", "atc_1.png",
                "/etc/passwd", "atc 1", "atc_1\u0000")) {
            assertThatThrownBy(() -> blobs.write(id, bytes(new byte[1]), 10)).as(id)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> blobs.open(id)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> blobs.delete(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> blobs.open(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(root.resolve("secret")).hasContent("top secret");
        assertThat(filesIn(blobs.directory())).isEmpty();
    }

    @Test
    void deletingRemovesTheBytesAndAMissingBlobIsFine() throws IOException {
        FileBlobStore blobs = blobs();
        blobs.write("atc_1", bytes(new byte[3]), 10);
        blobs.delete("atc_1");
        assertThat(blobs.open("atc_1")).isEmpty();
        blobs.delete("atc_1");
        blobs.delete("atc_never");
        assertThat(blobs.open("atc_never")).isEmpty();
    }

    @Test
    void idsListsStoredBlobsAndNothingElseOfTheDirectory() throws IOException {
        FileBlobStore blobs = blobs();
        assertThat(blobs.ids()).isEmpty();
        blobs.write("atc_1", bytes(new byte[3]), 10);
        blobs.write("atc_2", bytes(new byte[0]), 10);
        // An upload in progress, a file an operator left, a folder: none of them is a blob.
        Files.writeString(blobs.directory().resolve(".upload-9.tmp"), "partial");
        Files.writeString(blobs.directory().resolve("README.txt"), "notes");
        Files.createDirectory(blobs.directory().resolve("atc_dir"));

        assertThat(blobs.ids()).containsExactlyInAnyOrder("atc_1", "atc_2");
        blobs.delete("atc_1");
        assertThat(blobs.ids()).containsExactly("atc_2");
    }

    @Test
    void unfinishedUploadsFromAnEarlierRunAreRemoved() throws IOException {
        Path dir = Files.createDirectories(root.resolve("attachments"));
        Files.writeString(dir.resolve(".upload-123.tmp"), "partial");
        Files.writeString(dir.resolve("atc_done"), "complete");

        FileBlobStore blobs = blobs();
        assertThat(filesIn(dir)).extracting(p -> p.getFileName().toString()).containsExactly("atc_done");
        assertThat(read(blobs.open("atc_done"))).isEqualTo("complete".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNegativeLimitIsAProgrammingError() throws IOException {
        FileBlobStore blobs = blobs();
        assertThatThrownBy(() -> blobs.write("atc_1", bytes(new byte[1]), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(filesIn(blobs.directory())).isEmpty();
    }
}
