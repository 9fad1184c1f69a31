package dev.parley.model.embedded;

import dev.parley.model.ChatMessage;
import dev.parley.model.ContactDetails;
import dev.parley.model.Source;
import java.util.List;
import java.util.Set;

/**
 * What the embedded provider says to one visitor message, in the order it checks: contact details are
 * acknowledged, a message in a language it cannot read is told so, and anything else is answered from the
 * knowledge base, reading a follow-up ("and how long does that take?") together with the message before it.
 * Nothing here writes new facts: the only words of its own are the fixed acknowledgements below.
 */
final class Replier {
    static final String NOTED = "Thank you, I have noted %s for the team; someone will get back to you.";
    static final String LANGUAGE = "I can only read and answer questions in English, and your message looks like %s. "
            + "Could you ask again in English? Or leave your e-mail address, and someone from the team will get back "
            + "to you.";

    /** Words that point back at something said before ("how long would that take?"). */
    private static final Set<String> POINTERS = Set.of("that", "it", "this", "those", "these", "they", "them", "there",
            "one", "ones", "same", "cheapest", "cheaper", "option", "options");
    /** Openings of a message that continues the previous one ("and for a shop?", "what about hosting?"). */
    private static final List<String> CONTINUATIONS = List.of("and ", "ok and ", "okay and ", "ok ", "okay ", "so ",
            "what about ", "how about ", "also ", "and what about ", "then ");
    /** A follow-up is short; a long message that says "that" usually names its own subject. */
    private static final int MAX_FOLLOW_UP_WORDS = 9;

    private final KnowledgeAnswerer answerer;

    Replier(KnowledgeAnswerer answerer) {
        this.answerer = answerer;
    }

    /** The reply, and the passages it quotes (none when it quotes nothing). */
    record Reply(String text, List<Source> sources) {}

    Reply reply(String message, List<ChatMessage> history, String instructions) {
        ContactDetails.Found contact = ContactDetails.in(message);
        if (!contact.isEmpty()) {
            String noted = NOTED.formatted(String.join(" and ", contact.all()));
            // "My e-mail is x, and how much is a shop?" gets both; a bare address gets the thanks alone.
            String rest = ContactDetails.without(message);
            if (!Terms.subject(rest).isEmpty() && Languages.notEnglish(rest) == null) {
                KnowledgeAnswerer.Answer answer = answerer.answer(rest, context(rest, history), instructions);
                if (answer.grounded()) return new Reply(noted + "\n\n" + answer.text(), answer.sources());
            }
            return new Reply(noted, List.of());
        }
        String language = Languages.notEnglish(message);
        if (language != null) return new Reply(LANGUAGE.formatted(language), List.of());
        KnowledgeAnswerer.Answer answer = answerer.answer(message, context(message, history), instructions);
        return new Reply(answer.text(), answer.sources());
    }

    /**
     * {@return the subject words of the visitor's previous message when {@code message} leans on it, else ""}: a
     * short message that points back ("that", "the cheapest option") or continues ("and for a shop?"), or that
     * names no subject of its own.
     */
    static String context(String message, List<ChatMessage> history) {
        List<String> words = Terms.words(message);
        if (words.isEmpty() || words.size() > MAX_FOLLOW_UP_WORDS) return "";
        String lower = String.join(" ", words) + " ";
        boolean leans = Terms.subject(message).isEmpty()
                || words.stream().anyMatch(POINTERS::contains)
                || CONTINUATIONS.stream().anyMatch(lower::startsWith);
        if (!leans) return "";
        for (ChatMessage m : history.reversed()) {
            if (m.role() != ChatMessage.Role.USER || m.text().equals(message)) continue;
            String subject = subjectWords(m.text());
            if (!subject.isEmpty()) return subject;
        }
        return "";
    }

    /** {@return the words of {@code text} that name its subject, as written, joined by spaces} */
    private static String subjectWords(String text) {
        StringBuilder out = new StringBuilder();
        for (String w : Terms.words(ContactDetails.without(text))) {
            if (Terms.FUNCTION.contains(w) || Terms.INTENT.contains(w)) continue;
            if (!out.isEmpty()) out.append(' ');
            out.append(w);
        }
        return out.toString();
    }
}
