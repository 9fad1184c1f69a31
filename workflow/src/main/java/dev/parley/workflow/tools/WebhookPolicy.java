package dev.parley.workflow.tools;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which endpoints webhook tools may call, and the key their requests are signed with: one per deployment.
 *
 * <p>Workflow documents name their webhook URLs, and whoever can publish a workflow could otherwise make Parley
 * reach anything it can reach (cloud metadata, an admin port, the database). So the operator lists the hosts;
 * anything else is refused before a connection is opened. The check is on names, not addresses: listing a host
 * trusts whatever its DNS answers.
 *
 * <p>A host pattern is {@code [scheme://]host[:port]}:
 * <ul>
 *   <li>without a scheme only {@code https} is allowed; plain {@code http} must be asked for
 *       ({@code http://localhost:8080}), so a typo cannot downgrade a tool to an unencrypted channel;</li>
 *   <li>without a port only the scheme's default port (443, 80) is allowed, so listing a host does not open
 *       its other services;</li>
 *   <li>{@code *.example.com} matches exactly one more label ({@code api.example.com}, not
 *       {@code example.com} nor {@code a.b.example.com}), and needs at least two labels after the {@code *};</li>
 *   <li>IP addresses ({@code 10.0.0.7}, {@code [::1]}) match only when listed exactly; wildcards never match them.</li>
 * </ul>
 */
public final class WebhookPolicy {
    /** The setting the operator lists hosts in; named in every refusal so the fix is one step. */
    public static final String HOSTS_SETTING = "PARLEY_WEBHOOK_HOSTS";
    /** Shorter keys are guessable offline from one signed request. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final HexFormat HEX = HexFormat.of();

    private final List<HostPattern> hosts;
    private final Mac prototype;

    private WebhookPolicy(List<HostPattern> hosts, byte[] key) {
        this.hosts = List.copyOf(hosts);
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.clone(); // fail here, once, rather than on every call if this provider cannot clone
            this.prototype = mac;
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 with a cloneable Mac is part of every JDK", e);
        }
    }

    /**
     * {@return a policy allowing the listed hosts, signing with {@code key}}
     *
     * @param hostPatterns the entries of {@value #HOSTS_SETTING}; empty allows nothing
     * @param key          the signing key, at least {@value #MIN_KEY_BYTES} bytes; hosts verify with the same bytes
     * @throws IllegalArgumentException naming every bad pattern and what it should look like, or a short key
     */
    public static WebhookPolicy of(List<String> hostPatterns, byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the webhook signing key must be at least " + MIN_KEY_BYTES
                    + " bytes (try: openssl rand -hex 32)");
        }
        List<HostPattern> parsed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String p : hostPatterns) {
            try {
                parsed.add(HostPattern.parse(p));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return new WebhookPolicy(parsed, key.clone());
    }

    /** {@return the allowed host patterns, as parsed} */
    public List<HostPattern> hosts() {
        return hosts;
    }

    /**
     * Whether a webhook tool may call {@code url}: at publish time, to refuse a workflow naming an endpoint the
     * deployment does not allow, and before every call, because the setting may have changed since.
     *
     * @return empty when allowed; otherwise what is wrong and how to fix it
     */
    public Optional<String> check(URI url) {
        return check(url, hosts, "webhook", HOSTS_SETTING);
    }

    /**
     * The host check shared by webhooks and MCP servers: {@code url} must be an absolute http(s) URL without user
     * info whose scheme, host and port one of {@code hosts} allows.
     *
     * @param what    what the URL is for, in messages ({@code webhook}, {@code MCP server})
     * @param setting the setting that lists the hosts, named in the fix
     */
    static Optional<String> check(URI url, List<HostPattern> hosts, String what, String setting) {
        if (url == null) return Optional.of("the " + what + " has no URL; give it an absolute https:// URL");
        if (!url.isAbsolute() || url.isOpaque()) {
            return Optional.of("the " + what + " URL " + url + " is not an absolute http(s) URL; write it like"
                    + " https://api.example.com/tools/order-status");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("the " + what + " URL " + url + " uses " + scheme + ":, but it is called over"
                    + " https (or http for hosts listed with http://)");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("the " + what + " URL must not contain a user name or password (" + scheme + "://…@…);"
                    + " credentials belong in configuration, not in a workflow");
        }
        String host = url.getHost();
        if (host == null) {
            return Optional.of("the " + what + " URL " + url + " has no valid host name; write it like"
                    + " https://api.example.com/tools/order-status");
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = url.getPort() == -1 ? defaultPort(scheme) : url.getPort();
        for (HostPattern p : hosts) if (p.matches(scheme, host, port)) return Optional.empty();
        String entry = (scheme.equals("http") ? "http://" : "") + host
                + (port == defaultPort(scheme) ? "" : ":" + port);
        return Optional.of("the " + what + " host " + entry + " is not allowed; add " + entry + " to "
                + setting + " (comma-separated) if Parley should call it"
                + (hosts.isEmpty() ? " (it is empty: no " + what + " may be called)" : ""));
    }

    /** {@return the {@code Parley-Signature} header value for a request body sent at {@code timestamp}} */
    String signature(long timestamp, byte[] body) {
        Mac mac;
        try {
            // The prototype is only ever copied, never used, so concurrent clones are safe.
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e); // checked in the constructor
        }
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return "v1=" + HEX.formatHex(mac.doFinal(body));
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("http") ? 80 : 443;
    }

    /**
     * One allowed host.
     *
     * @param scheme   {@code https} or {@code http}
     * @param host     a lower-case host name, IP address ({@code [::1]} without brackets), or {@code *.suffix}
     * @param port     the only port allowed
     */
    public record HostPattern(String scheme, String host, int port) {
        /**
         * {@return the pattern {@code [scheme://]host[:port]}}
         *
         * @throws IllegalArgumentException saying what is wrong with it
         */
        public static HostPattern parse(String text) {
            return parse(text, HOSTS_SETTING);
        }

        /** As {@link #parse(String)}, for an entry of {@code setting}, which a refusal names. */
        public static HostPattern parse(String text, String setting) {
            String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            String scheme = "https";
            int sep = s.indexOf("://");
            if (sep >= 0) {
                scheme = s.substring(0, sep);
                s = s.substring(sep + 3);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    throw bad(text, setting, "the scheme must be https:// or http://");
                }
            }
            if (s.endsWith("/")) s = s.substring(0, s.length() - 1);
            if (s.isEmpty()) throw bad(text, setting, "it has no host");
            if (s.contains("/") || s.contains("@") || s.contains("?")) {
                throw bad(text, setting, "list only the host (and port), not a path or user");
            }
            String host = s;
            int port = scheme.equals("http") ? 80 : 443;
            int colon = s.startsWith("[") ? s.indexOf("]:") + 1 : s.lastIndexOf(':');
            if (colon > 0) {
                host = s.substring(0, colon);
                try {
                    port = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65_535) throw bad(text, setting, "the port must be a number from 1 to 65535");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                String ip = host.substring(1, host.length() - 1);
                if (ip.isEmpty() || !ip.matches("[0-9a-f:.]+")) throw bad(text, setting, "it is not an IPv6 address");
                return new HostPattern(scheme, ip, port);
            }
            boolean wildcard = host.startsWith("*.");
            String name = wildcard ? host.substring(2) : host;
            String[] labels = name.split("\\.", -1);
            for (String label : labels) {
                if (!LABEL.matcher(label).matches()) {
                    throw bad(text, setting, "\"" + label + "\" is not a host name label (letters, digits and -; a * only"
                            + " as the whole first label)");
                }
            }
            if (wildcard && labels.length < 2) {
                throw bad(text, setting, "a wildcard needs at least two labels after it (*.example.com), so it cannot"
                        + " match a whole top-level domain");
            }
            if (wildcard && IPV4.matcher(name).matches()) throw bad(text, setting, "a wildcard cannot match IP addresses");
            return new HostPattern(scheme, host, port);
        }

        private static IllegalArgumentException bad(String text, String setting, String why) {
            return new IllegalArgumentException(setting + " entry \"" + text + "\": " + why
                    + " (examples: api.example.com, *.example.com, http://localhost:8080)");
        }

        /** {@code host} is lower case; an IPv6 literal is without brackets, as {@link URI#getHost} gives it. */
        boolean matches(String urlScheme, String urlHost, int urlPort) {
            if (!scheme.equals(urlScheme) || port != urlPort) return false;
            String bare = urlHost.startsWith("[") ? urlHost.substring(1, urlHost.length() - 1) : urlHost;
            if (!host.startsWith("*.")) return host.equals(bare);
            if (bare.contains(":") || IPV4.matcher(bare).matches()) return false;
            String suffix = host.substring(1); // ".example.com"
            return bare.endsWith(suffix) && bare.indexOf('.') == bare.length() - suffix.length();
        }
    }
}
