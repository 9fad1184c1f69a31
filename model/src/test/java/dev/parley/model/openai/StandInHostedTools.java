package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.JSON;
import static dev.parley.model.openai.StandInOpenAi.event;
import static dev.parley.model.openai.StandInOpenAi.frame;
import static dev.parley.model.openai.StandInOpenAi.openingFrames;
import static dev.parley.model.openai.StandInOpenAi.response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replies of the stand-in in which OpenAI runs its hosted tools inside the response, in the Responses API's order:
 * each {@code file_search_call} or {@code web_search_call} item is added, passes through its
 * {@code response.<tool>_call.in_progress}, {@code .searching} and {@code .completed} events, and is done; then the
 * message streams, a {@code response.output_text.annotation.added} following each cited piece, and its
 * {@code content_part.done} and {@code output_item.done} carry the annotations, as does {@code response.completed}.
 * Function calls may follow, as when a model searches and then calls a tool.
 *
 * <pre>{@code
 * server.then(StandInHostedTools.reply()
 *         .webSearch("parley chat server")
 *         .say("Parley speaks ChatKit.", new UrlCitation("https://example.org/parley", "Parley"))
 *         .stream());
 * }</pre>
 */
public final class StandInHostedTools {
    /** Where a piece of the answer came from; it cites the piece it is attached to. */
    public sealed interface Citation permits FileCitation, UrlCitation {}

    /** A file in a vector store; OpenAI places it at the end of the cited text. */
    public record FileCitation(String fileId, String filename) implements Citation {}

    /** A web page; OpenAI gives the span of the cited text. */
    public record UrlCitation(String url, String title) implements Citation {}

    private StandInHostedTools() {}

    /** {@return an empty script: add searches, text and calls in the order the model produces them} */
    public static Script reply() {
        return new Script();
    }

    /** The output items of one response, in order. */
    public static final class Script {
        private sealed interface Item permits Search, Message, FunctionCall {}

        /** @param tool {@code file_search} or {@code web_search} */
        private record Search(String tool, List<String> queries) implements Item {}

        private record Piece(String text, List<Citation> citations) {}

        private record Message(List<Piece> pieces) implements Item {}

        private record FunctionCall(StandInToolCalls.Call call) implements Item {}

        private final List<Item> items = new ArrayList<>();
        private boolean annotationEvents = true;

        private Script() {}

        /**
         * Leaves out the {@code response.output_text.annotation.added} events, as a Responses-compatible server
         * that only reports citations with the finished text does: they are then only in the done events and in
         * {@code response.completed}.
         */
        public Script withoutAnnotationEvents() {
            annotationEvents = false;
            return this;
        }

        /** The model searches the request's vector stores with {@code queries}. */
        public Script fileSearch(String... queries) {
            items.add(new Search("file_search", List.of(queries)));
            return this;
        }

        /** The model searches the web for {@code query}. */
        public Script webSearch(String query) {
            items.add(new Search("web_search", List.of(query)));
            return this;
        }

        /** The model says {@code text} (one delta), citing {@code citations} for it; consecutive pieces form one message. */
        public Script say(String text, Citation... citations) {
            if (items.isEmpty() || !(items.getLast() instanceof Message)) items.add(new Message(new ArrayList<>()));
            ((Message) items.getLast()).pieces().add(new Piece(text, List.of(citations)));
            return this;
        }

        /** The model calls a function. */
        public Script call(StandInToolCalls.Call call) {
            items.add(new FunctionCall(call));
            return this;
        }

        /** {@return the script as a Responses API event stream, completing with usage 11 in / 7 out} */
        public StandInOpenAi.Sse stream() {
            List<String> frames = openingFrames();
            int seq = frames.size();
            for (int i = 0; i < items.size(); i++) {
                seq = switch (items.get(i)) {
                    case Search s -> searchFrames(frames, seq, s, i);
                    case Message m -> messageFrames(frames, seq, m, i, annotationEvents);
                    case FunctionCall f -> StandInToolCalls.addCallFrames(frames, seq, f.call(), i);
                };
            }
            ObjectNode completed = event("response.completed", seq);
            completed.set("response", finished());
            frames.add(frame(completed));
            return new StandInOpenAi.Sse(frames, false);
        }

        /** {@return the script as the non-streamed response} */
        public StandInOpenAi.Json json() {
            return new StandInOpenAi.Json(200, finished().toString(), Map.of());
        }

        private ObjectNode finished() {
            ObjectNode response = response("completed", null);
            ArrayNode output = response.withArrayProperty("output");
            for (int i = 0; i < items.size(); i++) output.add(done(items.get(i), i));
            return response;
        }

        private static ObjectNode done(Item item, int index) {
            return switch (item) {
                case Search s -> searchItem(s, index, "completed");
                case Message m -> message(index, "completed", m);
                case FunctionCall f -> StandInToolCalls.functionCall(f.call(), index, "completed", f.call().arguments());
            };
        }
    }

