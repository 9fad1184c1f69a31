package dev.parley.server;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ChatKitRequest.AddClientToolOutput;
import dev.parley.protocol.ChatKitRequest.AddStructuredInput;
import dev.parley.protocol.ChatKitRequest.AddUserMessage;
import dev.parley.protocol.ChatKitRequest.CreateAttachment;
import dev.parley.protocol.ChatKitRequest.CreateThread;
import dev.parley.protocol.ChatKitRequest.CustomAction;
import dev.parley.protocol.ChatKitRequest.DeleteAttachment;
import dev.parley.protocol.ChatKitRequest.DeleteThread;
import dev.parley.protocol.ChatKitRequest.Feedback;
import dev.parley.protocol.ChatKitRequest.GetThread;
import dev.parley.protocol.ChatKitRequest.ListItems;
import dev.parley.protocol.ChatKitRequest.ListThreads;
import dev.parley.protocol.ChatKitRequest.RetryAfterItem;
import dev.parley.protocol.ChatKitRequest.SyncCustomAction;
import dev.parley.protocol.ChatKitRequest.Transcribe;
import dev.parley.protocol.ChatKitRequest.UpdateThread;
import dev.parley.protocol.ChatKitRequest.UserMessageInput;
import dev.parley.protocol.ChatKitRequest;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.ThreadStatus;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.protocol.UserMessageContent;
import dev.parley.store.IdKind;
import dev.parley.store.NotFoundException;
import dev.parley.store.Store;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The dispatcher: parses a ChatKit request once and answers it with one exhaustive {@code switch}.
 *
 * <p>Streaming requests are checked before anything is streamed, so a missing thread, a foreign item or a
 * retry aimed at the wrong item is an HTTP error with a message rather than a silently aborted stream. Once
 * streaming starts, every failure is one {@code error} event (see {@link RespondPipeline}).
 *
 * <pre>{@code
 * ChatKitServer server = ChatKitServer.builder().store(store).responder(new EchoResponder()).build();
 * Result result = server.process(bodyBytes, new RequestContext(userId, "en", "https://chat.example.com"));
 * }</pre>
 *
 * <p>Callers inside the process (the server-side API, the admin preview, evals) build a {@link ChatKitRequest}
 * and call {@link #process(ChatKitRequest, RequestContext)}: no JSON round trip.
 */
public final class ChatKitServer {
    /** Items scanned when cleaning up client tool calls, as the reference server does. */
    private static final int RECENT_ITEMS = 20;
    /** An upper bound on page sizes, so one request cannot ask for a whole database. */
    private static final int MAX_LIMIT = 100;

    private static final Map<String, Object> EMPTY = Map.of();
    private static final System.Logger LOG = System.getLogger(ChatKitServer.class.getName());

    private final Store store;
    private final Responder responder;
    private final AttachmentStore attachments;
    private final Transcriber transcriber;
    private final Limits limits;

    private ChatKitServer(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.responder = Objects.requireNonNull(b.responder, "responder");
        this.attachments = b.attachments;
        this.transcriber = b.transcriber;
        this.limits = b.limits;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@return the store this server keeps conversations in} */
    public Store store() {
        return store;
    }

    /**
     * Handles one request.
     *
     * @throws dev.parley.protocol.InvalidRequestException for a body that cannot be understood (400)
     * @throws NotFoundException for a record the user does not have (404)
     * @throws ChatKitException for any other refusal, with its status
     */
    public Result process(byte[] body, RequestContext context) {
        return process(ChatKitJson.readRequest(body), context);
    }

    /**
     * Handles one request that is already typed.
     *
     * @throws NotFoundException for a record the user does not have (404)
     * @throws ChatKitException for any other refusal, with its status
     */
    public Result process(ChatKitRequest request, RequestContext context) {
        return switch (request) {
            case ChatKitRequest.NonStreaming r -> new Result.Json(answer(r, context));
            case ChatKitRequest.Streaming r -> stream(r, context);
        };
    }

    // ---- non-streaming -------------------------------------------------------------------------------

    private Object answer(ChatKitRequest.NonStreaming request, RequestContext ctx) {
        String user = ctx.userId();
        return switch (request) {
            case GetThread r -> {
                ThreadMetadata thread = store.loadThread(user, r.params().threadId());
                yield thread.toThread(visible(store.loadItems(user, thread.id(), null, Store.DEFAULT_LIMIT, Order.ASC)));
            }
            case ListThreads r -> store.loadThreads(user, limit(r.params().limit()), r.params().after(), r.params().order())
                    .map(t -> t.toThread(Page.empty()));
            case ListItems r -> visible(store.loadItems(
                    user, r.params().threadId(), r.params().after(), limit(r.params().limit()), r.params().order()));
            case Feedback r -> {
                store.addFeedback(user, new dev.parley.store.Feedback(r.params().threadId(), r.params().itemIds(),
                        r.params().kind().name().toLowerCase(java.util.Locale.ROOT), ChatKitJson.now()));
                yield EMPTY;
            }
            case CreateAttachment r -> {
                Attachment created = requireAttachments().create(r.params(), ctx);
                store.saveAttachment(user, created);
                yield created;
            }
            case DeleteAttachment r -> {
                AttachmentStore files = requireAttachments();
                Attachment existing = store.loadAttachment(user, r.params().attachmentId());
                files.delete(existing, ctx);
                store.deleteAttachment(user, existing.id());
                yield EMPTY;
            }
            case UpdateThread r -> {
                ThreadMetadata renamed = store.loadThread(user, r.params().threadId()).withTitle(r.params().title());
                store.saveThread(user, renamed);
                yield renamed.toThread(Page.empty());
            }
            case DeleteThread r -> {
                // The rows go first, in one commit: from then on no link reaches the bytes, so a crash or a
                // failure below leaves only unreachable bytes, which the attachment sweep deletes.
                List<Attachment> gone = store.deleteThread(user, r.params().threadId());
                if (attachments != null) {
                    for (Attachment a : gone) {
                        try {
                            attachments.delete(a, ctx);
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "Deleting the bytes of attachment " + a.id()
                                    + " of deleted thread " + r.params().threadId() + " failed; the attachment "
                                    + "sweep will delete them", e);
                        }
                    }
                }
                yield EMPTY;
            }
            case Transcribe r -> transcribe(r, ctx);
            case SyncCustomAction r -> syncAction(r, ctx);
        };
    }

    private Object transcribe(Transcribe r, RequestContext ctx) {
        if (transcriber == null) {
            throw ChatKitException.notImplemented(
                    "transcription_disabled", "Dictation is not enabled on this server: no transcriber is configured. "
                    + "Run it with the OpenAI provider (OPENAI_API_KEY, or OPENAI_BASE_URL of a server that has "
                    + "/audio/transcriptions), or turn off the composer's dictation option.");
        }
        byte[] audio;
        try {
            audio = Base64.getDecoder().decode(r.params().audioBase64());
        } catch (IllegalArgumentException e) {
            throw ChatKitException.badRequest("invalid_params", "params.audio_base64 is not valid base64");
        }
        String mime = r.params().mimeType();
        String mediaType = mime.split(";", 2)[0].strip();
        try {
            return new TranscriptionResult(transcriber.transcribe(audio, mime, mediaType, ctx));
        } catch (ChatKitException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Transcription failed", e);
        }
    }

    private Object syncAction(SyncCustomAction r, RequestContext ctx) {
        ThreadMetadata thread = store.loadThread(ctx.userId(), r.params().threadId());
        ThreadItem.Widget sender = null;
        if (r.params().itemId() != null) {
            ThreadItem item = store.loadItem(ctx.userId(), thread.id(), r.params().itemId());
            if (!(item instanceof ThreadItem.Widget w)) {
                throw ChatKitException.badRequest("not_a_widget",
                        "Item " + item.id() + " is not a widget; widget actions must name the widget item that sent them");
            }
            sender = w;
        }
        Turn turn = new Turn(ctx, store, thread);
        ThreadItem updated;
        try {
            updated = responder.syncAction(turn, r.params().action(), sender);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The sync action failed", e);
        }
        if (updated != null) store.saveItem(ctx.userId(), updated);
        if (!turn.thread().equals(thread)) store.saveThread(ctx.userId(), turn.thread());
        return new SyncActionResult(updated);
    }

    /** {@code input.transcribe}'s answer. */
    record TranscriptionResult(String text) {}

    /** {@code threads.sync_custom_action}'s answer; {@code updated_item} is left out when null. */
    record SyncActionResult(ThreadItem updatedItem) {}

    // ---- streaming -----------------------------------------------------------------------------------

    private Result stream(ChatKitRequest.Streaming request, RequestContext ctx) {
        String user = ctx.userId();
        // Everything that can be refused is checked here, before the stream starts (an HTTP error then);
        // what happens inside a stream body goes through the RespondPipeline, the one place failures become events.
        return switch (request) {            case CreateThread r -> {
                check(r.params().input());
                if (limits.maxThreadsPerUser() > 0 && store.countThreads(user) >= limits.maxThreadsPerUser()) {
                    throw new ChatKitException(409, "too_many_threads", "You have reached the limit of "
                            + limits.maxThreadsPerUser() + " conversations; delete some to start a new one.");
                }
                List<Attachment> files = loadAttachments(user, r.params().input());
                yield new Result.Stream(sink -> {
                    ThreadMetadata created = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), ChatKitJson.now());
                    // Titled before it is stored: one write and one event fewer than renaming it in the turn.
                    String title = responder.titleFor(ThreadItem.UserMessage.text(r.params().input().content()));
                    ThreadMetadata thread = title == null ? created : created.withTitle(title);
                    answer(ctx, thread, true, sink, client -> {
                        var message = userMessage(user, thread, r.params().input(), files);
                        // Neither record is shown before both are stored, so they share one commit.
                        store.createThread(user, thread, message);
                        client.emit(new ThreadStreamEvent.ThreadCreated(thread.toThread(Page.empty())));
                        return message;
                    });
                });
            }
            case AddUserMessage r -> {
                ThreadMetadata thread = store.loadThread(user, r.params().threadId());
                if (!(thread.status() instanceof ThreadStatus.Active)) {
                    throw new ChatKitException(409, "thread_not_active",
                            "Thread " + thread.id() + " is " + statusName(thread.status()) + " and takes no new messages");
                }
                check(r.params().input());
                List<Attachment> files = loadAttachments(user, r.params().input());
                yield new Result.Stream(sink -> answer(ctx, thread, false, sink, client -> {
                    var message = userMessage(user, thread, r.params().input(), files);
                    store.addItem(user, message);
                    return message;
                }));
            }
            case AddClientToolOutput r -> clientToolOutput(r, ctx);
            case AddStructuredInput r -> structuredInput(r, ctx);
            case RetryAfterItem r -> retry(r, ctx);
            case CustomAction r -> customAction(r, ctx);
        };
    }

    /** A turn that answers the user message {@code input} stores (and may announce) in the pipeline's prelude. */
    private void answer(RequestContext ctx, ThreadMetadata thread, boolean threadIsNew, EventSink sink,
            Function<EventSink, ThreadItem.UserMessage> input) {
        var message = new AtomicReference<ThreadItem.UserMessage>();
        new RespondPipeline(store, responder, new Turn(ctx, store, thread, threadIsNew)).run(sink, client -> {
            message.set(input.apply(client));
            client.emit(new ThreadStreamEvent.ItemDone(message.get()));
        }, (turn, events) -> {
            turn.createdWith(message.get());
            responder.respond(turn, message.get(), events);
        });
    }

    /** {@return the user message for the input}, its attachments bound (and saved) to the thread first */
    private ThreadItem.UserMessage userMessage(
            String user, ThreadMetadata thread, UserMessageInput input, List<Attachment> files) {
        List<Attachment> bound = new ArrayList<>(files.size());
        for (Attachment a : files) {
            Attachment withThread = a.withThreadId(thread.id());
            store.saveAttachment(user, withThread);
            bound.add(withThread);
        }
        return new ThreadItem.UserMessage(store.ids().newId(IdKind.MESSAGE), thread.id(), ChatKitJson.now(),
                input.content(), bound, input.quotedText(), input.inferenceOptions());
    }

    /** Refuses a message over the configured limits before anything of it is stored. */
    private void check(UserMessageInput input) {
        long chars = input.quotedText() == null ? 0 : input.quotedText().length();
        for (UserMessageContent c : input.content()) {
            chars += switch (c) {
                case UserMessageContent.InputText t -> t.text().length();
                case UserMessageContent.InputTag t -> t.text().length();
            };
        }
        if (chars > limits.maxMessageChars()) {
            throw ChatKitException.badRequest("message_too_long", "The message has " + chars
                    + " characters; the limit is " + limits.maxMessageChars() + ". Shorten it or split it in parts.");
        }
        if (input.attachments().size() > limits.maxAttachmentsPerMessage()) {
            throw ChatKitException.badRequest("too_many_attachments", "The message has " + input.attachments().size()
                    + " attachments; the limit is " + limits.maxAttachmentsPerMessage() + " per message.");
        }
    }

    private List<Attachment> loadAttachments(String user, UserMessageInput input) {
        List<Attachment> files = new ArrayList<>(input.attachments().size());
        for (String id : input.attachments()) {
            Attachment a = store.loadAttachment(user, id);
            if (a.uploadDescriptor() != null) {
                throw ChatKitException.badRequest("attachment_not_uploaded",
                        "Attachment " + id + " has no uploaded bytes yet; upload it to its upload_descriptor.url first");
            }
            files.add(a);
        }
        return files;
    }

    private Result.Stream clientToolOutput(AddClientToolOutput r, RequestContext ctx) {
        String user = ctx.userId();
        ThreadMetadata thread = store.loadThread(user, r.params().threadId());
        List<ThreadItem> recent = store.loadItems(user, thread.id(), null, RECENT_ITEMS, Order.DESC).data();
        if (recent.isEmpty()
                || !(recent.getFirst() instanceof ThreadItem.ClientToolCall call)
                || !ThreadItem.ClientToolCall.PENDING.equals(call.status())) {
            throw ChatKitException.badRequest("no_pending_tool_call",
                    "Thread " + thread.id() + " has no pending client tool call as its last item; nothing to answer");
        }
        List<String> stale = recent.stream().skip(1)
                .filter(i -> i instanceof ThreadItem.ClientToolCall c && ThreadItem.ClientToolCall.PENDING.equals(c.status()))
                .map(ThreadItem::id)
                .toList();
        return new Result.Stream(sink -> pipeline(ctx, thread).run(sink, client -> {
            store.saveItem(user, call.completed(r.params().result()));
            if (!stale.isEmpty()) store.deleteItems(user, thread.id(), stale);
        }, (turn, events) -> responder.respond(turn, null, events)));
    }

    private Result.Stream structuredInput(AddStructuredInput r, RequestContext ctx) {
        String user = ctx.userId();
        ThreadMetadata thread = store.loadThread(user, r.params().threadId());
        ThreadItem item = store.loadItem(user, thread.id(), r.params().itemId());
        if (!(item instanceof ThreadItem.StructuredInput pending)
                || !ThreadItem.StructuredInput.PENDING.equals(pending.status())) {
            throw ChatKitException.badRequest("not_pending_structured_input",
                    "Item " + item.id() + " is not a structured input waiting for answers");
        }
        ThreadItem.StructuredInput answered = StructuredAnswers.apply(pending, r.params().input());
        return new Result.Stream(sink -> pipeline(ctx, thread).run(sink, (turn, events) -> {
            events.emit(new ThreadStreamEvent.ItemReplaced(answered));
            responder.respond(turn, null, events);
        }));
    }

    private Result.Stream retry(RetryAfterItem r, RequestContext ctx) {
        String user = ctx.userId();
        ThreadMetadata thread = store.loadThread(user, r.params().threadId());
        List<String> newer = new ArrayList<>();
        ThreadItem.UserMessage target = null;
        String after = null;
        scan:
        while (true) {
            Page<ThreadItem> page = store.loadItems(user, thread.id(), after, RECENT_ITEMS, Order.DESC);
            for (ThreadItem item : page.data()) {
                if (item.id().equals(r.params().itemId())) {
                    if (!(item instanceof ThreadItem.UserMessage m)) {
                        throw ChatKitException.badRequest("not_a_user_message",
                                "Item " + item.id() + " is not a user message; retry names the user message to answer again");
                    }
                    target = m;
                    break scan;
                }
                newer.add(item.id());
            }
            if (!page.hasMore()) break;
            after = page.after();
        }
        if (target == null) throw NotFoundException.item(r.params().itemId());
        ThreadItem.UserMessage message = target;
        return new Result.Stream(sink -> pipeline(ctx, thread).run(sink, client -> {
            if (!newer.isEmpty()) store.deleteItems(user, thread.id(), newer);
        }, (turn, events) -> responder.respond(turn, message, events)));
    }

    private Result.Stream customAction(CustomAction r, RequestContext ctx) {
        String user = ctx.userId();
        ThreadMetadata thread = store.loadThread(user, r.params().threadId());
        ThreadItem sender = r.params().itemId() == null ? null : store.loadItem(user, thread.id(), r.params().itemId());
        if (sender != null && !(sender instanceof ThreadItem.Widget)) {
            // The reference answers a non-widget sender with a bare error event and no stream options.
            return new Result.Stream(sink -> sink.emit(
                    new ThreadStreamEvent.Error(ThreadStreamEvent.Error.STREAM_ERROR, null, false)));
        }
        ThreadItem.Widget widget = (ThreadItem.Widget) sender;
        return new Result.Stream(sink -> pipeline(ctx, thread)
                .run(sink, (turn, events) -> responder.action(turn, r.params().action(), widget, events)));
    }

    private RespondPipeline pipeline(RequestContext ctx, ThreadMetadata thread) {
        return new RespondPipeline(store, responder, new Turn(ctx, store, thread));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private AttachmentStore requireAttachments() {
        if (attachments == null) {
            throw ChatKitException.notImplemented(
                    "attachments_disabled", "Attachments are not enabled on this server; turn off composer attachments.");
        }
        return attachments;
    }

    private static int limit(Integer requested) {
        if (requested == null || requested == 0) return Store.DEFAULT_LIMIT;
        if (requested < 0) throw ChatKitException.badRequest("invalid_params", "params.limit must be positive");
        return Math.min(requested, MAX_LIMIT);
    }

    private static Page<ThreadItem> visible(Page<ThreadItem> page) {
        return new Page<>(page.data().stream().filter(i -> !i.isHidden()).toList(), page.hasMore(), page.after());
    }

    private static String statusName(ThreadStatus status) {
        return switch (status) {
            case ThreadStatus.Active a -> "active";
            case ThreadStatus.Locked l -> "locked";
            case ThreadStatus.Closed c -> "closed";
        };
    }

    public static final class Builder {
        private Store store;
        private Responder responder;
        private AttachmentStore attachments;
        private Transcriber transcriber;
        private Limits limits = Limits.DEFAULTS;

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

        /** Sets what one user message may hold; {@link Limits#DEFAULTS} otherwise. */
        public Builder limits(Limits limits) {
            this.limits = java.util.Objects.requireNonNull(limits, "limits");
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
