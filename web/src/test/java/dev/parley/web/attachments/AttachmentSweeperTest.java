package dev.parley.web.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.server.EchoResponder;
import dev.parley.store.FileBlobStore;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.web.ParleyServer;
import dev.parley.web.config.ParleyConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep against a real SQLite file and a real attachments directory. */
class AttachmentSweeperTest {
    static final String ALICE = "usr_alice";

    @TempDir Path dir;
    SqliteStore store;
    FileBlobStore blobs;
    AttachmentSweeper sweeper;

    @BeforeEach
    void open() throws IOException {
        store = SqliteStore.open(dir.resolve("parley.db"));
        blobs = new FileBlobStore(dir.resolve("attachments"));
        sweeper = new AttachmentSweeper(store, blobs, false);
    }

    @AfterEach
    void close() {
        sweeper.close();
        store.close();
    }

    private void blob(String id) throws IOException {
        blobs.write(id, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
    }

    private void row(String id, String threadId) {
        store.saveAttachment(ALICE, new Attachment.File(id, id + ".txt", "text/plain", null, threadId, Map.of()));
    }

    @Test
    void aFileWithoutAnAttachmentIsDeletedAndALiveOneKept() throws IOException {
        ThreadMetadata t = ThreadMetadata.create("thr_1", Instant.now());
        store.saveThread(ALICE, t);
        row("atc_live", t.id());
        blob("atc_live");
        row("atc_unbound", null);
        blob("atc_unbound");
        row("atc_not_uploaded_yet", null);
        blob("atc_orphan");
        Files.writeString(blobs.directory().resolve("NOTES.md"), "an operator's file");

        assertThat(sweeper.sweepOnce()).isEqualTo(new AttachmentSweeper.Swept(0, 1));

        assertThat(blobs.ids()).containsExactlyInAnyOrder("atc_live", "atc_unbound");
        assertThat(blobs.directory().resolve("NOTES.md")).exists();
        assertThat(store.loadAttachment(ALICE, "atc_not_uploaded_yet").id()).isEqualTo("atc_not_uploaded_yet");
        assertThat(sweeper.sweepOnce()).as("nothing left to do").isEqualTo(new AttachmentSweeper.Swept(0, 0));
    }

    @Test
    void anAttachmentOfAMissingThreadIsDeletedWhenTheNextPassStillFindsIt() throws IOException {
        row("atc_stray", "thr_deleted");
        blob("atc_stray");
        row("atc_new_thread", "thr_arriving");
        blob("atc_new_thread");

        assertThat(sweeper.sweepOnce()).as("first sighting: kept").isEqualTo(new AttachmentSweeper.Swept(0, 0));
        assertThat(blobs.ids()).containsExactlyInAnyOrder("atc_stray", "atc_new_thread");

        // The new message's thread is stored after the first pass, as threads.create does a moment after binding.
        store.saveThread(ALICE, ThreadMetadata.create("thr_arriving", Instant.now()));
        assertThat(sweeper.sweepOnce()).isEqualTo(new AttachmentSweeper.Swept(1, 1));

        assertThat(blobs.ids()).containsExactly("atc_new_thread");
        assertThat(store.knownAttachmentIds(java.util.List.of("atc_stray", "atc_new_thread")))
                .containsExactly("atc_new_thread");
    }

    @Test
    void aDatabaseThatKnowsNoneOfManyFilesDeletesNothing() throws IOException {
        for (int i = 0; i < AttachmentSweeper.IMPLAUSIBLE_ORPHANS; i++) blob("atc_" + i);

        assertThat(sweeper.sweepOnce()).isEqualTo(new AttachmentSweeper.Swept(0, 0));
        assertThat(blobs.ids()).hasSize(AttachmentSweeper.IMPLAUSIBLE_ORPHANS);

        row("atc_0", null);
        assertThat(sweeper.sweepOnce()).as("one known file shows it is the right database")
                .isEqualTo(new AttachmentSweeper.Swept(0, AttachmentSweeper.IMPLAUSIBLE_ORPHANS - 1));
        assertThat(blobs.ids()).containsExactly("atc_0");
    }

    @Test
    void theServerSweepsAtStartUp() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        store.close();
        try (SqliteStore before = SqliteStore.open(data.resolve("parley.db"))) {
            before.saveAttachment(ALICE, new Attachment.File("atc_live", "a.txt", "text/plain", null, null, Map.of()));
        }
        var files = new FileBlobStore(data.resolve("attachments"));
        files.write("atc_live", new ByteArrayInputStream(new byte[] {1}), 1);
        files.write("atc_planted", new ByteArrayInputStream(new byte[] {1}), 1);

        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(data);
        try (ParleyServer server = ParleyServer.start(config, new EchoResponder())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (files.ids().contains("atc_planted") && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(files.ids()).as("the planted file, deleted by the start-up pass").doesNotContain("atc_planted");
        }
        // Closing the server waited for the pass to end, so this is its final word.
        assertThat(files.ids()).containsExactly("atc_live");
        store = SqliteStore.open(dir.resolve("parley.db"));
    }
}
