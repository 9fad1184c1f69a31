package dev.parley.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.web.config.ParleyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeyFileTest {
    @TempDir Path dir;

    @Test
    void aKeyIsCreatedOnceOwnerOnlyAndReused() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDataDir(dir.resolve("data"));
        byte[] first = SecretKeyFile.resolve(config);
        Path file = dir.resolve("data").resolve("secret.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSize(43);
        assertThat(SecretKeyFile.resolve(config)).isEqualTo(first);
        // The file's text works as PARLEY_SECRET_KEY unchanged.
        assertThat(SecretKeyFile.resolve(config.withSecretKey(Files.readString(file)))).isEqualTo(first);
    }

    @Test
    void theEnvironmentKeyWinsAndNoFileIsWritten() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDataDir(dir).withSecretKey("e".repeat(32));
        assertThat(SecretKeyFile.resolve(config)).isEqualTo("e".repeat(32).getBytes(StandardCharsets.UTF_8));
        assertThat(dir.resolve("secret.key")).doesNotExist();
    }

    @Test
    void aDamagedKeyFileStopsTheServerWithAHint() throws Exception {
        Files.writeString(dir.resolve("secret.key"), "short");
        assertThatThrownBy(() -> SecretKeyFile.resolve(ParleyConfig.defaults().withDataDir(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("delete it");
    }
}