    private static int searchFrames(List<String> frames, int seq, Script.Search search, int index) {
        ObjectNode added = event("response.output_item.added", seq++);
        added.put("output_index", index);
        added.set("item", searchItem(search, index, "in_progress"));
        frames.add(frame(added));
        for (String phase : List.of("in_progress", "searching", "completed")) {
            ObjectNode progress = event("response." + search.tool() + "_call." + phase, seq++);
            progress.put("output_index", index).put("item_id", searchId(search, index));
            frames.add(frame(progress));
        }
        ObjectNode done = event("response.output_item.done", seq++);
        done.put("output_index", index);
        done.set("item", searchItem(search, index, "completed"));
        frames.add(frame(done));
        return seq;
    }

    private static int messageFrames(List<String> frames, int seq, Script.Message message, int index,
            boolean annotationEvents) {
        String id = messageId(index);
        ObjectNode added = event("response.output_item.added", seq++);
        added.put("output_index", index);
        added.set("item", message(index, "in_progress", null));
        frames.add(frame(added));
        ObjectNode partAdded = event("response.content_part.added", seq++);
        partAdded.put("item_id", id).put("output_index", index).put("content_index", 0);
        partAdded.set("part", outputText("", JSON.createArrayNode()));
        frames.add(frame(partAdded));
        StringBuilder text = new StringBuilder();
        ArrayNode annotations = JSON.createArrayNode();
        for (Script.Piece piece : message.pieces()) {
            ObjectNode delta = event("response.output_text.delta", seq++);
            delta.put("item_id", id).put("output_index", index).put("content_index", 0).put("delta", piece.text());
            delta.putArray("logprobs");
            delta.put("obfuscation", "Xy3");
            frames.add(frame(delta));
            int start = text.length();
            text.append(piece.text());
            for (Citation citation : piece.citations()) {
                ObjectNode annotation = annotation(citation, start, text.length());
                if (!annotationEvents) {
                    annotations.add(annotation);
                    continue;
                }
                ObjectNode cited = event("response.output_text.annotation.added", seq++);
                cited.put("item_id", id).put("output_index", index).put("content_index", 0)
                        .put("annotation_index", annotations.size());
                cited.set("annotation", annotation);
                frames.add(frame(cited));
                annotations.add(annotation);
            }
        }
        // As OpenAI sends it: the text's done event has no annotations; the part and the item that follow do.
        ObjectNode textDone = event("response.output_text.done", seq++);
        textDone.put("item_id", id).put("output_index", index).put("content_index", 0).put("text", text.toString());
        textDone.putArray("logprobs");
        frames.add(frame(textDone));
        ObjectNode partDone = event("response.content_part.done", seq++);
        partDone.put("item_id", id).put("output_index", index).put("content_index", 0);
        partDone.set("part", outputText(text.toString(), annotations));
        frames.add(frame(partDone));
        ObjectNode itemDone = event("response.output_item.done", seq++);
        itemDone.put("output_index", index);
        itemDone.set("item", message(index, "completed", message));
        frames.add(frame(itemDone));
        return seq;
    }

    private static ObjectNode searchItem(Script.Search search, int index, String status) {
        boolean done = status.equals("completed");
        ObjectNode item = JSON.createObjectNode();
        item.put("id", searchId(search, index));
        item.put("type", search.tool() + "_call");
        item.put("status", status);
        if (search.tool().equals("file_search")) {
            ArrayNode queries = item.putArray("queries");
            if (done) search.queries().forEach(queries::add);
            // Only present when the request includes file_search_call.results.
            item.putNull("results");
        } else {
            ObjectNode action = item.putObject("action").put("type", "search");
            if (done) action.put("query", search.queries().getFirst());
        }
        return item;
    }

    private static String searchId(Script.Search search, int index) {
        return (search.tool().equals("file_search") ? "fs_" : "ws_") + "68f0c0ffee" + index;
    }

    private static String messageId(int index) {
        return "msg_68f0c0ffee" + index;
    }

    /** @param message null for the opened item, whose content is still empty */
    private static ObjectNode message(int index, String status, Script.Message message) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", messageId(index));
        m.put("type", "message");
        m.put("status", status);
        ArrayNode content = m.putArray("content");
        m.put("role", "assistant");
        if (message == null) return m;
        StringBuilder text = new StringBuilder();
        ArrayNode annotations = JSON.createArrayNode();
        for (Script.Piece piece : message.pieces()) {
            int start = text.length();
            text.append(piece.text());
            for (Citation c : piece.citations()) annotations.add(annotation(c, start, text.length()));
        }
        content.add(outputText(text.toString(), annotations));
        return m;
    }

    private static ObjectNode outputText(String text, ArrayNode annotations) {
        ObjectNode part = JSON.createObjectNode();
        part.put("type", "output_text");
        part.set("annotations", annotations.deepCopy());
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    private static ObjectNode annotation(Citation citation, int start, int end) {
        ObjectNode a = JSON.createObjectNode();
        switch (citation) {
            case FileCitation f -> a.put("type", "file_citation").put("file_id", f.fileId())
                    .put("filename", f.filename()).put("index", end);
            case UrlCitation u -> a.put("type", "url_citation").put("start_index", start).put("end_index", end)
                    .put("url", u.url()).put("title", u.title());
        }
        return a;
    }
}
