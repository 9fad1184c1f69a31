package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./parley} script's checks that come before any build: each refusal names the variable and the fix, and
 * the script stops there, so no Maven build or JVM is started (the output would say "building" otherwise).
 */
class StartScriptTest {
    private static final Path SCRIPT = Path.of("..", "parley").toAbsolutePath().normalize();
    @TempDir Path dir;

    record Run(int status, String output) {}

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("bash", SCRIPT.toString()).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_"));
        builder.environment().put("PARLEY_DATA_DIR", dir.resolve("data").toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        // Generous: a build would take minutes, so even a loaded machine separates the two.
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./parley did not stop at its checks: it went on to build or start");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aMistypedPortIsRefusedBeforeAnyBuildWithTheServersOwnWording() throws Exception {
        for (String bad : new String[] {"80x0", "70000", "-1", "8 080"}) {
            Run r = run(Map.of("PARLEY_PORT", bad));
            assertThat(r.status()).as(bad).isEqualTo(2);
            assertThat(r.output()).as(bad).isEqualTo("parley: Invalid configuration:\n  PARLEY_PORT must be an integer "
                    + "from 0 to 65535, got \"" + bad + "\"\n");
        }
    }

    @Test
    void aPortAlreadyInUseIsNamedWithTheFix() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run(Map.of("PARLEY_PORT", Integer.toString(taken.getLocalPort())));
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.output()).isEqualTo("parley: port " + taken.getLocalPort() + " is already in use (is Parley "
                    + "already running?); stop that process or set PARLEY_PORT to a free port\n");
        }
    }

    @Test
    void aDataFolderThatCannotBeCreatedIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Run r = run(Map.of("PARLEY_PORT", "0", "PARLEY_DATA_DIR", file.resolve("data").toString()));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).isEqualTo("parley: cannot write to the data folder " + file.resolve("data")
                + " (PARLEY_DATA_DIR); choose a folder this user can write to\n");
    }
}
