package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParleyConfigTest {
    @Test
    void anEmptyEnvironmentGivesTheDefaults() {
        ParleyConfig c = ParleyConfig.fromEnv(Map.of());
        assertThat(c).isEqualTo(ParleyConfig.defaults());
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.secretTtl()).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.secretKey()).isNull();
        assertThat(c.cookieSecure()).isFalse();
        assertThat(c.publicUrl()).isNull();
        assertThat(c.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(c.maxAttachmentBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(c.attachmentTypes()).containsExactly("image/png", "image/jpeg", "image/gif", "image/webp",
                "application/pdf", "text/plain", "text/markdown", "text/csv");
    }

    @Test
    void blankVariablesCountAsUnset() {
        assertThat(ParleyConfig.fromEnv(Map.of("PARLEY_PORT", " ", "PARLEY_SECRET_KEY", "")))
                .isEqualTo(ParleyConfig.defaults());
    }

    @Test
    void everyVariableIsRead() {
        ParleyConfig c = ParleyConfig.fromEnv(Map.of(
                "PARLEY_HOST", "127.0.0.1",
                "PARLEY_PORT", "0",
                "PARLEY_DATA_DIR", "/var/lib/parley",
                "PARLEY_SECRET_TTL", "120",
                "PARLEY_SECRET_KEY", "k".repeat(32),
                "PARLEY_COOKIE_SECURE", "true",
                "PARLEY_PUBLIC_URL", "https://chat.example.com/",
                "PARLEY_MAX_BODY_BYTES", "64K",
                "PARLEY_MAX_ATTACHMENT_BYTES", "2MiB",
                "PARLEY_ATTACHMENT_TYPES", " Image/PNG, image/* ,application/pdf,,"));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/parley"));
        assertThat(c.secretTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.secretKey()).isEqualTo("k".repeat(32));
        assertThat(c.cookieSecure()).isTrue();
        assertThat(c.publicUrl()).isEqualTo(URI.create("https://chat.example.com"));
        assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(c.maxAttachmentBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(c.attachmentTypes()).containsExactly("image/png", "image/*", "application/pdf");
    }

    @Test
    void everyBadVariableIsNamedInOneMessage() {
        assertThatThrownBy(() -> ParleyConfig.fromEnv(Map.of(
                "PARLEY_PORT", "http",
                "PARLEY_SECRET_TTL", "5",
                "PARLEY_SECRET_KEY", "short-secret-value",
                "PARLEY_COOKIE_SECURE", "maybe",
                "PARLEY_PUBLIC_URL", "chat.example.com",
                "PARLEY_MAX_BODY_BYTES", "12",
                "PARLEY_MAX_ATTACHMENT_BYTES", "lots",
                "PARLEY_ATTACHMENT_TYPES", "png")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_PORT must be an integer from 0 to 65535, got \"http\"")
                .hasMessageContaining("PARLEY_SECRET_TTL must be a number of seconds from 10 to 86400, got \"5\"")
                .hasMessageContaining("PARLEY_SECRET_KEY must be at least 32 characters")
                .hasMessageContaining("PARLEY_COOKIE_SECURE must be true or false, got \"maybe\"")
                .hasMessageContaining("PARLEY_PUBLIC_URL must be an absolute http(s) URL")
                .hasMessageContaining("PARLEY_MAX_BODY_BYTES must be a size of at least 1K")
                .hasMessageContaining("PARLEY_MAX_ATTACHMENT_BYTES must be a positive size")
                .hasMessageContaining("PARLEY_ATTACHMENT_TYPES must be a comma-separated list")
                // The key is a secret even when it is wrong.
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret-value"));
    }

    @Test
    void portsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ParleyConfig.fromEnv(Map.of("PARLEY_PORT", "70000")))
                .hasMessageContaining("PARLEY_PORT");
        assertThatThrownBy(() -> ParleyConfig.defaults().withPort(-1)).hasMessageContaining("PARLEY_PORT");
    }

    @Test
    void sizesAcceptBytesAndBinaryUnits() {
        assertThat(ParleyConfig.parseSize("1048576")).isEqualTo(1048576);
        assertThat(ParleyConfig.parseSize("1M")).isEqualTo(1048576);
        assertThat(ParleyConfig.parseSize("1 MiB")).isEqualTo(1048576);
        assertThat(ParleyConfig.parseSize("10mb")).isEqualTo(10 * 1048576L);
        assertThat(ParleyConfig.parseSize("512k")).isEqualTo(512 * 1024);
        assertThat(ParleyConfig.parseSize("2G")).isEqualTo(2L << 30);
        assertThat(ParleyConfig.parseSize("100b")).isEqualTo(100);
        assertThatThrownBy(() -> ParleyConfig.parseSize("1.5M")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParleyConfig.parseSize("-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publicUrlsMustBeAbsoluteHttp() {
        assertThat(ParleyConfig.defaults().withPublicUrl(URI.create("http://localhost:8080/chat/")).publicUrl())
                .isEqualTo(URI.create("http://localhost:8080/chat"));
        assertThatThrownBy(() -> ParleyConfig.defaults().withPublicUrl(URI.create("ftp://example.com")))
                .hasMessageContaining("PARLEY_PUBLIC_URL");
        assertThatThrownBy(() -> ParleyConfig.defaults().withPublicUrl(URI.create("https://example.com/?x=1")))
                .hasMessageContaining("PARLEY_PUBLIC_URL");
    }

    @Test
    void attachmentTypesMustBeMediaTypes() {
        assertThatThrownBy(() -> ParleyConfig.defaults().withAttachmentTypes(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ParleyConfig.defaults().withAttachmentTypes(List.of("text/html\r\nX: y")))
                .hasMessageContaining("not a media type");
    }

    @Test
    void toStringHidesTheKey() {
        ParleyConfig c = ParleyConfig.defaults().withSecretKey("s".repeat(40));
        assertThat(c.toString()).doesNotContain("s".repeat(40)).contains("secretKey=(set)");
    }
}
