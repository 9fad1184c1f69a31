package dev.parley.model.embedded;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a question that say what it is about, for a lexical check next to the embedding similarity.
 * Embeddings find the passage closest in meaning, but "Do you build native mobile apps?" is close to "We build web
 * applications" while the knowledge base never mentions mobile apps; requiring the passage to hold the question's
 * own subject words is what tells the two apart.
 *
 * <p>English only, and deliberately crude: lower case, a few suffixes cut so that "prices" meets "price" and
 * "hosting" meets "host", and a list of words that carry no subject (function words and the verbs every visitor
 * question uses: "can you build…", "how much does … cost").
 */
final class Terms {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’.+-]*[\\p{L}\\p{N}+]|[\\p{L}\\p{N}]");

    /** Words that say nothing about the subject of a question. */
    static final Set<String> FUNCTION = Set.copyOf(List.of(("a an the and or but if then so of to in on at by for with from "
            + "about into over after before up out as is are was were be been being am do does did doing done have "
            + "has had having can could would should will shall may might must i me my mine we us our ours you your "
            + "yours he she it its they them their this that these those there here what which who whom whose when "
            + "where why how not no yes any some all each every more most much many very just also too only than "
            + "ok okay please thanks thank hi hello hey sure well like want need get got make let lets tell know "
            + "give one ones something anything someone anyone thing things way really quite bit lot kind kinds "
            + "type types sort what's that's it's i'm i'd we're we'd you're don't doesn't there's how's where's "
            + "who's yourself yourselves ourselves see show").split(" ")));

    /**
     * Words that say what a visitor wants to know or do, not what about: "how much does X cost" is about X. They
     * still count for matching a passage ("cost", "long") but a question made only of them has no subject.
     */
    static final Set<String> INTENT = Set.copyOf(List.of(("cost costs price prices pricing charge charges expensive cheap cheapest "
            + "cheaper pay budget euro euros long take takes took time fast quick quickly soon start weeks week "
            + "offer offers provide do build built make work working help support option options available "
            + "usually typically roughly approximately around per month monthly total include included includes "
            + "use using used come by project projects").split(" ")));

    private Terms() {}

    /** {@return the words of {@code text}, lower case, in order} */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group().replace('’', '\''));
        return out;
    }

    /** {@return the stems of {@code text}'s words that are not function words, in order, without repeats} */
    static Set<String> content(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : words(text)) if (!FUNCTION.contains(w)) out.add(stem(w));
        return out;
    }

    /** {@return the stems of the words that name the subject: neither function words nor intent words} */
    static Set<String> subject(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : words(text)) if (!FUNCTION.contains(w) && !INTENT.contains(w)) out.add(stem(w));
        return out;
    }

    /** {@return a crude English stem: enough to make plurals and -ing/-ed forms meet} */
    static String stem(String word) {
        // "e-mail" meets "email"; "delivery" meets "deliver" (below).
        String w = (word.endsWith("'s") ? word.substring(0, word.length() - 2) : word).replace("-", "");
        if (w.length() > 4 && w.endsWith("ies")) w = w.substring(0, w.length() - 3) + "y";
        else if (w.length() > 4 && (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("sses") || w.endsWith("xes"))) {
            w = w.substring(0, w.length() - 2);
        } else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) {
            w = w.substring(0, w.length() - 1);
        }
        if (w.length() > 5 && w.endsWith("ing")) w = undoubled(w.substring(0, w.length() - 3));
        else if (w.length() > 4 && w.endsWith("ed")) w = undoubled(w.substring(0, w.length() - 2));
        if (w.length() > 4 && w.endsWith("e")) w = w.substring(0, w.length() - 1);
        else if (w.length() > 5 && w.endsWith("y") && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) {
            w = w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** "planning" → "plann" → "plan": the doubled consonant of the -ing and -ed forms goes too. */
    private static String undoubled(String s) {
        int n = s.length();
        boolean doubled = n > 3 && s.charAt(n - 1) == s.charAt(n - 2) && "aeiouls".indexOf(s.charAt(n - 1)) < 0;
        return doubled ? s.substring(0, n - 1) : s;
    }
}
