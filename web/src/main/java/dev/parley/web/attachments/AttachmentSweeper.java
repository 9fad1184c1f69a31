package dev.parley.web.attachments;

import dev.parley.store.BlobStore;
import dev.parley.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what deleting conversations can leave behind, at start and then every six hours, in the background.
 *
 * <p>Deleting a thread deletes its attachments' metadata in the same commit and their bytes right after; a crash
 * or a disk error in between leaves bytes that no link reaches any more, since every route looks the metadata up
 * first. This finds them: bytes whose id no attachment has. That is safe while uploads run, because an attachment's
 * metadata is committed by {@code attachments.create} before its upload link exists, an upload is invisible until
 * its file is complete, and an upload whose attachment was deleted meanwhile deletes its own bytes.
 *
 * <p>It also deletes attachments bound to a thread that does not exist (a message sent while its thread was being
 * deleted, or attachments of threads deleted by releases before this one). A new thread's attachments are bound a
 * moment before the thread is stored, so such an attachment is only deleted when the next pass, hours later,
 * finds it again.
 *
 * <p>With several servers on one database and one shared attachments volume each server sweeps; the passes
 * agree, so that is only repeated work. A database that knows none of many stored files is more likely the wrong
 * database than an empty one: then nothing is deleted and a warning says so.
 */
public final class AttachmentSweeper implements AutoCloseable {
    static final Duration EVERY = Duration.ofHours(6);
    /** From this many files up, a database that knows none of them is taken for the wrong one. */
    static final int IMPLAUSIBLE_ORPHANS = 20;
    private static final System.Logger LOG = System.getLogger(AttachmentSweeper.class.getName());

    private final Store store;
    private final BlobStore blobs;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    /** Stray attachments the previous pass found; deleted if this pass finds them again. */
    private Set<String> suspects = Set.of();

    /** Starts sweeping in a background thread; {@link #close()} stops it. */
    public AttachmentSweeper(Store store, BlobStore blobs) {
        this(store, blobs, true);
    }

    /** Without the background thread when {@code background} is false: a test then calls {@link #sweepOnce()}. */
    AttachmentSweeper(Store store, BlobStore blobs, boolean background) {
        this.store = store;
        this.blobs = blobs;
        this.thread = background ? Thread.ofVirtual().name("parley-attachment-sweeper").start(this::loop) : null;
    }

    /** What one pass deleted. */
    record Swept(int strayAttachments, int orphanedFiles) {}

    /** Runs one pass: stray attachments confirmed by a second sighting, then bytes that no attachment names. */
    synchronized Swept sweepOnce() throws IOException {
        Set<String> strays = new HashSet<>(store.strayAttachmentIds());
        Set<String> confirmed = new HashSet<>(strays);
        confirmed.retainAll(suspects);
        Set<String> deletedRows = confirmed.isEmpty() ? Set.of() : store.deleteStrayAttachments(confirmed);
        strays.removeAll(confirmed);
        suspects = strays;

        List<String> ids = blobs.ids();
        Set<String> known = store.knownAttachmentIds(ids);
        if (known.isEmpty() && ids.size() >= IMPLAUSIBLE_ORPHANS) {
            LOG.log(System.Logger.Level.WARNING, "The database knows none of the " + ids.size() + " attachment files,"
                    + " so none was deleted: check that this server uses the database those attachments were uploaded"
                    + " with (PARLEY_DATABASE_URL, PARLEY_DATA_DIR). If every attachment really was deleted, remove"
                    + " the files by hand.");
            return new Swept(deletedRows.size(), 0);
        }
        int deletedFiles = 0;
        for (String id : ids) {
            if (known.contains(id)) continue;
            blobs.delete(id);
            deletedFiles++;
        }
        if (!deletedRows.isEmpty() || deletedFiles > 0) {
            LOG.log(System.Logger.Level.INFO, "Deleted {0} attachments of deleted threads and {1} attachment files "
                    + "no attachment named", deletedRows.size(), deletedFiles);
        }
        return new Swept(deletedRows.size(), deletedFiles);
    }

    private void loop() {
        try {
            do {
                try {
                    sweepOnce();
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not sweep deleted attachments (trying again in "
                            + EVERY.toHours() + " hours): " + e.getMessage(), e);
                }
            } while (!closed.await(EVERY.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the background thread, waiting up to five seconds for a pass in progress. */
    @Override
    public void close() {
        closed.countDown();
        if (thread == null) return;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "AttachmentSweeper[" + blobs + "]";
    }
}
