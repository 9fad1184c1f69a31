package dev.parley.workflow.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URLs the host list allows, and how a bad list is reported. */
class WebhookPolicyTest {
    static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);

    static WebhookPolicy policy(String... hosts) {
        return WebhookPolicy.of(List.of(hosts), KEY);
    }

    static boolean allows(WebhookPolicy p, String url) {
        return p.check(URI.create(url)).isEmpty();
    }

    @Test
    void anExactHostAllowsHttpsOnItsDefaultPortOnly() {
        var p = policy("api.example.com");

        assertThat(allows(p, "https://api.example.com/tools/x")).isTrue();
        assertThat(allows(p, "https://API.Example.com/tools/x")).isTrue();
        assertThat(allows(p, "https://api.example.com:443/x")).isTrue();
        assertThat(allows(p, "https://api.example.com:8443/x")).isFalse();
        assertThat(allows(p, "http://api.example.com/x")).isFalse();
        assertThat(allows(p, "https://api.example.com.evil.net/x")).isFalse();
        assertThat(allows(p, "https://evilapi.example.com/x")).isFalse();
    }

    @Test
    void plainHttpAndOtherPortsMustBeListed() {
        var p = policy("http://localhost:8080", "api.example.com:8443");

        assertThat(allows(p, "http://localhost:8080/x")).isTrue();
        assertThat(allows(p, "https://localhost:8080/x")).isFalse();
        assertThat(allows(p, "http://localhost/x")).isFalse();
        assertThat(allows(p, "https://api.example.com:8443/x")).isTrue();
        assertThat(allows(p, "https://api.example.com/x")).isFalse();
    }

    @Test
    void aWildcardMatchesExactlyOneLabel() {
        var p = policy("*.tools.example.com");

        assertThat(allows(p, "https://orders.tools.example.com/x")).isTrue();
        assertThat(allows(p, "https://tools.example.com/x")).isFalse();
        assertThat(allows(p, "https://a.orders.tools.example.com/x")).isFalse();
        assertThat(allows(p, "https://orderstools.example.com/x")).isFalse();
    }

    @Test
    void ipAddressesMatchOnlyWhenListedExactly() {
        var p = policy("http://10.0.0.7:9000", "[::1]:9000", "*.example.com");

        assertThat(allows(p, "http://10.0.0.7:9000/x")).isTrue();
        assertThat(allows(p, "http://10.0.0.8:9000/x")).isFalse();
        assertThat(allows(p, "https://[::1]:9000/x")).isTrue();
        assertThat(allows(p, "https://169.254.169.254/latest/meta-data")).isFalse();
    }

    @Test
    void userInfoOtherSchemesAndRelativeUrlsAreRefusedWithTheReason() {
        var p = policy("api.example.com", "http://localhost:8080");

        assertThat(p.check(URI.create("https://user:pw@api.example.com/x"))).get().asString()
                .contains("must not contain a user name or password");
        assertThat(p.check(URI.create("file:///etc/passwd"))).get().asString().contains("uses file:");
        assertThat(p.check(URI.create("ftp://api.example.com/x"))).get().asString().contains("uses ftp:");
        assertThat(p.check(URI.create("/tools/x"))).get().asString().contains("not an absolute http(s) URL");
        assertThat(p.check(URI.create("https://bad_host/x"))).get().asString().contains("no valid host name");
        assertThat(p.check(null)).get().asString().contains("has no URL");
    }

    @Test
    void aRefusalSaysWhichEntryToAdd() {
        assertThat(policy("api.example.com").check(URI.create("http://localhost:8080/x"))).get().asString()
                .isEqualTo("the webhook host http://localhost:8080 is not allowed; add http://localhost:8080 to"
                        + " PARLEY_WEBHOOK_HOSTS (comma-separated) if Parley should call it");
        assertThat(policy().check(URI.create("https://orders.example.com/x"))).get().asString()
                .contains("add orders.example.com to PARLEY_WEBHOOK_HOSTS")
                .contains("it is empty: no webhook may be called");
    }

    @Test
    void badEntriesAreAllReportedWithWhatAnEntryLooksLike() {
        assertThatThrownBy(() -> policy("*.com", "ftp://x.example.com", "api.example.com/tools", "a..b.com",
                "api.example.com:99999", "*.10.0.0.1", "a.*.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"*.com\": a wildcard needs at least two labels")
                .hasMessageContaining("\"ftp://x.example.com\": the scheme must be https:// or http://")
                .hasMessageContaining("\"api.example.com/tools\": list only the host")
                .hasMessageContaining("\"a..b.com\": \"\" is not a host name label")
                .hasMessageContaining("\"api.example.com:99999\": the port must be a number from 1 to 65535")
                .hasMessageContaining("\"*.10.0.0.1\": a wildcard cannot match IP addresses")
                .hasMessageContaining("\"a.*.example.com\": \"*\" is not a host name label")
                .hasMessageContaining("examples: api.example.com, *.example.com, http://localhost:8080");
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> WebhookPolicy.of(List.of(), new byte[31]))
                .hasMessageContaining("at least 32 bytes (try: openssl rand -hex 32)");
        assertThat(WebhookPolicy.of(List.of(), new byte[32]).hosts()).isEmpty();
    }

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBodyInLowerCaseHex() {
        // Known answer, computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac kkkk…(32)
        assertThat(policy().signature(1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1=" + OPENSSL_ANSWER);
    }

    static final String OPENSSL_ANSWER = "6935b796c0fec66e5dee52c86c7fd1218a424c32f1adb239ff2893c31e54f033";
}
