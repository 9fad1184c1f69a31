package dev.parley.web.widget;

import dev.parley.web.http.HttpError;
import dev.parley.web.http.StaticAssets;
import dev.parley.web.http.StaticAssets.Asset;
import dev.parley.widget.WidgetScript;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The chat widget and the demo page, served from the jar: {@code GET /widget/parley.js} the widget bundle,
 * {@code GET /widget/<file>} other files of the classpath folder {@code public/widget/}, and {@code GET /} the
 * demo page {@code public/index.html}. Nothing is fetched from elsewhere at run time.
 *
 * <pre>{@code
 * curl -s http://localhost:8080/widget/parley.js | head -c 200
 * }</pre>
 *
 * <p>The bundle is assembled once, on first request: {@link WidgetScript} joins the widget's ES modules
 * ({@code public/widget/src/}, entry {@code define.js}, the stylesheet imported as text) with the Markdown parser
 * and sanitiser the build copies out of their WebJars ({@code public/widget/vendor/}). Each library is wrapped
 * so that it sees a CommonJS {@code module} and takes that branch of its UMD header: it never assigns a global,
 * so a page that has its own {@code marked} or {@code DOMPurify} keeps it.
 *
 * <p>Every response carries a strong {@code ETag} and {@code Cache-Control: no-cache}: browsers revalidate on
 * each load (so a server upgrade reaches them at once) and get a body-less 304 when nothing changed.
 */
public final class WidgetService implements HttpService {
    static final String BUNDLE = "parley.js";
    private static final String ROOT = "public/";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");

    private static final StaticAssets FILES = new StaticAssets(ROOT);

    /** Serves the files as they are in the jar on the classpath. */
    public WidgetService() {}

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> send(req, res, asset("index.html")))
                .head("/", (req, res) -> send(req, res, asset("index.html")))
                // Browsers ask for /favicon.ico whatever the page links; both names get the one SVG icon.
                .get("/favicon.svg", (req, res) -> send(req, res, asset("favicon.svg")))
                .get("/favicon.ico", (req, res) -> send(req, res, asset("favicon.svg")))
                .get("/widget/{file}", this::widgetFile)
                // Link checkers and proxies probe with HEAD before they fetch.
                .head("/widget/{file}", this::widgetFile);
    }

    private void widgetFile(ServerRequest req, ServerResponse res) {
        String file = req.path().pathParameters().get("file");
        if (!FILE.matcher(file).matches()) throw HttpError.notFound("No widget file " + file);
        Asset asset = file.equals(BUNDLE) ? FILES.computed(BUNDLE, WidgetService::bundle) : asset("widget/" + file);
        send(req, res, asset);
    }

    private static Asset asset(String path) {
        Asset asset = FILES.get(path);
        if (asset == null) throw HttpError.notFound("No file /" + path);
        return asset;
    }

    private static void send(ServerRequest req, ServerResponse res, Asset asset) {
        StaticAssets.send(req, res, asset);
    }

    /**
     * {@return the widget bundle}, built by {@link WidgetScript} from the files this server serves
     *
     * @throws IllegalStateException if a source or library is missing from the classpath (a build that skipped
     *     {@code generate-resources}) or a module is missing or malformed, so the failure names the file instead
     *     of serving half a widget
     */
    private static Asset bundle() {
        byte[] body = WidgetScript.build(WidgetService::read).getBytes(StandardCharsets.UTF_8);
        return Asset.of(body, StaticAssets.TYPES.get("js"));
    }

    private static byte[] read(String path) {
        return FILES.read(path);
    }
}
