package dev.parley.server;

import dev.parley.store.Store;
import java.util.Objects;

/** The dispatcher (being written; see issue 2). */
public final class ChatKitServer {
    private final Store store;
    private final Responder responder;
    private final AttachmentStore attachments;
    private final Transcriber transcriber;

    private ChatKitServer(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.responder = Objects.requireNonNull(b.responder, "responder");
        this.attachments = b.attachments;
        this.transcriber = b.transcriber;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handles one request.
     *
     * @throws dev.parley.protocol.InvalidRequestException for a body that cannot be understood (400)
     * @throws dev.parley.store.NotFoundException for a record the user does not have (404)
     * @throws ChatKitException for any other refusal, with its status
     */
    public Result process(byte[] body, RequestContext context) {
        throw new UnsupportedOperationException("not yet");
    }

    public static final class Builder {
        private Store store;
        private Responder responder;
        private AttachmentStore attachments;
        private Transcriber transcriber;

        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        public Builder responder(Responder responder) {
            this.responder = responder;
            return this;
        }

        /** Enables {@code attachments.*}; without it they answer 501. */
        public Builder attachments(AttachmentStore attachments) {
            this.attachments = attachments;
            return this;
        }

        /** Enables {@code input.transcribe}; without it it answers 501. */
        public Builder transcriber(Transcriber transcriber) {
            this.transcriber = transcriber;
            return this;
        }

        public ChatKitServer build() {
            return new ChatKitServer(this);
        }
    }
}
