package dev.parley.spring;

import dev.parley.widget.WidgetScript;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * {@code GET ${parley.path}/widget.js}: the chat widget's script, built once on first request. A page adds
 * {@code <parley-chat api-url="/chatkit" session-url="/chatkit/session">} and loads this script. Every answer has a
 * strong {@code ETag} and {@code Cache-Control: no-cache}, so browsers revalidate on each load (an upgrade reaches
 * them at once) and get a body-less 304 when nothing changed.
 */
@Controller
@RequestMapping("${parley.path:/chatkit}")
public class WidgetController {
    private volatile Script script;

    private record Script(byte[] body, String etag) {}

    @GetMapping("/widget.js")
    public void widget(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Script s = script();
        response.setHeader("ETag", s.etag());
        response.setHeader("Cache-Control", "no-cache");
        if (s.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/javascript;charset=utf-8");
        response.setContentLength(s.body().length);
        response.getOutputStream().write(s.body());
    }

    private Script script() {
        Script s = script;
        if (s == null) {
            byte[] body = WidgetScript.build().getBytes(StandardCharsets.UTF_8);
            s = new Script(body, "\"" + HexFormat.of().formatHex(sha256(body), 0, 16) + "\"");
            script = s;
        }
        return s;
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
