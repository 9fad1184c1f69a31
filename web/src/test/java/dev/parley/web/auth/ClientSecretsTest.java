package dev.parley.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientSecretsTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    final ClientSecrets secrets = new ClientSecrets(KEY, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidSecretNamesItsUserSessionAndExpiry() {
        ClientSecrets.Issued issued = secrets.issue("usr_alice");
        assertThat(issued.secret()).startsWith("ck_").matches("ck_[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(issued.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(issued.sessionId()).matches("cksess_[0-9a-f]{24}");
        ClientSecrets.Verified v = secrets.verify(issued.secret());
        assertThat(v.userId()).isEqualTo("usr_alice");
        assertThat(v.sessionId()).isEqualTo(issued.sessionId());
        assertThat(v.expiresAt()).isEqualTo(issued.expiresAt());
    }

    @Test
    void everySecretIsANewSession() {
        assertThat(secrets.issue("u").sessionId()).isNotEqualTo(secrets.issue("u").sessionId());
        assertThat(secrets.issue("u").secret()).isNotEqualTo(secrets.issue("u").secret());
    }

    @Test
    void aTamperedPayloadIsRejected() {
        String secret = secrets.issue("usr_alice").secret();
        String payload = secret.substring(3, secret.indexOf('.'));
        byte[] bytes = Base64.getUrlDecoder().decode(payload);
        // Rewrite the last character of the user id: "usr_alice" -> "usr_alicf".
        bytes[bytes.length - 1]++;
        String forged = "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + secret.substring(secret.indexOf('.'));
        assertInvalid(forged);
    }

    @Test
    void aPayloadMovedToAnotherSignatureIsRejected() {
        String alice = secrets.issue("usr_alice").secret();
        String bob = secrets.issue("usr_bob").secret();
        assertInvalid(alice.substring(0, alice.indexOf('.')) + bob.substring(bob.indexOf('.')));
    }

    @Test
    void aTamperedSignatureIsRejected() {
        String secret = secrets.issue("usr_alice").secret();
        int mid = secret.indexOf('.') + 10;
        char c = secret.charAt(mid);
        assertInvalid(secret.substring(0, mid) + (c == 'A' ? 'B' : 'A') + secret.substring(mid + 1));
        assertInvalid(secret.substring(0, secret.length() - 2));
        // The last character carries 2 unused bits; other spellings of the same bytes are refused too.
        char last = secret.charAt(secret.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertInvalid(secret.substring(0, secret.length() - 1) + sibling);
    }

    @Test
    void anExpiredSecretIsRejectedAsExpired() {
        String secret = secrets.issue("usr_alice").secret();
        var later = new ClientSecrets(KEY, Duration.ofMinutes(10), Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(secret))
                .isInstanceOfSatisfying(ClientSecrets.InvalidSecretException.class, e -> {
                    assertThat(e.isExpired()).isTrue();
                    assertThat(e.getMessage()).contains("expired").contains("/api/chatkit/session");
                });
        var justBefore = new ClientSecrets(KEY, Duration.ofMinutes(10), Clock.fixed(NOW.plusSeconds(599), ZoneOffset.UTC));
        assertThat(justBefore.verify(secret).userId()).isEqualTo("usr_alice");
    }

    @Test
    void aSecretFromAnotherKeyIsRejected() {
        var other = new ClientSecrets("another key, also 32 bytes long!".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        assertInvalid(other.issue("usr_alice").secret());
    }

    @Test
    void anExpiredForgeryIsReportedAsInvalidNotExpired() {
        // Expiry is only revealed for genuine secrets: the signature is checked first.
        var other = new ClientSecrets("another key, also 32 bytes long!".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(10), Clock.fixed(NOW.minusSeconds(3600), ZoneOffset.UTC));
        assertInvalid(other.issue("usr_alice").secret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ck_", "ck_.", "ck_abc", "ck_abc.", "ck_.abc", "ck_a.b.c", "ck_!!!.???", "sk_abc.def",
            "Bearer ck_abc.def", "ck_AAAA.AAAA", "ck_AQAAAAAAAAAA.AAAA"})
    void garbageIsRejected(String garbage) {
        assertInvalid(garbage);
    }

    @Test
    void nullAndHugeValuesAreRejected() {
        assertInvalid(null);
        assertInvalid("ck_" + "A".repeat(5000) + ".AAAA");
    }

    @Test
    void aValidSignatureOverAMalformedPayloadIsRejected() {
        // Only reachable with the key, but the parser must still refuse trailing bytes or a bad version.
        Hmac hmac = Hmac.forPurpose(KEY, "parley/client-secret/v1");
        byte[] payload = {9, 0, 0, 0, 0, 0, 0, 0, 1};
        assertInvalid("ck_" + Hmac.base64Url(payload) + "." + Hmac.base64Url(hmac.sign(payload)));
    }

    @Test
    void keysAndLifetimesAreChecked() {
        assertThatThrownBy(() -> new ClientSecrets(new byte[16], Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientSecrets(KEY, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secrets.issue("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuedToStringKeepsTheSecretOutOfLogs() {
        var issued = secrets.issue("usr_alice");
        assertThat(issued.toString()).doesNotContain(issued.secret()).contains("usr_alice");
    }

    private void assertInvalid(String secret) {
        assertThatThrownBy(() -> secrets.verify(secret))
                .isInstanceOfSatisfying(ClientSecrets.InvalidSecretException.class, e -> {
                    assertThat(e.isExpired()).isFalse();
                    assertThat(e.getMessage()).contains("not valid");
                });
    }
}
