package dev.parley.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.EchoResponder;
import dev.parley.server.Responder;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An application with no login on a real Tomcat: the session route gives each browser a visitor cookie, and the
 * cookie alone decides whose conversations a request sees.
 */
class VisitorSessionTest {
    @TempDir
    static Path dir;
    static ConfigurableApplicationContext app;
    static String base;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class NoLoginApp {
        @Bean
        Responder responder() {
            return new EchoResponder();
        }
    }

    @BeforeAll
    static void start() {
        app = new SpringApplicationBuilder(NoLoginApp.class).properties(
                "server.port=0", "parley.store.type=sqlite", "parley.store.sqlite-file=" + dir.resolve("v.db"),
                "parley.path=/assistant/chatkit").run();
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/assistant/chatkit";
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @Test
    void eachVisitorCookieIsItsOwnUser() throws Exception {
        HttpClient anna = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpClient ben = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> before = post(anna, base, "{\"type\":\"threads.list\",\"params\":{}}");
        assertThat(before.statusCode()).isEqualTo(401);
        assertThat(before.body()).contains("/assistant/chatkit/session");

        HttpResponse<String> session = post(anna, base + "/session", "");
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(PrincipalOrVisitor.COOKIE + "=").contains("HttpOnly").contains("SameSite=Lax"));
        post(ben, base + "/session", "");

        HttpResponse<String> created = post(anna, base, "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":"
                + "[{\"type\":\"input_text\",\"text\":\"hello\"}],\"attachments\":[],\"inference_options\":{}}}}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).startsWith("data: {\"type\":\"thread.created\"");
        String thread = created.body().replaceFirst("(?s).*?\"thread\":\\{\"id\":\"([^\"]+)\".*", "$1");

        String list = "{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\"}}";
        assertThat(post(anna, base, list).statusCode()).isEqualTo(200);
        assertThat(post(ben, base, list).statusCode()).isEqualTo(404);
        assertThat(post(ben, base, "{\"type\":\"threads.list\",\"params\":{}}").body()).doesNotContain(thread);
    }

    private static HttpResponse<String> post(HttpClient client, String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
