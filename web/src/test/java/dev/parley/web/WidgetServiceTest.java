package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.EchoResponder;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The widget's files over HTTP: one self-contained bundle, revalidated by ETag, and a demo page that uses it. */
class WidgetServiceTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new EchoResponder());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestServer.Response get(String path, String ifNoneMatch) {
        var request = HttpRequest.newBuilder(server.uri(path)).GET();
        if (ifNoneMatch != null) request.header("If-None-Match", ifNoneMatch);
        return server.send(request);
    }

    @Test
    void theBundleCarriesItsLibrariesAndLoadsNothingElse() {
        TestServer.Response r = get("/widget/parley.js", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String js = r.text();
        assertThat(js).contains("marked v").contains("DOMPurify").contains("customElements")
                .contains("class ParleyChatElement");
        assertThat(js).as("no run-time fetches of code from elsewhere")
                .doesNotContain("cdn.", "import(", "createElement('script')", "createElement(\"script\")");
        assertThat(js).as("no source-map requests").doesNotContain("sourceMappingURL");
    }

    @Test
    void anUnchangedFileIsA304() {
        TestServer.Response first = get("/widget/parley.js", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        TestServer.Response again = get("/widget/parley.js", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.bytes()).isEmpty();
        assertThat(get("/widget/parley.js", "\"something-else\"").status()).isEqualTo(200);
    }

    @Test
    void theDemoPageEmbedsTheWidgetLikeTheSeed() {
        TestServer.Response r = get("/", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.text()).contains("<script src=\"/widget/parley.js\"></script>", "Parley.mount(",
                "Ask me anything...", "What can you help me with?", "What does a company website cost?");
        assertThat(r.text()).doesNotContain("src=\"http");
    }

    @Test
    void theFaviconIsServedUnderBothNamesBrowsersAskFor() {
        for (String path : List.of("/favicon.ico", "/favicon.svg")) {
            TestServer.Response r = get(path, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("image/svg+xml");
            assertThat(r.text()).startsWith("<svg");
        }
        assertThat(get("/", null).text()).contains("<link rel=\"icon\" href=\"/favicon.svg\"");
    }

    @Test
    void unknownOrMalformedWidgetFilesAre404() {
        assertThat(get("/widget/nope.js", null).status()).isEqualTo(404);
        assertThat(get("/widget/..%2Fapplication.yaml", null).status()).isEqualTo(404);
        assertThat(get("/widget/src", null).status()).isEqualTo(404);
    }

    @Test
    void headAnswersWithTheLengthAndNoBody() {
        TestServer.Response full = get("/widget/parley.js", null);
        TestServer.Response head = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/widget/parley.js"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
        org.assertj.core.api.Assertions.assertThat(head.status()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(head.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(full.bytes().length));
        org.assertj.core.api.Assertions.assertThat(head.bytes()).isEmpty();
    }
}
