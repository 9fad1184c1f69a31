package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.echo.EchoProvider;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.tools.McpHosts;
import dev.parley.workflow.tools.McpServers;
import dev.parley.workflow.tools.McpTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents' MCP tools and the {@code mcp} node against the MCP SDK's own server on loopback (streamable HTTP, a bearer
 * token read from the environment): {@code allowed_tools}, {@code require_approval} pausing for the user and
 * resuming on their answer, and a node's structured result read by the next node.
 */
class McpRunTest {
    @TempDir Path dir;
    McpTestServer mcp;
    SqliteStore store;
    Workflows workflows;
    McpBridge bridge;

    @BeforeEach
    void start() {
        mcp = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP, 0, "t0k3n", List.of());
        store = SqliteStore.open(dir.resolve("parley.db"));
        bridge = new McpBridge(new McpServers());
        Map<String, String> env = Map.of("SHOP_MCP_TOKEN", "Bearer t0k3n");
        var toolbox = new Toolbox(new EchoProvider(), null, null, bridge,
                McpHosts.of(List.of("http://127.0.0.1:" + mcp.port())), name -> Optional.ofNullable(env.get(name)));
        workflows = new Workflows(store.storage().workflows(), toolbox, "srv_t");
    }

    @AfterEach
    void stop() {
        bridge.close();
        store.close();
        mcp.close();
    }

    String server(String extra) {
        return """
            {"type": "mcp", "server_label": "shop", "server_url": "%s",
             "headers": {"Authorization": {"env": "SHOP_MCP_TOKEN"}}, %s}""".formatted(mcp.url(), extra);
    }

    void publishAgent(String tool) {
        workflows.publish("""
            {"id": "wf_mcp", "name": "MCP", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "clerk", "type": "agent", "instructions": "Use the shop.", "tools": [%s]},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__clerk.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "clerk"}, {"from": "clerk", "to": "done"}]}
            """.formatted(tool));
    }

    List<ThreadStreamEvent> send(String body) {
        var server = ChatKitServer.builder().store(store).responder(workflows.responder("wf_mcp")).build();
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1"))).body().writeTo(events::add);
        return events;
    }

    List<ThreadStreamEvent> create(String text) {
        return send("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + ChatKitJson.writeStorage(text) + "}],\"attachments\":[],\"inference_options\":{}}}}");
    }

    List<ThreadStreamEvent> say(String thread, String text) {
        return send("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":{\"content\":"
                + "[{\"type\":\"input_text\",\"text\":" + ChatKitJson.writeStorage(text) + "}],\"attachments\":[],\"inference_options\":{}}}}");
    }

    static String reply(List<ThreadStreamEvent> events) {
        for (ThreadStreamEvent e : events.reversed()) {
            if (e instanceof ThreadStreamEvent.ItemDone(ThreadItem.AssistantMessage m)) return m.text();
        }
        throw new AssertionError("no reply in " + events);
    }

    static ThreadItem.Widget widget(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemDone(ThreadItem.Widget w))
                .map(e -> (ThreadItem.Widget) ((ThreadStreamEvent.ItemDone) e).item()).findFirst()
                .orElseThrow(() -> new AssertionError("no approval widget in " + events));
    }

    static String thread(List<ThreadStreamEvent> events) {
        return ((ThreadStreamEvent.ThreadCreated) events.getFirst()).thread().id();
    }

    @Test
    void onlyTheAllowedToolsAreOfferedAndACallNeedingNoApprovalRunsAtOnce() {
        publishAgent(server("\"allowed_tools\": [\"weather\"], \"require_approval\": \"never\""));
        var events = create("call weather {\"city\": \"Oslo\"}\ncall echo {\"text\": \"hi\"}");
        assertThat(reply(events)).startsWith("weather said: 21 °C in Oslo");
        assertThat(mcp.calls).containsExactly("weather {city=Oslo}");
        assertThat(events).contains(new ThreadStreamEvent.ProgressUpdate(null, "Calling shop: weather…"));
    }

    @Test
    void aCallNeedingApprovalPausesAndRunsOnceTheUserApproves() {
        publishAgent(server("\"require_approval\": {\"echo\": \"always\", \"weather\": \"never\"}"));
        var first = create("call echo {\"text\": \"hi\"}");
        ThreadItem.Widget question = widget(first);
        assertThat(question.copyText()).startsWith("Allow the assistant to run echo with {\"text\":\"hi\"}?");
        assertThat(mcp.calls).isEmpty();

        JsonNode payload = question.widget().findValue("payload");
        var second = send("{\"type\":\"threads.custom_action\",\"params\":{\"thread_id\":\"" + thread(first) + "\",\"item_id\":\""
                + question.id() + "\",\"action\":{\"type\":\"parley.approval\",\"payload\":" + payload + "}}}");
        assertThat(mcp.calls).containsExactly("echo {text=hi}");
        assertThat(reply(second)).isEqualTo("echo said: echo: hi");
    }

    @Test
    void aCallTheUserRejectsIsNeverMadeAndTheModelIsTold() {
        publishAgent(server("\"require_approval\": \"always\""));
        var first = create("call echo {\"text\": \"hi\"}");
        widget(first);
        var second = say(thread(first), "no");
        assertThat(mcp.calls).isEmpty();
        assertThat(reply(second)).startsWith("echo said: The user declined this call of echo.");
    }

    @Test
    void anApprovedCallWhoseServerWentAwayIsReportedToTheModelNotCrashed() {
        publishAgent(server("\"require_approval\": \"always\""));
        var first = create("call echo {\"text\": \"hi\"}");
        widget(first);
        mcp.close(); // the server goes down while the user decides
        var second = say(thread(first), "yes");
        // Whether the cached tool list still offers it (the call then fails) or not, the model hears it could not be done.
        assertThat(reply(second)).startsWith("echo said: The tool echo").contains("could not be done");
        assertThat(second).noneMatch(e -> e instanceof ThreadStreamEvent.Error);
    }

    @Test
    void anMcpNodesStructuredResultFeedsTheNextNode() {
        workflows.publish("""
            {"id": "wf_mcp", "name": "MCP node", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "forecast", "type": "mcp", "label": "Checking the weather", "server_label": "shop", "server_url": "%s",
               "headers": {"Authorization": {"env": "SHOP_MCP_TOKEN"}}, "tool": "weather",
               "arguments": {"city": "workflow.input_as_text"}},
              {"id": "say", "type": "transform", "expression": "'It is ' + string(forecast.output_parsed.temp_c) + ' degrees in ' + forecast.output_parsed.city"},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__say.output_parsed__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "forecast"}, {"from": "forecast", "to": "say"}, {"from": "say", "to": "done"}]}
            """.formatted(mcp.url()));
        var events = create("Bergen");
        assertThat(reply(events)).isEqualTo("It is 21 degrees in Bergen");
        assertThat(events).contains(new ThreadStreamEvent.ProgressUpdate(null, "Checking the weather"));
    }
}
