package dev.parley.model.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Cuts a Markdown document into passages of a few hundred characters along its headings and paragraphs, and
 * strips the markup so a passage reads as plain sentences when it is quoted in an answer. Plain text goes through
 * the same paragraph rules with no markup read ({@link #chunkText}); HTML is first turned into Markdown by
 * {@link HtmlText}.
 */
final class MarkdownChunker {
    /** Paragraphs of one section are packed together up to about this many characters. */
    static final int TARGET_CHARS = 550;
    /** A single paragraph longer than this is cut between sentences. */
    static final int MAX_CHARS = 800;

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+(.*)$");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9\"'(])");

    private MarkdownChunker() {}

    /**
     * A passage of a document.
     *
     * @param location where the document came from (a path relative to the knowledge folder)
     * @param title    the document's first heading, or its humanised file name
     * @param heading  the heading of the section the passage is in ({@code title} before the first section)
     * @param text     the passage, as plain text
     */
    record Chunk(String location, String title, String heading, String text) {
        /** {@return what is embedded: the passage with its document and section names, which carry its topic} */
        String embeddingText() {
            return heading.equals(title) ? title + ". " + text : title + ". " + heading + ". " + text;
        }
    }

    static List<Chunk> chunk(String location, String markdown) {
        return chunk(location, markdown, true);
    }

    /**
     * {@return plain text cut by the same paragraph rules, its title taken from the file name} Nothing is read as
     * markup: a line starting with "#" is text, and asterisks and underscores stay.
     */
    static List<Chunk> chunkText(String location, String text) {
        return chunk(location, text, false);
    }

    private static List<Chunk> chunk(String location, String source, boolean markdown) {
        String[] lines = source.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        UnaryOperator<String> plain = markdown ? MarkdownChunker::plain : MarkdownChunker::collapsed;
        int titleLine = -1;
        for (int i = 0; markdown && i < lines.length && titleLine < 0; i++) {
            var h = HEADING.matcher(lines[i]);
            if (h.matches() && h.group(1).length() == 1) titleLine = i;
        }
        String title = titleLine < 0 ? fileTitle(location) : plain(HEADING.matcher(lines[titleLine]).replaceFirst("$2"));
        String heading = title;
        List<Chunk> out = new ArrayList<>();
        List<String> section = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            var h = HEADING.matcher(raw);
            if (markdown && h.matches()) {
                flushParagraph(paragraph, section);
                pack(location, title, heading, section, out);
                if (i != titleLine) heading = plain(h.group(2));
            } else if (raw.isBlank()) {
                flushParagraph(paragraph, section);
            } else {
                var item = LIST_ITEM.matcher(raw);
                if (!paragraph.isEmpty()) paragraph.append(' ');
                // Each list item becomes a sentence of its own, so an answer never shows a dangling "- ".
                paragraph.append(item.matches() ? asSentence(plain.apply(item.group(1))) : plain.apply(raw.strip()));
            }
        }
        flushParagraph(paragraph, section);
        pack(location, title, heading, section, out);
        return out;
    }

    private static void flushParagraph(StringBuilder paragraph, List<String> section) {
        String text = paragraph.toString().strip();
        paragraph.setLength(0);
        if (text.isEmpty()) return;
        if (text.length() <= MAX_CHARS) {
            section.add(text);
            return;
        }
        StringBuilder piece = new StringBuilder();
        for (String sentence : SENTENCE_END.split(text)) {
            if (!piece.isEmpty() && piece.length() + sentence.length() + 1 > TARGET_CHARS) {
                section.add(piece.toString());
                piece.setLength(0);
            }
            if (!piece.isEmpty()) piece.append(' ');
            piece.append(sentence);
        }
        if (!piece.isEmpty()) section.add(piece.toString());
    }

    private static void pack(String location, String title, String heading, List<String> section, List<Chunk> out) {
        StringBuilder chunk = new StringBuilder();
        for (String paragraph : section) {
            if (!chunk.isEmpty() && chunk.length() + paragraph.length() + 2 > TARGET_CHARS) {
                out.add(new Chunk(location, title, heading, chunk.toString()));
                chunk.setLength(0);
            }
            if (!chunk.isEmpty()) chunk.append("\n\n");
            chunk.append(paragraph);
        }
        if (!chunk.isEmpty()) out.add(new Chunk(location, title, heading, chunk.toString()));
        section.clear();
    }

    /** {@return the text without emphasis, inline code or link markup: {@code [our team](team.md)} reads "our team"} */
    static String plain(String markdown) {
        return markdown
                .replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1")
                .replaceAll("(\\*\\*|__)(.+?)\\1", "$2")
                .replaceAll("(?<![\\w*])[*_](\\S(?:.*?\\S)?)[*_](?![\\w*])", "$1")
                .replace("`", "")
                .replaceAll("\\s+", " ")
                .strip();
    }

    private static String collapsed(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String asSentence(String text) {
        if (text.isEmpty()) return text;
        char last = text.charAt(text.length() - 1);
        return last == '.' || last == '!' || last == '?' || last == ':' ? text : text + ".";
    }

    /** {@return the file name as a title: {@code web-apps.md} reads "Web apps"} */
    static String fileTitle(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1).replaceFirst("(?i)\\.(md|markdown|txt|text|html?)$", "");
        String spaced = name.replace('-', ' ').replace('_', ' ').strip();
        return spaced.isEmpty() ? location : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
