package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code parley training-run}, the workload the JVM's ahead-of-time cache is trained on: a real server on the
 * built-in defaults answers a chat turn over HTTP, and nothing of it is left behind.
 */
class TrainingRunTest {
    @Test
    void answersOneChatTurnOnAThrowAwayServerAndCleansUp() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countTrainingFolders(tmp);
        var out = new ByteArrayOutputStream();

        int status = new TrainingRun(new PrintStream(out, true, StandardCharsets.UTF_8)).run();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("parley: training run answered a chat turn\n");
        assertThat(status).isZero();
        assertThat(countTrainingFolders(tmp)).as("its temporary data folder is deleted").isEqualTo(before);
    }

    private static long countTrainingFolders(Path tmp) throws Exception {
        try (var entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("parley-training")).count();
        }
    }
}
