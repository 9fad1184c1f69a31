package dev.parley.workflow.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the receivers docs/tools.md gives hosts (Python and Node.js) against a request Parley really signed and
 * sent, so the snippets a host copies are known to accept Parley's requests and refuse altered ones. Skipped
 * where python3 or node is not installed.
 */
class WebhookDocsTest {
    private static final Path DOC = Path.of("..", "docs", "tools.md");

    private LoopbackServer server;
    private Webhooks webhooks;

    @AfterEach
    void stop() {
        if (webhooks != null) webhooks.close();
        if (server != null) server.close();
    }

    @Test
    void thePythonReceiverAcceptsParleysRequestAndRefusesAlteredOnes() throws Exception {
        assumeTrue(runs("python3", "--version"), "python3 is not installed");
        String snippet = block("python", "parley_request_is_genuine");
        String harness = snippet + """

                import base64, json, sys
                case = json.load(sys.stdin)
                print(parley_request_is_genuine(case["secret"], case["timestamp"], case["signature"],
                                                base64.b64decode(case["body"])))
                """;
        check(body -> run(List.of("python3", "-c", harness), body).equals("True"));
    }

    @Test
    void theNodeReceiverAcceptsParleysRequestAndRefusesAlteredOnes() throws Exception {
        assumeTrue(runs("node", "--version"), "node is not installed");
        String snippet = block("js", "parleyRequestIsGenuine");
        String harness = snippet + """

                const c = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
                console.log(String(parleyRequestIsGenuine(c.secret, c.timestamp, c.signature, Buffer.from(c.body, "base64"))));
                """;
        check(body -> run(List.of("node", "-e", harness), body).equals("true"));
    }

    private interface Receiver {
        boolean accepts(String caseJson) throws Exception;
    }

    private void check(Receiver receiver) throws Exception {
        server = new LoopbackServer(ex -> LoopbackServer.answer(ex, 200, "{}"));
        webhooks = new Webhooks(WebhookPolicy.of(List.of(server.hostEntry()),
                WebhookToolTest.SECRET.getBytes(StandardCharsets.UTF_8)));
        webhooks.tool("get_order_status", "", WebhookToolTest.ORDER_PARAMS, server.url("/t"), null)
                .call(WebhookToolTest.json("{\"order_id\":\"A-17\"}"), ToolContext.NONE);
        LoopbackServer.Received got = server.received.getFirst();
        String ts = got.headers().getFirst("Parley-Timestamp");
        String sig = got.headers().getFirst("Parley-Signature");
        byte[] tampered = new String(got.body(), StandardCharsets.UTF_8).replace("17", "18").getBytes(StandardCharsets.UTF_8);
        String stale = Long.toString(Long.parseLong(ts) - 600);

        assertThat(receiver.accepts(caseJson(WebhookToolTest.SECRET, ts, sig, got.body()))).isTrue();
        assertThat(receiver.accepts(caseJson(WebhookToolTest.SECRET, ts, sig, tampered))).isFalse();
        assertThat(receiver.accepts(caseJson(WebhookToolTest.SECRET, stale, sig, got.body()))).isFalse();
        assertThat(receiver.accepts(caseJson("another-secret-0123456789abcdef-xyz", ts, sig, got.body()))).isFalse();
        // One hex digit changed (to one it is not: "v1=00…" left a signature starting 00 unchanged, 1 run in 256).
        String altered = "v1=" + (sig.charAt(3) == '0' ? '1' : '0') + sig.substring(4);
        assertThat(receiver.accepts(caseJson(WebhookToolTest.SECRET, ts, altered, got.body()))).isFalse();
        // A second v1= value, as during a key rotation, does not hide the good one.
        assertThat(receiver.accepts(caseJson(WebhookToolTest.SECRET, ts, "v1=" + "0".repeat(64) + ", " + sig, got.body())))
                .isTrue();
    }

    private static String caseJson(String secret, String ts, String sig, byte[] body) {
        JsonNode node = WebhookToolTest.JSON.createObjectNode().put("secret", secret).put("timestamp", ts)
                .put("signature", sig).put("body", Base64.getEncoder().encodeToString(body));
        return node.toString();
    }

    /** {@return the one fenced block of {@code language} in docs/tools.md that defines {@code function}} */
    private static String block(String language, String function) throws IOException {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> found = new ArrayList<>();
        while (m.find()) if (m.group(1).contains(function)) found.add(m.group(1));
        assertThat(found).as("one ```%s block defining %s in %s", language, function, DOC).hasSize(1);
        return found.getFirst();
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exited with an error; output: %s", command.getFirst(), out).isZero();
        return out;
    }
}
