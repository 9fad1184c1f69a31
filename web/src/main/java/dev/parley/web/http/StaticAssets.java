package dev.parley.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Files served from one classpath folder of the jar (the widget, the console), read once and kept: the jar does
 * not change while the server runs. Every response carries a strong {@code ETag} and {@code Cache-Control:
 * no-cache}, so browsers revalidate on each load (an upgraded server reaches them at once) and get a body-less 304
 * when nothing changed.
 */
public final class StaticAssets {
    /** A file ready to send: its bytes, content type and entity tag. */
    public record Asset(byte[] body, String type, String etag) {
        public static Asset of(byte[] body, String type) {
            return new Asset(body, type, StaticAssets.etag(body));
        }
    }

    /** The content types served, by file extension; anything else is not served. */
    public static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");

    private final String root;
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    /** @param root the classpath folder, ending in {@code /} */
    public StaticAssets(String root) {
        this.root = root;
    }

    /** {@return the file at {@code path} under the root, or null when there is none or its type is not served} */
    public Asset get(String path) {
        Asset cached = assets.get(path);
        if (cached != null) return cached;
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        byte[] body = type == null ? null : read(path);
        if (body == null) return null;
        Asset asset = Asset.of(body, type);
        assets.put(path, asset);
        return asset;
    }

    /** {@return an asset made once under {@code key}, such as a bundle built from several files} */
    public Asset computed(String key, Supplier<Asset> make) {
        return assets.computeIfAbsent(key, k -> make.get());
    }

    /** {@return the bytes of {@code path} under the root, or null when it is not on the classpath} */
    public byte[] read(String path) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(root + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code asset}, or a 304 when the browser already has it; a HEAD gets the headers only. */
    public static void send(ServerRequest req, ServerResponse res, Asset asset) {
        res.header(HeaderNames.ETAG, asset.etag());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Content-Type-Options", "nosniff");
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(asset.etag())).orElse(false)) {
            res.status(304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.type());
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(asset.body().length));
            res.send();
            return;
        }
        res.send(asset.body());
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
