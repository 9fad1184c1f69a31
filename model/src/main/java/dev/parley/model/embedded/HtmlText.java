package dev.parley.model.embedded;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an HTML page into the Markdown that {@link MarkdownChunker} reads: headings stay headings, list items
 * stay items, block elements end paragraphs, and everything a reader does not see (scripts, styles, the head,
 * comments) or that repeats on every page (navigation) is dropped. Entities are decoded.
 *
 * <p>It is a tag stripper, not an HTML parser: it expects reasonably well-formed pages such as a site export or a
 * help centre. Tables become one line of text per row, and text that looks like Markdown (asterisks, links in
 * brackets) is read as Markdown.
 */
final class HtmlText {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern INVISIBLE = Pattern.compile(
            "<(script|style|noscript|template|svg|nav|head)\\b[^>]*>.*?</\\1\\s*>", FLAGS);
    private static final Pattern TITLE = Pattern.compile("<title\\b[^>]*>(.*?)</title\\s*>", FLAGS);
    private static final Pattern HEADING = Pattern.compile("<h([1-6])\\b[^>]*>(.*?)</h\\1\\s*>", FLAGS);
    private static final Pattern LIST_ITEM = Pattern.compile("<li\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINE_BREAK = Pattern.compile("<br\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern CELL = Pattern.compile("</?t[dh]\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOCK = Pattern.compile("</?(p|div|section|article|main|header|footer|aside|"
            + "blockquote|pre|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|hr|figure|figcaption|form|address|body|html)"
            + "\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][^>]*>|<![^>]*>|<\\?[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,8});");
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ndash", "–"), Map.entry("mdash", "—"),
            Map.entry("hellip", "…"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"), Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"), Map.entry("laquo", "«"), Map.entry("raquo", "»"), Map.entry("copy", "©"),
            Map.entry("reg", "®"), Map.entry("trade", "™"), Map.entry("euro", "€"), Map.entry("pound", "£"),
            Map.entry("middot", "·"), Map.entry("bull", "•"), Map.entry("times", "×"), Map.entry("deg", "°"),
            Map.entry("eacute", "é"), Map.entry("egrave", "è"), Map.entry("agrave", "à"), Map.entry("uuml", "ü"),
            Map.entry("ouml", "ö"), Map.entry("auml", "ä"), Map.entry("szlig", "ß"), Map.entry("ccedil", "ç"));

    private HtmlText() {}

    /** {@return the page as Markdown: its {@code <title>} as the first heading when the page has no h1} */
    static String toMarkdown(String html) {
        String s = COMMENT.matcher(html).replaceAll(" ");
        Matcher title = TITLE.matcher(s);
        String pageTitle = title.find() ? inline(title.group(1)) : "";
        s = INVISIBLE.matcher(s).replaceAll(" ");
        boolean hasH1 = false;
        StringBuilder out = new StringBuilder();
        Matcher h = HEADING.matcher(s);
        while (h.find()) {
            hasH1 |= h.group(1).equals("1");
            String text = inline(h.group(2));
            h.appendReplacement(out, Matcher.quoteReplacement(
                    text.isEmpty() ? "\n\n" : "\n\n" + "#".repeat(Integer.parseInt(h.group(1))) + " " + text + "\n\n"));
        }
        h.appendTail(out);
        s = LIST_ITEM.matcher(out).replaceAll("\n\n- ");
        s = LINE_BREAK.matcher(s).replaceAll("\n");
        s = CELL.matcher(s).replaceAll(" ");
        s = BLOCK.matcher(s).replaceAll("\n\n");
        s = decode(TAG.matcher(s).replaceAll(""));
        StringBuilder text = new StringBuilder();
        if (!hasH1 && !pageTitle.isEmpty()) text.append("# ").append(pageTitle).append("\n\n");
        for (String line : s.split("\n", -1)) {
            // Indentation in HTML is layout, not meaning: without this, source indentation would read as code.
            text.append(line.replaceAll("[ \\t\\u00A0]+", " ").strip()).append('\n');
        }
        return text.toString().replaceAll("\n{3,}", "\n\n").strip() + "\n";
    }

    /** {@return the text of an inline fragment (a heading, the title) on one line, tags gone, entities decoded} */
    private static String inline(String fragment) {
        return decode(TAG.matcher(fragment).replaceAll(" ")).replaceAll("\\s+", " ").strip();
    }

    /** Unknown names are left as written, so a stray "&" in text is never eaten. */
    static String decode(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String decoded;
            if (e.startsWith("#")) {
                int code = e.charAt(1) == 'x' || e.charAt(1) == 'X'
                        ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                decoded = Character.isValidCodePoint(code) && code != 0 ? Character.toString(code) : "\uFFFD";
            } else {
                decoded = NAMED.getOrDefault(e, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }
}
