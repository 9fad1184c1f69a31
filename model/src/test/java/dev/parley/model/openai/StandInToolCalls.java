package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.JSON;
import static dev.parley.model.openai.StandInOpenAi.chunk;
import static dev.parley.model.openai.StandInOpenAi.data;
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
 * Replies of the stand-in in which the model calls functions, in the wire formats OpenAI documents: a Responses
 * API stream whose output holds a reasoning item and then {@code function_call} items (arguments streamed as
 * {@code response.function_call_arguments.delta}), and a Chat Completions stream whose deltas carry
 * {@code tool_calls} pieces by index, ending with {@code finish_reason: "tool_calls"}.
 */
public final class StandInToolCalls {
    /**
     * One call as the model streams it.
     *
     * @param argumentPieces the argument text in the pieces it arrives in
     */
    public record Call(String callId, String name, List<String> argumentPieces) {
        public Call(String callId, String name, String... argumentPieces) {
            this(callId, name, List.of(argumentPieces));
        }

        String arguments() {
            return String.join("", argumentPieces);
        }
    }

    private StandInToolCalls() {}

    /** {@return a Responses API stream in which a reasoning model calls {@code calls} (parallel when several)} */
    public static StandInOpenAi.Sse responsesCalling(Call... calls) {
        List<String> frames = openingFrames();
        int seq = frames.size();
        // Reasoning models put their (hidden) reasoning first; it is an output item the provider must skip.
        ObjectNode reasoningAdded = event("response.output_item.added", seq++);
        reasoningAdded.put("output_index", 0);
        reasoningAdded.set("item", reasoning());
        frames.add(frame(reasoningAdded));
        ObjectNode reasoningDone = event("response.output_item.done", seq++);
        reasoningDone.put("output_index", 0);
        reasoningDone.set("item", reasoning());
        frames.add(frame(reasoningDone));
        for (int i = 0; i < calls.length; i++) seq = addCallFrames(frames, seq, calls[i], i + 1);
        ObjectNode completed = event("response.completed", seq);
        ObjectNode response = response("completed", null);
        ArrayNode output = response.withArrayProperty("output");
        output.add(reasoning());
        for (int i = 0; i < calls.length; i++) output.add(functionCall(calls[i], i + 1, "completed", calls[i].arguments()));
        completed.set("response", response);
        frames.add(frame(completed));
        return new StandInOpenAi.Sse(frames, false);
    }

    /**
     * Adds the events of one streamed function call at {@code outputIndex}: item added, argument pieces, arguments
     * done, item done. {@return the next sequence number}
     */
    static int addCallFrames(List<String> frames, int seq, Call call, int outputIndex) {
        ObjectNode added = event("response.output_item.added", seq++);
        added.put("output_index", outputIndex);
        added.set("item", functionCall(call, outputIndex, "in_progress", ""));
        frames.add(frame(added));
        for (String piece : call.argumentPieces()) {
            ObjectNode delta = event("response.function_call_arguments.delta", seq++);
            delta.put("item_id", itemId(outputIndex)).put("output_index", outputIndex).put("delta", piece);
            delta.put("obfuscation", "q7Lk");
            frames.add(frame(delta));
        }
        ObjectNode argumentsDone = event("response.function_call_arguments.done", seq++);
        argumentsDone.put("item_id", itemId(outputIndex)).put("output_index", outputIndex)
                .put("arguments", call.arguments());
        frames.add(frame(argumentsDone));
        ObjectNode done = event("response.output_item.done", seq++);
        done.put("output_index", outputIndex);
        done.set("item", functionCall(call, outputIndex, "completed", call.arguments()));
        frames.add(frame(done));
        return seq;
    }

    /** {@return a non-streamed Responses API reply whose output is a reasoning item and then {@code calls}} */
    public static StandInOpenAi.Json responsesJsonCalling(Call... calls) {
        ObjectNode response = response("completed", null);
        ArrayNode output = response.withArrayProperty("output");
        output.add(reasoning());
        for (int i = 0; i < calls.length; i++) output.add(functionCall(calls[i], i + 1, "completed", calls[i].arguments()));
        return new StandInOpenAi.Json(200, response.toString(), Map.of());
    }

    /**
     * {@return a Chat Completions stream that says {@code preamble} (when not null) and then calls {@code calls}:
     * each call's first piece carries its index, id and name with empty arguments, the rest only argument text}
     */
    public static StandInOpenAi.Sse chatCalling(String preamble, Call... calls) {
        List<String> frames = new ArrayList<>();
        ObjectNode first = chunk();
        ObjectNode firstChoice = choice(first);
        ObjectNode firstDelta = firstChoice.putObject("delta").put("role", "assistant");
        if (preamble == null) {
            // OpenAI's shape: the role chunk already opens the first call, with content null.
            firstDelta.putNull("content");
            toolCallHeader(firstDelta.putArray("tool_calls"), 0, calls[0]);
        } else {
            firstDelta.put("content", "");
        }
        firstDelta.putNull("refusal");
        firstChoice.putNull("logprobs").putNull("finish_reason");
        frames.add(data(first));
        if (preamble != null) {
            ObjectNode said = chunk();
            ObjectNode choice = choice(said);
            choice.putObject("delta").put("content", preamble);
            choice.putNull("logprobs").putNull("finish_reason");
            frames.add(data(said));
        }
        for (int i = 0; i < calls.length; i++) {
            if (i > 0 || preamble != null) {
                ObjectNode header = chunk();
                ObjectNode choice = choice(header);
                toolCallHeader(choice.putObject("delta").putArray("tool_calls"), i, calls[i]);
                choice.putNull("logprobs").putNull("finish_reason");
                frames.add(data(header));
            }
            for (String piece : calls[i].argumentPieces()) {
                ObjectNode c = chunk();
                ObjectNode choice = choice(c);
                ObjectNode toolCall = choice.putObject("delta").putArray("tool_calls").addObject();
                toolCall.put("index", i).putObject("function").put("arguments", piece);
                choice.putNull("logprobs").putNull("finish_reason");
                frames.add(data(c));
            }
        }
        ObjectNode last = chunk();
        ObjectNode lastChoice = choice(last);
        lastChoice.putObject("delta");
        lastChoice.putNull("logprobs").put("finish_reason", "tool_calls");
        frames.add(data(last));
        ObjectNode usage = chunk();
        usage.withArrayProperty("choices");
        usage.putObject("usage").put("prompt_tokens", 82).put("completion_tokens", 17).put("total_tokens", 99);
        frames.add(data(usage));
        frames.add("data: [DONE]\n\n");
        return new StandInOpenAi.Sse(frames, false);
    }

    private static ObjectNode choice(ObjectNode chunk) {
        return chunk.withArrayProperty("choices").addObject().put("index", 0);
    }

    private static void toolCallHeader(ArrayNode toolCalls, int index, Call call) {
        ObjectNode header = toolCalls.addObject().put("index", index).put("id", call.callId()).put("type", "function");
        header.putObject("function").put("name", call.name()).put("arguments", "");
    }

    private static String itemId(int outputIndex) {
        return "fc_68f0c0ffee" + outputIndex;
    }

    static ObjectNode functionCall(Call call, int outputIndex, String status, String arguments) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", itemId(outputIndex));
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", call.callId());
        item.put("name", call.name());
        return item;
    }

    private static ObjectNode reasoning() {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", "rs_68f0c0ffee");
        item.put("type", "reasoning");
        item.putArray("summary");
        return item;
    }
}
