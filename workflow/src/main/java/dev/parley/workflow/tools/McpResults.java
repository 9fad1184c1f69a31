package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns what an MCP server answered (or how it failed) into what the model and the trace are given. */
final class McpResults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT_CHARS = 200;
    private static final String GIVE_UP = " Tell the user it could not be done right now; do not guess the result.";
    private static final String RETRY_OR_GIVE_UP = " If the arguments were wrong, call it again with corrected ones;"
            + " otherwise tell the user it could not be done right now.";

    private McpResults() {}

    static McpCallResult answered(String tool, String where, McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        if (result.content() != null) for (McpSchema.Content c : result.content()) parts.add(describe(c));
        String text = String.join("\n", parts);

        JsonNode structured = result.structuredContent() == null ? null : JSON.valueToTree(result.structuredContent());
        if (structured != null && structured.isNull()) structured = null;
        String structuredNote = "";
        if (structured != null && utf8Length(structured.toString()) > McpServers.MAX_RESULT_BYTES) {
            structured = null;
            structuredNote = "[Parley: the tool's structured content was larger than " + kib()
                    + " and was left out.]";
        }
        // The spec asks servers to repeat structured content as text, but not all do; the model needs one of them.
        if (text.isBlank() && structured != null) text = structured.toString();
        if (!structuredNote.isEmpty()) text = text.isEmpty() ? structuredNote : text + "\n\n" + structuredNote;
        text = capped(text);

        if (Boolean.TRUE.equals(result.isError())) {
            // Tool errors are written for the model (spec: "to enable the LLM to self-correct"), so it gets them.
            String said = text.isBlank() ? "(no message)" : text;
            return new McpCallResult.Failed("The tool " + tool + " reported an error: " + said + RETRY_OR_GIVE_UP,
                    where + ": the tool answered isError: " + excerpt(said));
        }
        return new McpCallResult.Ok(text.isEmpty() ? "(the tool answered with no content)" : text, structured);
    }

    static McpCallResult.Failed failed(String tool, String where, McpFailure f, Duration timeout) {
        String detail = where + ": " + f.detail();
        return switch (f.kind()) {
            case TIMEOUT -> give(tool, "it did not answer within " + seconds(timeout) + ".",
                    where + ": no answer within " + timeout.toMillis() + " ms");
            case UNREACHABLE -> give(tool, "its server could not be reached.", detail);
            case AUTH_REFUSED -> give(tool, "its server refused Parley's credentials.", detail);
            case HTTP_STATUS -> give(tool, "its server had an error (HTTP " + f.code() + ").", detail);
            case SESSION_GONE -> give(tool, "its server restarted during the call.", detail);
            case TOO_LARGE -> give(tool, "its answer was too large.", detail);
            case TRANSPORT -> give(tool, "the connection to its server failed.", detail);
            case INTERNAL -> give(tool, "something went wrong inside Parley.", detail);
            case PROTOCOL_ERROR -> f.code() == McpSchema.ErrorCodes.INTERNAL_ERROR
                    // An internal error's message is the server's internals, like a 5xx page.
                    ? give(tool, "its server had an internal error.", detail)
                    : new McpCallResult.Failed("The tool " + tool + " failed: its server refused the call ("
                            + excerpt(f.serverMessage()) + ")." + RETRY_OR_GIVE_UP, detail);
        };
    }

    static McpCallResult.Failed invalidArguments(String tool, List<String> violations) {
        return new McpCallResult.Failed("The tool " + tool + " was not called: its arguments do not match its"
                + " parameters (" + McpTool.Spec.shown(violations) + "). Call it again with arguments that match the"
                + " schema.", "invalid arguments, not sent: " + String.join("; ", violations));
    }

    static McpCallResult.Failed give(String tool, String what, String detail) {
        return new McpCallResult.Failed("The tool " + tool + " failed: " + what + GIVE_UP, detail);
    }

    private static String describe(McpSchema.Content content) {
        return switch (content) {
            case McpSchema.TextContent t -> t.text() == null ? "" : t.text();
            case McpSchema.ImageContent i -> "[image: " + i.mimeType() + "]";
            case McpSchema.AudioContent a -> "[audio: " + a.mimeType() + "]";
            case McpSchema.EmbeddedResource e -> switch (e.resource()) {
                case McpSchema.TextResourceContents r -> "[resource " + r.uri() + "]\n" + r.text();
                case null -> "[resource]";
                default -> "[resource " + e.resource().uri() + ": " + e.resource().mimeType() + "]";
            };
            case McpSchema.ResourceLink l -> "[resource link: " + l.name() + " " + l.uri() + "]";
            default -> "[" + content.type() + " content]";
        };
    }

    /** {@return {@code text} cut to {@link McpServers#MAX_RESULT_BYTES} of UTF-8 on a character boundary, with a note} */
    static String capped(String text) {
        int limit = McpServers.MAX_RESULT_BYTES;
        // A UTF-16 char is at most 3 bytes of UTF-8, so short texts need no counting.
        if (text.length() <= limit / 3 || utf8Length(text) <= limit) return text;
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > limit) break;
            bytes += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end) + "\n\n[Parley: the answer was longer than " + kib()
                + " and was cut here; the rest is missing.]";
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String kib() {
        return McpServers.MAX_RESULT_BYTES / 1024 + " KiB";
    }

    static String excerpt(String text) {
        String flat = String.valueOf(text).strip().replaceAll("\\s+", " ");
        return flat.length() <= EXCERPT_CHARS ? flat : flat.substring(0, EXCERPT_CHARS) + "…";
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
