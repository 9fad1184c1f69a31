package dev.parley.model.embedded;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What kind of fact a question asks for, when that kind can be recognised in a passage: an amount of money or a
 * length of time. "How much would that cost?" is not answered by a passage that names no price, however close in
 * meaning it is; the embedding alone would quote the description of whatever "that" was.
 */
enum Asked {
    /** "How much…", "what does … cost", "your rates": a passage must name an amount of money. */
    PRICE(Pattern.compile("(?i)(\\d[\\d,.]*\\s*(euros?|eur|dollars?|pounds?|usd|gbp)\\b|[€$£]\\s?\\d)")),
    /** "How long…", "how soon…", "how many weeks": a passage must name a length of time. */
    DURATION(Pattern.compile("(?i)(\\b(\\d+|one|two|three|four|five|six|eight|ten|twelve|fourteen|thirty|a few)"
            + "(\\s+(to|and|or)\\s+\\w+)?[\\s-]+(working\\s+)?(minutes?|days?|weeks?|months?|hours?|years?)\\b"
            + "|\\bsince \\d{4}\\b)")),
    /** Anything else: no kind of fact is required. */
    ANYTHING(null);

    private static final Set<String> PRICE_WORDS = Set.of("cost", "costs", "price", "prices", "pricing", "priced",
            "charge", "charges", "expensive", "cheap", "cheaper", "cheapest", "budget", "rate", "rates", "fee", "fees");
    private static final List<String> DURATION_PHRASES = List.of("how long", "how soon", "how many weeks",
            "how many days", "how many months", "how quickly", "how fast", "when can you start", "when could you start",
            "how long has", "how long have");

    private final Pattern fact;

    Asked(Pattern fact) {
        this.fact = fact;
    }

    /** {@return what {@code question} asks for; a question asking for both is taken as asking for a duration} */
    static Asked by(String question) {
        List<String> words = Terms.words(question);
        String text = " " + String.join(" ", words) + " ";
        for (String phrase : DURATION_PHRASES) if (text.contains(" " + phrase + " ")) return DURATION;
        // "A fixed price or by the hour?" asks how work is billed, not for an amount.
        boolean price = words.stream().anyMatch(PRICE_WORDS::contains) && !text.contains(" fixed price ");
        if (text.contains(" how much ") || price) return PRICE;
        return ANYTHING;
    }

    /** {@return whether {@code passage} names a fact of this kind} */
    boolean isIn(String passage) {
        return fact == null || fact.matcher(passage).find();
    }
}
