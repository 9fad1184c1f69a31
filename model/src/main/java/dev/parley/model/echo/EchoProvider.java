package dev.parley.model.echo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Category;
import dev.parley.model.Completion;
import dev.parley.model.JsonText;
import dev.parley.model.ModelException;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.ToolSpec;
import dev.parley.model.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider that answers instantly and predictably, for smoke tests and load benchmarks of everything around
 * the model ({@code PARLEY_MODEL_PROVIDER=echo}): text is "You said: …" streamed word by word; a classification
 * picks the first category whose name appears in the input, else the first one. Not an assistant.
 *
 * <p>Tool calls are scripted by the input. When the request offers tools and has no exchanges yet, each input
 * line of the form {@code call <tool_name> <json arguments>} that names an offered tool becomes a
 * {@link ToolCall} (ids {@code call_echo_1}, {@code call_echo_2}, … in line order; arguments passed on as
 * written, {@code {}} when the line has none), and the completion returns them with no text. Once exchanges are
 * present the reply quotes each output instead, in order: {@code "<tool_name> said: <output>"}, separated by a
 * space, streamed word by word like any echo. Lines that name no offered tool are echoed as usual.
 *
 * <p>A request's {@linkplain TextRequest#hostedTools() hosted tools} are ignored rather than refused: the echo is a
 * stand-in for a model, so it searches nothing, cites nothing and never reports a search starting, and the rest of
 * the reply is as without them. {@link #runs} stays false all the same, since it cannot actually search.
 */
public final class EchoProvider implements ModelProvider {
    public static final String NAME = "echo";
    private static final Pattern CALL = Pattern.compile("(?m)^[ \\t]*call[ \\t]+(\\S+)[ \\t]*(.*?)[ \\t]*$");

    private final Duration pace;

    /** An echo that answers at once. */
    public EchoProvider() {
        this(Duration.ZERO);
    }

    /**
     * An echo that waits {@code pace} before each piece of text, as a model streaming at that speed would: load
     * tests use it to hold many streams open at once.
     */
    public EchoProvider(Duration pace) {
        if (pace.isNegative()) throw new IllegalArgumentException("pace must not be negative");
        this.pace = pace;
    }

    @Override
    public boolean callsFunctions() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        String said = request.input() == null ? "" : request.input().strip();
        if (request.exchanges().isEmpty()) {
            List<ToolCall> calls = scriptedCalls(request, said);
            if (!calls.isEmpty()) return new Completion("", Usage.NONE, List.of(), calls);
        }
        String reply;
        if (!request.exchanges().isEmpty()) {
            List<String> quotes = new ArrayList<>();
            for (ToolExchange e : request.exchanges()) quotes.add(e.call().name() + " said: " + e.output());
            reply = String.join(" ", quotes);
        } else {
            reply = said.isEmpty() ? "Nothing to echo." : "You said: " + said;
        }
        for (int at = 0, end; at < reply.length(); at = end) {
            end = pieceEnd(reply, at);
            if (!pace.isZero()) sleep();
            if (!onDelta.accept(reply.substring(at, end))) return new Completion(reply.substring(0, end), Usage.NONE);
        }
        return new Completion(reply, Usage.NONE);
    }

    /**
     * {@return where the piece starting at {@code at} ends}: a word and the spaces after it, or the spaces before
     * the first word (the pieces of {@code \S+\s*|\s+}, scanned by hand: this runs once per streamed piece).
     */
    static int pieceEnd(String text, int at) {
        int i = at;
        while (i < text.length() && !space(text.charAt(i))) i++;
        while (i < text.length() && space(text.charAt(i))) i++;
        return i;
    }

    /** Java's {@code \s}: ASCII whitespace only. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static List<ToolCall> scriptedCalls(TextRequest request, String input) {
        if (request.tools().isEmpty()) return List.of();
        Set<String> offered = new HashSet<>();
        for (ToolSpec t : request.tools()) offered.add(t.name());
        List<ToolCall> calls = new ArrayList<>();
        Matcher line = CALL.matcher(input);
        while (line.find()) {
            if (!offered.contains(line.group(1))) continue;
            String arguments = line.group(2).isEmpty() ? "{}" : line.group(2);
            calls.add(new ToolCall("call_echo_" + (calls.size() + 1), line.group(1), arguments));
        }
        return calls;
    }

    private void sleep() {
        try {
            Thread.sleep(pace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("The echo was interrupted", "The reply was interrupted.", true, e);
        }
    }

    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        if (request.categories().isEmpty()) {
            throw new ModelException("The echo provider only answers classifications, not the schema " + request.schemaName(),
                    "This assistant runs without a model and cannot answer that step.", false, null);
        }
        String input = request.input() == null ? "" : request.input().toLowerCase(Locale.ROOT);
        Category chosen = request.categories().getFirst();
        for (Category c : request.categories()) {
            if (input.contains(c.name().toLowerCase(Locale.ROOT).replace('_', ' ')) || input.contains(c.name())) {
                chosen = c;
                break;
            }
        }
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("category", chosen.name()).put("confidence", 1.0)
                .put("reason", "The echo provider picked " + chosen.name() + ".");
        return new StructuredCompletion(value, JsonText.of(value), Usage.NONE);
    }
}
