package dev.parley.web.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of {@code PARLEY_ALLOWED_ORIGINS}: an exact origin ({@code https://shop.example.com}), a wildcard
 * for one level of subdomains ({@code https://*.example.com}: {@code a.example.com}, not {@code example.com} and
 * not {@code a.b.example.com}), or {@code *} for any origin.
 *
 * <p>A browser's {@code Origin} header is parsed as scheme, host and port before it is compared, and one that is
 * not an origin (a path, a fragment, spaces, user info, an empty label) matches nothing, not even {@code *}: the
 * comparison is between host names, never between strings, so {@code https://evil.net#.example.com} is not a
 * subdomain of {@code example.com}.
 *
 * @param scheme   {@code http} or {@code https}; null for {@code *}
 * @param host     the host in lower case, or for a wildcard the domain after {@code *.}; null for {@code *}
 * @param wildcard whether one leading DNS label of any value is allowed before {@code host}
 * @param port     the port, the scheme's default when none is written; 0 for {@code *}
 */
public record OriginPattern(String scheme, String host, boolean wildcard, int port) {
    /** A DNS label (RFC 1123): letters, digits and inner hyphens, 1 to 63 characters. */
    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    /** An origin as RFC 6454 serialises it: scheme, {@code ://}, a registered name, IPv4 or bracketed IPv6 host, port. */
    private static final Pattern ORIGIN = Pattern.compile(
            "(https?)://(" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9a-f:.]+])(?::(\\d{1,5}))?");
    private static final Pattern WILDCARD = Pattern.compile(
            "(https?)://\\*\\.(" + LABEL + "(?:\\." + LABEL + ")*)(?::(\\d{1,5}))?");

    public static final OriginPattern ANY = new OriginPattern(null, null, false, 0);

    /**
     * {@return the pattern {@code text} describes} (case and a trailing slash do not matter)
     *
     * @throws IllegalArgumentException when it is neither an origin, a one-label wildcard nor {@code *}
     */
    public static OriginPattern parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        if (t.equals("*")) return ANY;
        var exact = ORIGIN.matcher(t);
        var wild = WILDCARD.matcher(t);
        boolean isWild = !exact.matches() && wild.matches();
        var m = isWild ? wild : exact;
        int port = isWild || exact.matches() ? port(m.group(1), m.group(3)) : 0;
        if (port != 0) return new OriginPattern(m.group(1), m.group(2), isWild, port);
        throw new IllegalArgumentException("\"" + text.strip() + "\" is not an origin like https://example.com or "
                + "https://*.example.com (scheme, host and optional port; nothing after them)");
    }

    /** {@return the scheme, host and port of a browser's {@code Origin} header, or empty if it is not an origin} */
    static Optional<OriginPattern> origin(String header) {
        // No stripping or case folding of the structure: a browser sends an origin exactly; anything else is refused.
        var m = ORIGIN.matcher(header.toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        int port = port(m.group(1), m.group(3));
        return port == 0 ? Optional.empty() : Optional.of(new OriginPattern(m.group(1), m.group(2), false, port));
    }

    /** {@return whether a browser whose {@code Origin} header is {@code header} may call Parley} */
    public boolean matches(String header) {
        return anyMatches(List.of(this), header);
    }

    /** {@return whether any of {@code patterns} allows {@code header}}, which is parsed once for all of them */
    public static boolean anyMatches(List<OriginPattern> patterns, String header) {
        Optional<OriginPattern> origin = origin(header);
        if (origin.isEmpty()) return false;
        for (OriginPattern p : patterns) {
            if (p.covers(origin.get())) return true;
        }
        return false;
    }

    private boolean covers(OriginPattern origin) {
        if (scheme == null) return true;
        if (!scheme.equals(origin.scheme) || port != origin.port) return false;
        if (!wildcard) return host.equals(origin.host);
        // Exactly one label before the domain: "a.example.com" for "*.example.com".
        String h = origin.host;
        return h.endsWith("." + host) && h.indexOf('.') == h.length() - host.length() - 1 && !h.startsWith("[");
    }

    private static int port(String scheme, String written) {
        if (written == null) return scheme.equals("https") ? 443 : 80;
        int p = Integer.parseInt(written);
        return p >= 1 && p <= 65535 ? p : 0;
    }

    @Override
    public String toString() {
        if (scheme == null) return "*";
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + (wildcard ? "*." : "") + host + (defaultPort ? "" : ":" + port);
    }
}
