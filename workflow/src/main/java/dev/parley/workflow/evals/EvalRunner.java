package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ChatKitRequest;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.Store;
import dev.parley.workflow.engine.Workflows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs every case of a dataset through a workflow the way a preview does: a real thread of the store under the
 * user {@value #EVAL_USER} (which no end user can reach), the real engine and the configured model, each run
 * leaving its trace. Cases run on this runner's own pool of at most {@code parallelism} threads, never on the
 * threads serving users' requests; each case's thread is deleted when it has been graded (its trace stays).
 */
public final class EvalRunner {
    /** The owner of the threads evals run in. */
    public static final String EVAL_USER = "admin:eval";
    /** The most cases run at once. */
    public static final int MAX_PARALLELISM = 16;

    private final Workflows workflows;
    private final Store store;
    private final Grading grading;

    public EvalRunner(Workflows workflows, Store store, Grading grading) {
        this.workflows = workflows;
        this.store = store;
        this.grading = grading;
    }

    /**
     * Runs and grades every case.
     *
     * @param parallelism cases run at once, 1 to {@value #MAX_PARALLELISM}
     * @param progress    told how many cases are done after each one
     * @throws dev.parley.workflow.InvalidWorkflowException when the target does not validate
     */
    public EvalReport run(String evalId, EvalTarget target, Dataset dataset, String datasetName, int parallelism,
            IntConsumer progress) {
        int threads = Math.clamp(parallelism, 1, MAX_PARALLELISM);
        // The engine tells a run's id on the thread that runs the turn, which is the case's own thread (the
        // pipeline below is synchronous): a thread-local hands it to that case alone.
        var runIds = new ThreadLocal<String>();
        ChatKitServer chat = ChatKitServer.builder().store(store)
                .responder(workflows.draftResponder(target.document(), runIds::set)).build();
        Instant started = Instant.now();
        long start = System.nanoTime();
        var done = new AtomicInteger();
        var counter = new AtomicInteger();
        List<CaseResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "parley-eval-" + evalId + "-" + counter.incrementAndGet()));
        try {
            List<Future<CaseResult>> futures = new ArrayList<>();
            for (EvalCase c : dataset.cases()) {
                futures.add(pool.submit(() -> {
                    CaseResult r = runCase(chat, runIds, c);
                    progress.accept(done.incrementAndGet());
                    return r;
                }));
            }
            for (Future<CaseResult> f : futures) results.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The eval was interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new EvalReport(evalId, target.workflowId(), target.version(), datasetName, started,
                (System.nanoTime() - start) / 1000, workflows.toolbox().provider().name(), results);
    }

    private CaseResult runCase(ChatKitServer chat, ThreadLocal<String> runIds, EvalCase c) {
        runIds.remove();
        long start = System.nanoTime();
        String threadId = null;
        var reply = new StringBuilder();
        String error = null;
        RequestContext who = RequestContext.of(EVAL_USER);
        try {
            for (int i = 0; i < c.messages().size(); i++) {
                var input = ChatKitRequest.UserMessageInput.text(c.messages().get(i));
                ChatKitRequest request = threadId == null
                        ? new ChatKitRequest.CreateThread(new ChatKitRequest.CreateThreadParams(input), null)
                        : new ChatKitRequest.AddUserMessage(new ChatKitRequest.AddUserMessageParams(threadId, input), null);
                if (!(chat.process(request, who) instanceof Result.Stream stream)) {
                    throw new IllegalStateException("a user message streams its reply");
                }
                reply.setLength(0);
                var turn = new TurnEvents();
                stream.body().writeTo(turn::accept);
                if (threadId == null) threadId = turn.threadId;
                reply.append(turn.reply);
                error = turn.error;
                if (error != null) break;
            }
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        long micros = (System.nanoTime() - start) / 1000;
        String runId = runIds.get();
        JsonNode trace = runId == null ? JsonNodeFactory.instance.objectNode()
                : workflows.store().loadTrace(runId).map(t -> ChatKitJson.readStorage(t.document(), JsonNode.class))
                        .orElse(JsonNodeFactory.instance.objectNode());
        if (error == null && trace.has("error")) error = trace.path("error").asText();
        JsonNode end = null;
        long in = 0;
        long out = 0;
        for (JsonNode n : trace.path("nodes")) {
            in += n.path("usage").path("input_tokens").asLong();
            out += n.path("usage").path("output_tokens").asLong();
            if ("end".equals(n.path("type").asText()) && n.has("output")) end = n.get("output");
        }
        if (threadId != null) {
            try {
                store.deleteThread(EVAL_USER, threadId);
            } catch (RuntimeException ignored) {
                // The thread is the eval's scratch space; the trace, which the results link to, is kept either way.
            }
        }
        var seen = new Observation(reply.toString(), trace, end, runId, micros, in, out, error);
        return new CaseResult(c, seen, grading.grade(c.graders(), c.messages().getLast(), seen));
    }

    /** What one turn's stream said: the thread, the assistant's text, an error. */
    private static final class TurnEvents {
        String threadId;
        final StringBuilder reply = new StringBuilder();
        String error;

        void accept(ThreadStreamEvent event) {
            switch (event) {
                case ThreadStreamEvent.ThreadCreated created -> threadId = created.thread().id();
                case ThreadStreamEvent.ItemDone(ThreadItem.AssistantMessage m) -> {
                    if (!reply.isEmpty()) reply.append("\n\n");
                    reply.append(m.text());
                }
                case ThreadStreamEvent.Error e -> error = e.message() == null ? e.code() : e.message();
                default -> {}
            }
        }
    }
}
