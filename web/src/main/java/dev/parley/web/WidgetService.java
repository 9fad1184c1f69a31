package dev.parley.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The chat widget and the demo page, served from the jar: {@code GET /widget/<file>} from the classpath folder
 * {@code public/widget/}, and {@code GET /} the demo page {@code public/index.html}. Nothing is fetched from
 * elsewhere at run time.
 */
final class WidgetService implements HttpService {
    private static final String ROOT = "public/";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> send(res, "index.html", "no-cache"))
                .get("/widget/{file}", this::widgetFile);
    }

    private void widgetFile(ServerRequest req, ServerResponse res) {
        String file = req.path().pathParameters().get("file");
        if (!FILE.matcher(file).matches()) throw HttpError.notFound("No widget file " + file);
        // Revalidate on every load: the widget must change when the server is upgraded.
        send(res, "widget/" + file, "no-cache");
    }

    private static void send(ServerResponse res, String path, String cacheControl) {
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        try (InputStream in = WidgetService.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null || type == null) throw HttpError.notFound("No file /" + path);
            res.header(HeaderNames.CONTENT_TYPE, type);
            res.header(HeaderNames.CACHE_CONTROL, cacheControl);
            res.header("X-Content-Type-Options", "nosniff");
            res.send(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
