package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.testing.KeywordModel;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.config.AssistantConfig;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Guessing the admin token: refused, counted per address, answered with 429 after a few tries, never logged. */
class AdminAuthTest {
    private static final String TOKEN = "admin-token-for-tests-0123456789";

    private static TestServer.Response get(TestServer server, String path, String token) {
        var request = HttpRequest.newBuilder(server.uri(path)).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        return server.send(request);
    }

    @Test
    void guessesAreCountedPerAddressAndThenRefusedWith429AndRetryAfter() {
        var logged = new CopyOnWriteArrayList<LogRecord>();
        Logger logger = Logger.getLogger(AdminAuth.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        try (TestServer server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), new KeywordModel())) {
            assertThat(get(server, "/admin/workflows", TOKEN).status()).isEqualTo(200);
            for (int i = 0; i < AdminAuth.FAILURES_PER_MINUTE; i++) {
                String guess = i % 2 == 0 ? "guess-" + i + "-0123456789abcdef0123" : null;
                TestServer.Response r = get(server, i % 3 == 0 ? "/admin/workflows" : "/admin/users/u1/threads", guess);
                assertThat(r.status()).as("guess %d", i).isEqualTo(401);
            }
            TestServer.Response limited = get(server, "/admin/workflows", "one-more-guess-0123456789abcdef");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.errorCode()).isEqualTo("too_many_failures");
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
            // While the address waits, even the right token is turned away: trying it is one more guess.
            assertThat(get(server, "/admin/workflows", TOKEN).status()).isEqualTo(429);

            List<String> messages = logged.stream()
                    .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters())).toList();
            assertThat(messages).hasSize(AdminAuth.FAILURES_PER_MINUTE)
                    .allSatisfy(m -> assertThat(m).startsWith("Refused an admin request").contains("127.0.0.1")
                            .doesNotContain("guess").doesNotContain(TOKEN));
        } finally {
            logger.removeHandler(capture);
        }
    }
}
