package dev.parley.web.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything an operator can set, read once from the environment by {@link dev.parley.web.Main} and checked when built, so
 * a bad value stops the server at start with a message naming the variable.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>PARLEY_HOST</td><td>0.0.0.0</td><td>address to listen on</td></tr>
 *   <tr><td>PARLEY_PORT</td><td>8080</td><td>port to listen on (0 picks a free one)</td></tr>
 *   <tr><td>PARLEY_DATA_DIR</td><td>./data</td><td>holds parley.db, attachments/ and secret.key</td></tr>
 *   <tr><td>PARLEY_SECRET_TTL</td><td>600</td><td>seconds a client secret stays valid</td></tr>
 *   <tr><td>PARLEY_SECRET_KEY</td><td>(generated)</td><td>signing key, at least 32 characters; when unset a
 *       random key is kept in {@code <data dir>/secret.key}</td></tr>
 *   <tr><td>PARLEY_COOKIE_SECURE</td><td>false</td><td>mark the session cookie Secure (set it in production,
 *       behind HTTPS)</td></tr>
 *   <tr><td>PARLEY_PUBLIC_URL</td><td>(from the request)</td><td>base URL for upload and preview links; without
 *       it they are built from the Host and X-Forwarded-Proto headers</td></tr>
 *   <tr><td>PARLEY_MAX_BODY_BYTES</td><td>1M</td><td>largest {@code /chatkit} request body</td></tr>
 *   <tr><td>PARLEY_MAX_ATTACHMENT_BYTES</td><td>10M</td><td>largest attachment</td></tr>
 *   <tr><td>PARLEY_DATABASE_URL</td><td>(SQLite in the data directory)</td><td>a PostgreSQL JDBC URL
 *       ({@code jdbc:postgresql://host/db?user=…&password=…}) for several servers sharing one database</td></tr>
 *   <tr><td>PARLEY_ATTACHMENT_TYPES</td><td>see {@link #DEFAULT_ATTACHMENT_TYPES}</td><td>comma-separated
 *       media types users may attach; {@code image/*} allows every image type</td></tr>
 * </table>
 *
 * <p>Connection limits (header, body and idle timeouts, connections per address) are read by {@link ConnectionLimits}.
 *
 * <p>Sizes are bytes, or a number with K, M or G (powers of 1024; {@code KiB}, {@code MB} and the like are
 * read the same way).
 *
 * <p>Tests build a config directly: {@code ParleyConfig.defaults().withPort(0).withDataDir(tempDir)}.
 *
 * @param host               address to listen on
 * @param port               port to listen on; 0 for any free port
 * @param dataDir            directory for the database, attachment bytes and the generated key
 * @param secretTtl          lifetime of a client secret
 * @param secretKey          the signing key, or null to use (and create) {@code <dataDir>/secret.key}
 * @param cookieSecure       whether the session cookie carries {@code Secure}
 * @param publicUrl          base URL for links, without a trailing slash, or null to derive it per request
 * @param maxBodyBytes       largest accepted {@code /chatkit} body
 * @param maxAttachmentBytes largest accepted attachment
 * @param attachmentTypes    allowed attachment media types, lower case; {@code type/*} allows a whole family
 * @param databaseUrl        a PostgreSQL JDBC URL, or null for SQLite in the data directory
 * @param access             allowed origins, rate limits and message limits ({@link AccessConfig})
 * @param connections        time and count limits on client connections ({@link ConnectionLimits})
 */
public record ParleyConfig(
        String host,
        int port,
        Path dataDir,
        Duration secretTtl,
        String secretKey,
        boolean cookieSecure,
        URI publicUrl,
        long maxBodyBytes,
        long maxAttachmentBytes,
        List<String> attachmentTypes,
        String databaseUrl,
        AccessConfig access,
        ConnectionLimits connections) {

    public static final String PORT = "PARLEY_PORT";
    public static final String HOST = "PARLEY_HOST";
    public static final String DATA_DIR = "PARLEY_DATA_DIR";
    public static final String SECRET_TTL = "PARLEY_SECRET_TTL";
    public static final String SECRET_KEY = "PARLEY_SECRET_KEY";
    public static final String COOKIE_SECURE = "PARLEY_COOKIE_SECURE";
    public static final String PUBLIC_URL = "PARLEY_PUBLIC_URL";
    public static final String MAX_BODY_BYTES = "PARLEY_MAX_BODY_BYTES";
    public static final String MAX_ATTACHMENT_BYTES = "PARLEY_MAX_ATTACHMENT_BYTES";
    public static final String ATTACHMENT_TYPES = "PARLEY_ATTACHMENT_TYPES";
    public static final String DATABASE_URL = "PARLEY_DATABASE_URL";

    /** Images ChatKit can preview, plus documents a model can usually read. */
    public static final List<String> DEFAULT_ATTACHMENT_TYPES = List.of(
            "image/png", "image/jpeg", "image/gif", "image/webp",
            "application/pdf", "text/plain", "text/markdown", "text/csv");

    public static final long MIB = 1024 * 1024;
    private static final int MIN_KEY_BYTES = 32;
    private static final Duration MIN_TTL = Duration.ofSeconds(10);
    private static final Duration MAX_TTL = Duration.ofDays(1);
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/([a-z0-9][a-z0-9!#$&^_.+-]*|\\*)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(?:([kmg])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private static final EnvReader.Rule<Integer> PORT_RULE =
            EnvReader.Rule.intRange(PORT, 0, 65535, "an integer from 0 to 65535");
    private static final EnvReader.Rule<Duration> TTL_RULE = new EnvReader.Rule<>(SECRET_TTL,
            s -> Duration.ofSeconds(Long.parseLong(s)), t -> t.compareTo(MIN_TTL) >= 0 && t.compareTo(MAX_TTL) <= 0,
            "a number of seconds from " + MIN_TTL.toSeconds() + " to " + MAX_TTL.toSeconds());
    private static final EnvReader.Rule<String> KEY_RULE = new EnvReader.Rule<>(SECRET_KEY, s -> s,
            s -> s.getBytes(StandardCharsets.UTF_8).length >= MIN_KEY_BYTES,
            "at least " + MIN_KEY_BYTES + " characters (try: openssl rand -base64 32), or unset to generate one");
    private static final EnvReader.Rule<Long> BODY_RULE = new EnvReader.Rule<>(MAX_BODY_BYTES,
            ParleyConfig::parseSize, n -> n >= 1024, "a size of at least 1K, e.g. 1048576 or 1M");
    private static final EnvReader.Rule<Long> ATTACHMENT_RULE = new EnvReader.Rule<>(MAX_ATTACHMENT_BYTES,
            ParleyConfig::parseSize, n -> n >= 1, "a positive size, e.g. 10M");
    private static final EnvReader.Rule<String> DATABASE_RULE = new EnvReader.Rule<>(DATABASE_URL, s -> s,
            s -> s.startsWith("jdbc:postgresql:"),
            "a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/parley?user=parley&password=…");

    public ParleyConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException(HOST + " must not be empty");
        PORT_RULE.check(port);
        TTL_RULE.check(Objects.requireNonNull(secretTtl, "secretTtl"));
        Objects.requireNonNull(dataDir, "dataDir");
        KEY_RULE.check(secretKey);
        publicUrl = publicUrl == null ? null : checkPublicUrl(publicUrl.toString());
        BODY_RULE.check(maxBodyBytes);
        ATTACHMENT_RULE.check(maxAttachmentBytes);
        attachmentTypes = checkTypes(Objects.requireNonNull(attachmentTypes, "attachmentTypes"));
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(connections, "connections");
        new CookieSettings(cookieSecure, access.cookieSameSite()); // None without Secure is refused here
        DATABASE_RULE.check(databaseUrl);
    }

    /** {@return the defaults: 0.0.0.0:8080, ./data, 10-minute secrets, 1 MiB bodies, 10 MiB attachments} */
    public static ParleyConfig defaults() {
        return new ParleyConfig("0.0.0.0", 8080, Path.of("data"), Duration.ofSeconds(600), null, false, null,
                MIB, 10 * MIB, DEFAULT_ATTACHMENT_TYPES, null, AccessConfig.defaults(), ConnectionLimits.defaults());
    }

    /**
     * {@return the configuration the variables describe, with defaults for unset or blank ones}
     *
     * @throws IllegalArgumentException naming every variable that has a bad value and what it should be
     */
    public static ParleyConfig fromEnv(Map<String, String> env) {
        ParleyConfig d = defaults();
        List<String> problems = new ArrayList<>();
        var reader = new EnvReader(env, problems);
        String host = reader.read(HOST, d.host(), s -> s);
        int port = reader.read(PORT_RULE, d.port());
        Path dataDir = reader.read(DATA_DIR, d.dataDir(), Path::of, "a directory path");
        Duration ttl = reader.read(TTL_RULE, d.secretTtl());
        String key = reader.read(KEY_RULE, null);
        boolean secure = reader.read(COOKIE_SECURE, d.cookieSecure(), ParleyConfig::parseBoolean, "true or false");
        URI publicUrl = reader.read(PUBLIC_URL, null, ParleyConfig::checkPublicUrl,
                "an absolute http(s) URL without query or fragment, e.g. https://chat.example.com");
        long maxBody = reader.read(BODY_RULE, d.maxBodyBytes());
        long maxAttachment = reader.read(ATTACHMENT_RULE, d.maxAttachmentBytes());
        List<String> types = reader.read(ATTACHMENT_TYPES, d.attachmentTypes(), s -> checkTypes(List.of(s.split(","))),
                "a comma-separated list of media types, e.g. image/png,application/pdf or image/*");
        String databaseUrl = reader.read(DATABASE_RULE, null);
        AccessConfig access = AccessConfig.fromEnv(env, problems);
        ConnectionLimits connections = ConnectionLimits.fromEnv(env, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new ParleyConfig(host, port, dataDir, ttl, key, secure, publicUrl, maxBody, maxAttachment, types,
                databaseUrl, access, connections);
    }

    public ParleyConfig withHost(String host) {
        return with(c -> c.host = host);
    }

    public ParleyConfig withPort(int port) {
        return with(c -> c.port = port);
    }

    public ParleyConfig withDataDir(Path dataDir) {
        return with(c -> c.dataDir = dataDir);
    }

    public ParleyConfig withSecretTtl(Duration secretTtl) {
        return with(c -> c.secretTtl = secretTtl);
    }

    public ParleyConfig withSecretKey(String secretKey) {
        return with(c -> c.secretKey = secretKey);
    }

    public ParleyConfig withCookieSecure(boolean cookieSecure) {
        return with(c -> c.cookieSecure = cookieSecure);
    }

    public ParleyConfig withPublicUrl(URI publicUrl) {
        return with(c -> c.publicUrl = publicUrl);
    }

    public ParleyConfig withMaxBodyBytes(long maxBodyBytes) {
        return with(c -> c.maxBodyBytes = maxBodyBytes);
    }

    public ParleyConfig withMaxAttachmentBytes(long maxAttachmentBytes) {
        return with(c -> c.maxAttachmentBytes = maxAttachmentBytes);
    }

    public ParleyConfig withAttachmentTypes(List<String> attachmentTypes) {
        return with(c -> c.attachmentTypes = attachmentTypes);
    }

    public ParleyConfig withDatabaseUrl(String databaseUrl) {
        return with(c -> c.databaseUrl = databaseUrl);
    }

    /** {@return how the session cookie is set} */
    public CookieSettings cookie() {
        return new CookieSettings(cookieSecure, access.cookieSameSite());
    }

    public ParleyConfig withAccess(AccessConfig access) {
        return with(c -> c.access = access);
    }

    public ParleyConfig withConnections(ConnectionLimits connections) {
        return with(c -> c.connections = connections);
    }

    /** Copies this configuration with one change; the canonical constructor checks the result again. */
    private ParleyConfig with(java.util.function.Consumer<Copy> change) {
        var copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The fields as mutable slots, so each {@code with*} method names only the field it changes. */
    private static final class Copy {
        String host;
        int port;
        Path dataDir;
        Duration secretTtl;
        String secretKey;
        boolean cookieSecure;
        URI publicUrl;
        long maxBodyBytes;
        long maxAttachmentBytes;
        List<String> attachmentTypes;
        String databaseUrl;
        AccessConfig access;
        ConnectionLimits connections;

        Copy(ParleyConfig c) {
            host = c.host;
            port = c.port;
            dataDir = c.dataDir;
            secretTtl = c.secretTtl;
            secretKey = c.secretKey;
            cookieSecure = c.cookieSecure;
            publicUrl = c.publicUrl;
            maxBodyBytes = c.maxBodyBytes;
            maxAttachmentBytes = c.maxAttachmentBytes;
            attachmentTypes = c.attachmentTypes;
            databaseUrl = c.databaseUrl;
            access = c.access;
            connections = c.connections;
        }

        ParleyConfig build() {
            return new ParleyConfig(host, port, dataDir, secretTtl, secretKey, cookieSecure, publicUrl, maxBodyBytes, maxAttachmentBytes, attachmentTypes, databaseUrl, access, connections);
        }
    }

    /** Keeps the signing key out of logs. */
    @Override
    public String toString() {
        return "ParleyConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", secretTtl=" + secretTtl
                + ", secretKey=" + (secretKey == null ? "(key file)" : "(set)") + ", cookieSecure=" + cookieSecure
                + ", publicUrl=" + publicUrl + ", maxBodyBytes=" + maxBodyBytes + ", maxAttachmentBytes="
                + maxAttachmentBytes + ", attachmentTypes=" + attachmentTypes + ", database="
                + (databaseUrl == null ? "sqlite" : "postgresql") + ", " + access + ", " + connections + "]";
    }

    // ---- parsing -------------------------------------------------------------------------------------

    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("Not a size: " + text);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("Size too large: " + text);
        return n << shift;
    }

    static boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException();
        };
    }

    private static URI checkPublicUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(PUBLIC_URL + " is not a URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(PUBLIC_URL + " must be an absolute http(s) URL without query or fragment, got " + text);
        }
        String s = uri.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s);
    }

    private static List<String> checkTypes(List<String> types) {
        var out = new LinkedHashSet<String>();
        for (String t : types) {
            String type = t.strip().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) continue;
            if (!MEDIA_TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException(ATTACHMENT_TYPES + ": \"" + t.strip() + "\" is not a media type");
            }
            out.add(type);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(ATTACHMENT_TYPES + " must list at least one media type");
        return List.copyOf(out);
    }
}
