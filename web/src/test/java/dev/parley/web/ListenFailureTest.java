package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port that is already taken stops the start with a message saying so, and exit status 2 (a setting to fix). */
class ListenFailureTest {
    @TempDir Path dir;

    @Test
    void aTakenPortIsNamedAndTheServerDoesNotClaimToListen() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = ProcessHandle.current().info().command().orElse("java");
            var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.parley.web.Main");
            builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_") || k.startsWith("OPENAI_")
                    || k.startsWith("OTEL_"));
            builder.environment().putAll(Map.of(
                    "PARLEY_HOST", "127.0.0.1",
                    "PARLEY_PORT", Integer.toString(port),
                    "PARLEY_DATA_DIR", Files.createDirectories(dir.resolve("data")).toString(),
                    "PARLEY_MODEL_PROVIDER", "echo"));
            Path log = dir.resolve("out.log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the server gave up").isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(out).isEqualTo(2);
            assertThat(out).contains("cannot listen on 127.0.0.1:" + port).contains("PARLEY_PORT")
                    .doesNotContain("Parley is listening");
        }
    }
}
