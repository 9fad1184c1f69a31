package dev.parley.web.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultipartFileTest {
    static final String B = "----parley0123";

    static byte[] body(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String fileBody(String content) {
        return "--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + content + "\r\n--" + B + "--\r\n";
    }

    static String read(MultipartFile.Part part) throws IOException {
        return new String(part.body().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsTheFileFieldAndStreamsExactlyItsBytes() throws Exception {
        var part = MultipartFile.find(new ByteArrayInputStream(body(fileBody("hello\r\nworld"))), B, "file").orElseThrow();
        assertThat(part.fileName()).isEqualTo("a b.txt");
        assertThat(part.contentType()).isEqualTo("text/plain");
        assertThat(read(part)).isEqualTo("hello\r\nworld");
    }

    @Test
    void skipsAPreambleAndOtherFields() throws Exception {
        String s = "preamble text\r\n--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + "attachment\r\n" + fileBody("x").replaceFirst("^--" + B + "\r\n", "--" + B + "\r\n");
        var part = MultipartFile.find(new ByteArrayInputStream(body(s)), B, "file").orElseThrow();
        assertThat(read(part)).isEqualTo("x");
    }

    @Test
    void boundaryLookalikesInsideTheFileAreKept() throws Exception {
        // Partial delimiters, and the boundary without its leading line break, are file content.
        String content = "a\r\n--" + B.substring(0, 8) + "b\r\n-\r\n--other\r\nx--" + B + " inline";
        assertThat(read(MultipartFile.find(new ByteArrayInputStream(body(fileBody(content))), B, "file").orElseThrow()))
                .isEqualTo(content);
    }

    @Test
    void worksWhenTheBodyArrivesOneByteAtATime() throws Exception {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        String content = new String(big, StandardCharsets.ISO_8859_1);
        InputStream trickle = new TrickleStream(body(fileBody(content)));
        var part = MultipartFile.find(trickle, B, "file").orElseThrow();
        assertThat(part.body().readAllBytes()).isEqualTo(big);
    }

    @Test
    void aBodyWithoutTheFieldHasNoPart() throws Exception {
        String s = "--" + B + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--" + B + "--\r\n";
        assertThat(MultipartFile.find(new ByteArrayInputStream(body(s)), B, "file")).isEqualTo(Optional.empty());
    }

    @Test
    void aTruncatedUploadFailsInsteadOfStoringAShorterFile() throws Exception {
        String s = fileBody("complete content");
        byte[] cut = body(s.substring(0, s.indexOf("\r\n--" + B + "--") - 3));
        var part = MultipartFile.find(new ByteArrayInputStream(cut), B, "file").orElseThrow();
        assertThatThrownBy(() -> part.body().readAllBytes()).isInstanceOf(MultipartFile.MalformedException.class);
    }

    @Test
    void aBodyWithoutTheBoundaryIsMalformed() {
        assertThatThrownBy(() -> MultipartFile.find(new ByteArrayInputStream(body("just bytes")), B, "file"))
                .isInstanceOf(MultipartFile.MalformedException.class);
    }

    @Test
    void endlessPreamblesAreRefused() {
        byte[] junk = new byte[200_000];
        assertThatThrownBy(() -> MultipartFile.find(new ByteArrayInputStream(junk), B, "file"))
                .isInstanceOf(MultipartFile.MalformedException.class)
                .hasMessageContaining("before the file field");
    }

    @Test
    void boundaryParameterIsParsedFromTheContentType() {
        assertThat(MultipartFile.boundary("multipart/form-data; boundary=abc123")).contains("abc123");
        assertThat(MultipartFile.boundary("multipart/form-data; charset=utf-8; Boundary=\"a b\"")).contains("a b");
        assertThat(MultipartFile.boundary("multipart/form-data")).isEmpty();
        assertThat(MultipartFile.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isEmpty();
    }

    /** Hands out at most one byte per read, like a slow network. */
    private static final class TrickleStream extends InputStream {
        private final ByteArrayInputStream in;

        TrickleStream(byte[] bytes) {
            in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return len == 0 ? 0 : in.read(b, off, 1);
        }
    }
}
