package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.web.session.SessionService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server started in hosted mode: its session route is OpenAI's, through the stand-in upstream. */
class HostedModeServerTest {
    @TempDir Path dir;

    @Test
    void theSessionRouteCreatesSessionsUpstream() throws Exception {
        try (StandInChatKitSessions upstream = StandInChatKitSessions.start()) {
            HostedConfig hosted = HostedConfig.fromEnv(Map.of(HostedConfig.SESSION_MODE, "hosted",
                    HostedConfig.OPENAI_API_KEY, "sk-hosted-test", HostedConfig.OPENAI_BASE_URL, upstream.baseUrl(),
                    HostedConfig.WORKFLOW_ID, "wf_68e3b1c2d4e5f6a7"));
            ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
            try (var server = ParleyServer.start(config, AssistantConfig.defaults(), WorkflowChatTest.KEYWORDS, hosted)) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.baseUri().resolve(SessionService.PATH)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).contains(StandInChatKitSessions.CLIENT_SECRET);
                assertThat(r.headers().firstValue("Set-Cookie")).isPresent();
                assertThat(upstream.requests()).hasSize(1);
                assertThat(upstream.requests().getFirst().body()).contains("wf_68e3b1c2d4e5f6a7");
                // Parley's own /chatkit tells a page that sends it an OpenAI secret what is wrong.
                HttpResponse<String> wrong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.baseUri().resolve("/chatkit")).header("Authorization", "Bearer " + StandInChatKitSessions.CLIENT_SECRET)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"threads.list\",\"params\":{}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(wrong.statusCode()).isEqualTo(401);
                assertThat(wrong.body()).contains("OpenAI ChatKit client secret");
            }
        }
    }
}
