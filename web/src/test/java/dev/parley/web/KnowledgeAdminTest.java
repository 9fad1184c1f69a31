package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.Embedder;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.model.testing.KeywordModel;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;

/** {@code /admin/knowledge…} over real HTTP, on a server whose embedded provider has two knowledge bases. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KnowledgeAdminTest {
    private static final String TOKEN = "admin-token-for-tests-0123456789";
    @TempDir
    static Path knowledge;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(knowledge.resolve("agency"));
        Files.createDirectories(knowledge.resolve("support"));
        Files.writeString(knowledge.resolve("agency/about.md"), "# About us\n\nWe are a small web agency in Utrecht.\n");
        Files.writeString(knowledge.resolve("support/returns.txt"), "Returns are accepted within 30 days.\n");
        Files.writeString(knowledge.resolve("support/faq.html"), "<html><head><title>FAQ</title></head><body>"
                + "<h2>Accounts</h2><p>Reset your password from the sign-in page.</p></body></html>");
        Path data = Files.createTempDirectory("parley-knowledge-");
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(data);
        var bases = KnowledgeBases.open(knowledge, data.resolve(Providers.CACHE_DIR), Embedder.shared(), Duration.ZERO);
        server = TestServer.startWorkflows(config, AssistantConfig.defaults().withAdminToken(TOKEN),
                EmbeddedProvider.open(bases), true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Response call(TestServer s, String method, String path, String token) {
        var request = HttpRequest.newBuilder(s.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) request.header("Authorization", "Bearer " + token);
        return s.send(request);
    }

    @Test
    @Order(1)
    void listsEveryBaseWithItsCounts() {
        TestServer.Response r = call(server, "GET", "/admin/knowledge", TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("default").asText()).isEqualTo("agency");
        List<String> ids = new ArrayList<>();
        r.body().path("data").forEach(b -> ids.add(b.path("id").asText()));
        assertThat(ids).containsExactly("agency", "support");
        JsonNode support = r.body().path("data").get(1);
        assertThat(support.path("documents").asInt()).isEqualTo(2);
        assertThat(support.path("passages").asInt()).isEqualTo(2);
        assertThat(support.path("source").asText()).isEqualTo(knowledge.resolve("support").toAbsolutePath().toString());
        assertThat(Instant.parse(support.path("indexed_at").asText())).isBefore(Instant.now());
    }

    @Test
    @Order(2)
    void showsTheDocumentsOfABase() throws Exception {
        TestServer.Response r = call(server, "GET", "/admin/knowledge/support/documents", TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("id").asText()).isEqualTo("support");
        JsonNode docs = r.body().path("data");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).path("location").asText()).isEqualTo("faq.html");
        assertThat(docs.get(0).path("title").asText()).isEqualTo("FAQ");
        assertThat(docs.get(1).path("location").asText()).isEqualTo("returns.txt");
        assertThat(docs.get(1).path("passages").asInt()).isEqualTo(1);
        assertThat(docs.get(1).path("bytes").asLong()).isEqualTo(Files.size(knowledge.resolve("support/returns.txt")));
        assertThat(Instant.parse(docs.get(1).path("modified_at").asText()))
                .isEqualTo(Files.getLastModifiedTime(knowledge.resolve("support/returns.txt")).toInstant());
    }

    @Test
    @Order(3)
    void reindexEmbedsOnlyWhatChanged() throws Exception {
        Files.writeString(knowledge.resolve("support/returns.txt"), "Returns are accepted within 60 days.\n");
        Files.writeString(knowledge.resolve("support/shipping.md"), "# Shipping\n\nWe ship within the EU.\n");
        TestServer.Response r = call(server, "POST", "/admin/knowledge/support/reindex", TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("documents").asInt()).isEqualTo(3);
        assertThat(r.body().path("embedded").asInt()).as("the edited and the new file").isEqualTo(2);
        assertThat(r.body().path("from_cache").asInt()).as("the unchanged FAQ").isEqualTo(1);
        JsonNode docs = call(server, "GET", "/admin/knowledge/support/documents", TOKEN).body().path("data");
        assertThat(docs).hasSize(3);
        assertThat(docs.get(2).path("location").asText()).isEqualTo("shipping.md");
    }

    @Test
    void anUnknownIdIs404WithTheKnownIds() {
        for (String[] route : new String[][] {{"GET", "/admin/knowledge/hr/documents"}, {"POST", "/admin/knowledge/hr/reindex"}}) {
            TestServer.Response r = call(server, route[0], route[1], TOKEN);
            assertThat(r.status()).as(route[1]).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("not_found");
            assertThat(r.body().path("error").path("message").asText()).contains("hr").contains("known: agency, support");
        }
    }

    @Test
    void everyRouteNeedsTheToken() {
        assertThat(call(server, "GET", "/admin/knowledge", null).status()).isEqualTo(401);
        assertThat(call(server, "GET", "/admin/knowledge/support/documents", null).status()).isEqualTo(401);
        assertThat(call(server, "POST", "/admin/knowledge/support/reindex", "wrong-token-0123456789abcdef").status())
                .isEqualTo(401);
    }

    @Test
    void aServerWithoutKnowledgeBasesSaysHowToGetThem() {
        try (TestServer other = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), new KeywordModel())) {
            // The list is empty and says why; a base asked for by id is not found.
            TestServer.Response list = call(other, "GET", "/admin/knowledge", TOKEN);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().path("data")).isEmpty();
            assertThat(list.body().path("off").asText()).contains("PARLEY_KNOWLEDGE_DIR");
            TestServer.Response r = call(other, "GET", "/admin/knowledge/agency/documents", TOKEN);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("knowledge_off");
            assertThat(r.body().path("error").path("message").asText()).contains("PARLEY_KNOWLEDGE_DIR");
        }
    }
}
