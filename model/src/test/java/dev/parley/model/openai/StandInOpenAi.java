package dev.parley.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for OpenAI on loopback. Each request takes the next scripted reply and is recorded. The replies
 * are OpenAI's wire formats: Responses API SSE events, Chat Completions chunks ending in {@code [DONE]}, and
 * error bodies {@code {"error":{"message","type","param","code"}}}. Replies in which the model calls functions
 * are in {@link StandInToolCalls}; replies in which OpenAI runs file or web searches and cites what it found, in
 * {@link StandInHostedTools}. {@link #requests()} keeps each request's body, so a test can check what was sent.
 */
public final class StandInOpenAi implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Recorded(String method, String path, Map<String, String> headers, String body, long arrivedNanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What the stand-in answers. */
    public sealed interface Reply permits Json, Sse, Hang {}

    public record Json(int status, String body, Map<String, String> headers) implements Reply {}

    /**
     * Server-sent events, flushed one by one.
     *
     * @param cut close the connection abruptly after the frames (a fixed length that is never reached), instead
     *            of ending the chunked body cleanly
     */
    public record Sse(List<String> frames, boolean cut) implements Reply {}

    /** Accepts the request and never answers. */
    public record Hang() implements Reply {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private StandInOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static StandInOpenAi start() {
        try {
            return new StandInOpenAi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the base URL to configure, with {@code /v1} as OpenAI's has} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues replies for the next requests, in order. */
    public StandInOpenAi then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    Recorded request(int index) {
        return requests.get(index);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body,
                System.nanoTime()));
        Reply reply = script.poll();
        if (reply == null) reply = error(500, "The stand-in has no reply scripted for this request", "server_error",
                null, null);
        try {
            switch (reply) {
                case Json json -> {
                    json.headers().forEach(exchange.getResponseHeaders()::add);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    byte[] bytes = json.body().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(json.status(), bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
                case Sse sse -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
                    // A length that is never reached makes close() drop the connection mid-body.
                    exchange.sendResponseHeaders(200, sse.cut() ? 1 << 20 : 0);
                    OutputStream out = exchange.getResponseBody();
                    for (String frame : sse.frames()) {
                        out.write(frame.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
                case Hang hang -> closing.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // For a cut reply the body is short of its length: close() then fails inside and drops the connection.
            exchange.close();
        }
    }

    // ---- OpenAI's wire formats ----

    /** {@return an OpenAI error body with its status} */
    public static Json error(int status, String message, String type, String param, String code, String... headerPairs) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) headers.put(headerPairs[i], headerPairs[i + 1]);
        return new Json(status, body.toString(), headers);
    }

    /** {@return a Responses API stream that delivers {@code deltas} and completes with usage 11 in / 7 out} */
    public static Sse responsesStream(String... deltas) {
        List<String> frames = responsesFrames(deltas);
        return new Sse(frames, false);
    }

    /**
     * {@return a Responses API stream that stops after {@code deltas}, before {@code response.completed}}
     *
     * @param abrupt drop the connection (else the body ends cleanly)
     */
    public static Sse responsesStreamCut(boolean abrupt, String... deltas) {
        List<String> frames = responsesFrames(deltas);
        int keep = 4 + deltas.length; // created, in_progress, item added, part added, then the deltas
        return new Sse(frames.subList(0, keep), abrupt);
    }

    /** {@return a Responses API stream that delivers {@code delta}, then ends in {@code response.failed}} */
    static Sse responsesStreamFailed(String delta) {
        List<String> frames = new ArrayList<>(responsesFrames(delta).subList(0, 5));
        ObjectNode failed = event("response.failed", 5);
        ObjectNode response = response("failed", null);
        response.putObject("error").put("code", "server_error").put("message", "The model had an internal error.");
        failed.set("response", response);
        frames.add(frame(failed));
        return new Sse(frames, false);
    }

    /** {@return a Responses API stream that delivers {@code delta}, then sends an {@code error} event} */
    static Sse responsesStreamError(String delta) {
        List<String> frames = new ArrayList<>(responsesFrames(delta).subList(0, 5));
        ObjectNode error = event("error", 5);
        error.put("code", "rate_limit_exceeded").put("message", "Rate limit reached mid-stream.").putNull("param");
        frames.add(frame(error));
        return new Sse(frames, false);
    }

    /** {@return a non-streamed Responses API reply whose output text is {@code text}} */
    public static Json responsesJson(String text) {
        return new Json(200, response("completed", text).toString(), Map.of());
    }

    /** {@return a Chat Completions stream: role chunk, {@code deltas}, finish chunk, usage chunk, [DONE]} */
    public static Sse chatStream(String... deltas) {
        return new Sse(chatFrames(true, deltas), false);
    }

    /** {@return a Chat Completions stream that ends with [DONE] but no finish_reason} */
    static Sse chatStreamWithoutFinish(String... deltas) {
        return new Sse(chatFrames(false, deltas), false);
    }

    /** {@return a Chat Completions stream dropped after {@code deltas}} */
    static Sse chatStreamCut(String... deltas) {
        List<String> frames = chatFrames(true, deltas);
        return new Sse(frames.subList(0, 1 + deltas.length), true);
    }

    /** {@return a non-streamed Chat Completions reply} */
    static Json chatJson(String text) {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-standin");
        completion.put("object", "chat.completion");
        completion.put("created", 1_764_000_000L);
        completion.put("model", "llama3.2");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        choice.put("finish_reason", "stop");
        ObjectNode usage = completion.putObject("usage");
        usage.put("prompt_tokens", 21);
        usage.put("completion_tokens", 9);
        usage.put("total_tokens", 30);
        return new Json(200, completion.toString(), Map.of());
    }

    private static List<String> responsesFrames(String... deltas) {
        List<String> frames = openingFrames();
        int seq = frames.size();
        ObjectNode itemAdded = event("response.output_item.added", seq++);
        itemAdded.put("output_index", 0);
        itemAdded.set("item", message("in_progress", null));
        frames.add(frame(itemAdded));
        ObjectNode partAdded = event("response.content_part.added", seq++);
        partAdded.put("item_id", MESSAGE_ID).put("output_index", 0).put("content_index", 0);
        partAdded.set("part", outputText(""));
        frames.add(frame(partAdded));
        StringBuilder text = new StringBuilder();
        for (String delta : deltas) {
            ObjectNode d = event("response.output_text.delta", seq++);
            d.put("item_id", MESSAGE_ID).put("output_index", 0).put("content_index", 0).put("delta", delta);
            d.putArray("logprobs");
            d.put("obfuscation", "Xy3");
            frames.add(frame(d));
            text.append(delta);
        }
        ObjectNode textDone = event("response.output_text.done", seq++);
        textDone.put("item_id", MESSAGE_ID).put("output_index", 0).put("content_index", 0).put("text", text.toString());
        textDone.putArray("logprobs");
        frames.add(frame(textDone));
        ObjectNode partDone = event("response.content_part.done", seq++);
        partDone.put("item_id", MESSAGE_ID).put("output_index", 0).put("content_index", 0);
        partDone.set("part", outputText(text.toString()));
        frames.add(frame(partDone));
        ObjectNode itemDone = event("response.output_item.done", seq++);
        itemDone.put("output_index", 0);
        itemDone.set("item", message("completed", text.toString()));
        frames.add(frame(itemDone));
        ObjectNode completed = event("response.completed", seq);
        completed.set("response", response("completed", text.toString()));
        frames.add(frame(completed));
        return frames;
    }

    static final String RESPONSE_ID = "resp_68f0c0ffee";
    private static final String MESSAGE_ID = "msg_68f0c0ffee";

    /** {@return the two events every Responses stream starts with: created, then in progress} */
    static List<String> openingFrames() {
        List<String> frames = new ArrayList<>();
        for (String type : List.of("response.created", "response.in_progress")) {
            ObjectNode e = event(type, frames.size());
            e.set("response", response("in_progress", null));
            frames.add(frame(e));
        }
        return frames;
    }

    static ObjectNode event(String type, int sequence) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type);
        e.put("sequence_number", sequence);
        return e;
    }

    // As OpenAI sends them: the event name on its own line, then the JSON, then a blank line.
    static String frame(ObjectNode event) {
        return "event: " + event.get("type").asText() + "\ndata: " + event + "\n\n";
    }

    static ObjectNode response(String status, String text) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", RESPONSE_ID);
        r.put("object", "response");
        r.put("created_at", 1_764_000_000L);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.putNull("instructions");
        r.putNull("max_output_tokens");
        r.put("model", "gpt-5-nano-2025-08-07");
        ArrayNode output = r.putArray("output");
        if (text != null) output.add(message("completed", text));
        r.put("parallel_tool_calls", true);
        r.putNull("previous_response_id");
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.putNull("effort");
        reasoning.putNull("summary");
        r.put("service_tier", "default");
        r.put("store", true);
        r.put("temperature", 1.0);
        r.putObject("text").putObject("format").put("type", "text");
        r.put("tool_choice", "auto");
        r.putArray("tools");
        r.put("top_p", 1.0);
        r.put("truncation", "disabled");
        if ("completed".equals(status)) {
            ObjectNode usage = r.putObject("usage");
            usage.put("input_tokens", 11);
            usage.putObject("input_tokens_details").put("cached_tokens", 0);
            usage.put("output_tokens", 7);
            usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            usage.put("total_tokens", 18);
        } else {
            r.putNull("usage");
        }
        r.putNull("user");
        r.putObject("metadata");
        return r;
    }

    private static ObjectNode message(String status, String text) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", MESSAGE_ID);
        m.put("type", "message");
        m.put("status", status);
        m.put("role", "assistant");
        ArrayNode content = m.putArray("content");
        if (text != null) content.add(outputText(text));
        return m;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = JSON.createObjectNode();
        part.put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    private static List<String> chatFrames(boolean finish, String... deltas) {
        List<String> frames = new ArrayList<>();
        ObjectNode first = chunk();
        ObjectNode roleDelta = first.withArrayProperty("choices").addObject().put("index", 0);
        roleDelta.putObject("delta").put("role", "assistant").put("content", "");
        roleDelta.putNull("finish_reason");
        frames.add(data(first));
        for (String delta : deltas) {
            ObjectNode c = chunk();
            ObjectNode choice = c.withArrayProperty("choices").addObject().put("index", 0);
            choice.putObject("delta").put("content", delta);
            choice.putNull("finish_reason");
            frames.add(data(c));
        }
        if (finish) {
            ObjectNode last = chunk();
            ObjectNode choice = last.withArrayProperty("choices").addObject().put("index", 0);
            choice.putObject("delta");
            choice.put("finish_reason", "stop");
            frames.add(data(last));
        }
        ObjectNode usage = chunk();
        usage.putArray("choices");
        ObjectNode u = usage.putObject("usage");
        u.put("prompt_tokens", 21).put("completion_tokens", 9).put("total_tokens", 30);
        frames.add(data(usage));
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    static ObjectNode chunk() {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-standin");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1_764_000_000L);
        c.put("model", "llama3.2");
        c.put("system_fingerprint", "fp_ollama");
        c.putArray("choices");
        return c;
    }

    static String data(ObjectNode chunk) {
        return "data: " + chunk + "\n\n";
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
