package dev.parley.model.embedded;

import dev.parley.model.Source;
import dev.parley.model.embedded.KnowledgeBase.Passage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers a question by quoting the knowledge base: it finds the passages most similar to the question and
 * returns them verbatim, with their sources. It writes no text of its own beyond a fixed "I can't answer that"
 * when nothing is relevant enough: this is retrieval, not generation.
 */
final class KnowledgeAnswerer {
    /**
     * Below this similarity to the question a passage is not used. Measured on the sample knowledge base with the
     * questions in KnowledgeAnswererTest: answerable ones score 0.28–0.78 with their best passage, unrelated ones
     * (weather, recipes, sport, stocks, translation) 0.07–0.24. The gap is narrow; a knowledge base written in
     * whole sentences about its topics widens it.
     */
    static final double RELEVANT = 0.27;
    /** So close in meaning that the passage answers whatever words it uses. */
    static final double CLOSE = 0.62;
    /**
     * Similar enough that one subject word in common will do: a visitor describing a project ("a new website for
     * our dental practice with online booking info") uses many words no passage has. On the question set of
     * AnswerQualityTest, the unanswerable questions' best passages stay below 0.44, and at 0.45 two answerable
     * questions were answered with a neighbouring passage.
     */
    static final double SIMILAR = 0.5;
    /**
     * Least similarity between a visitor's project description and the passage introducing the speciality of the
     * agent it was routed to, for quoting that passage. Unrelated statements ("write me a poem about cats") stay
     * far below it.
     */
    static final double OVERVIEW = 0.15;
    private static final int MIN_PROJECT_WORDS = 5;
    private static final Set<String> QUESTION_OPENINGS = Set.of("what", "how", "who", "where", "when", "why", "which",
            "do", "does", "can", "could", "is", "are", "will", "would", "should", "write");
    /** Share of the question's subject words a merely relevant passage must hold. */
    static final double COVERED = 0.5;
    /** How much less similarity a passage holding every subject word needs. */
    static final double WORDS_BONUS = 0.05;
    /** Weight of the subject words held when ordering the passages that answer. */
    static final double COVERAGE_WEIGHT = 0.25;
    /** Weight of the question's own words (intent words included) held, for the same ordering. */
    static final double ASKED_WEIGHT = 0.15;
    /** Weight of a follow-up's context (the previous message's subject) in its search vector. */
    static final double CONTEXT_WEIGHT = 0.6;
    /** A second passage is added only when it is nearly as good as the first. */
    static final double RUNNER_UP_MARGIN = 0.06;
    static final int MAX_PASSAGES = 2;
    /** How many passages are weighed for an answer when the request does not say. */
    static final int CANDIDATES = 10;
    static final int MAX_CHARS = 1_100;
    /**
     * Weight of the agent's instructions in the search vector. The instructions name the agent's speciality
     * ("the agency's assistant for websites…"), which breaks ties toward that speciality's documents. On the
     * retrieval questions in KnowledgeAnswererTest the right document came first for 22 of 25 with weight 0, 23
     * with 0.15 and 0.3 (and was in the top two for all 25 with 0.3), 24 with 0.5; 0.3 is the middle ground,
     * because a misrouted question should still find its own answer.
     */
    static final double INSTRUCTIONS_WEIGHT = 0.3;

    static final String CANNOT_ANSWER = "I can't answer that from what I know. Could you rephrase the question, or "
            + "leave your e-mail address so someone from the team can get back to you?";

    /** Where answers are looked for: one knowledge base or several. */
    @FunctionalInterface
    interface Searcher {
        /** {@return the passages best for {@code rankBy}, best first, at most {@code limit}, scored by {@code scoreBy}} */
        List<Passage> search(float[] rankBy, float[] scoreBy, int limit);
    }

    private final Searcher searcher;
    private final Embedder embedder;
    private final double instructionsWeight;
    private final int candidates;

    KnowledgeAnswerer(KnowledgeBase knowledge, Embedder embedder, double instructionsWeight) {
        this(() -> knowledge, embedder, instructionsWeight);
    }

    /** @param knowledgeBase asked on each search, so that a re-indexed base is used from the next answer on */
    KnowledgeAnswerer(Supplier<KnowledgeBase> knowledgeBase, Embedder embedder, double instructionsWeight) {
        this((rankBy, scoreBy, limit) -> knowledgeBase.get().search(rankBy, scoreBy, limit), embedder,
                instructionsWeight, CANDIDATES);
    }

    /**
     * @param candidates how many passages to weigh (at least 1): no more than that, and at most
     *                   {@link #MAX_PASSAGES}, are quoted
     */
    KnowledgeAnswerer(Searcher searcher, Embedder embedder, double instructionsWeight, int candidates) {
        if (candidates < 1) throw new IllegalArgumentException("candidates must be at least 1, got " + candidates);
        this.searcher = searcher;
        this.embedder = embedder;
        this.instructionsWeight = instructionsWeight;
        this.candidates = candidates;
    }

    /**
     * An answer and where it came from.
     *
     * @param grounded whether it quotes the knowledge base (false for the "can't answer" reply)
     */
    record Answer(String text, List<Source> sources, boolean grounded, double bestSimilarity) {}

    Answer answer(String question, String instructions) {
        return answer(question, "", instructions);
    }

    /**
     * @param context words the question leans on but does not repeat, such as the subject of the visitor's previous
     *                message for "and how long does that take?"; empty for none
     */
    Answer answer(String question, String context, String instructions) {
        String query = context.isBlank() ? question : question + " " + context;
        float[] asked = embedder.embed(question);
        if (!context.isBlank()) {
            // The follow-up says what is asked ("how long?"), the context what about: its own words must weigh more,
            // or "and what would it cost?" after a question about an MVP finds the MVP's description again.
            float[] about = embedder.embed(context);
            for (int i = 0; i < asked.length; i++) asked[i] += (float) (CONTEXT_WEIGHT * about[i]);
        }
        float[] search = asked;
        if (instructionsWeight > 0 && instructions != null && !instructions.isBlank()) {
            float[] speciality = embedder.embedRemembered(instructions);
            search = new float[asked.length];
            for (int i = 0; i < asked.length; i++) search[i] = (float) (asked[i] + instructionsWeight * speciality[i]);
        }
        // The biased vector orders the passages; the question alone judges whether they are relevant, so the
        // instructions cannot make an off-topic question look answerable.
        Set<String> subject = Terms.subject(query);
        if (subject.isEmpty()) subject = Terms.content(query);
        Set<String> asks = Terms.content(question);
        Asked kind = Asked.by(question);
        List<Scored> relevant = new ArrayList<>();
        for (Passage p : searcher.search(search, asked, candidates)) {
            Set<String> words = words(p);
            Scored scored = new Scored(p, share(subject, words), share(asks, words), kind.isIn(p.text()));
            if (scored.answers()) relevant.add(scored);
        }
        if (relevant.isEmpty() && context.isBlank() && describesAProject(question) && search != asked) {
            // "We'd like a new website for our dental practice…" asks nothing a passage answers, but the agent it was
            // routed to has a speciality, and the passage that introduces it is the right first reply.
            float[] speciality = embedder.embedRemembered(instructions);
            List<Passage> overview = searcher.search(speciality, asked, 1);
            if (!overview.isEmpty() && overview.getFirst().similarity() >= OVERVIEW) {
                relevant.add(new Scored(overview.getFirst(), 0, 0, true));
            }
        }
        if (relevant.isEmpty()) {
            double best = searcher.search(asked, asked, 1).stream().mapToDouble(Passage::similarity).max().orElse(0);
            return new Answer(CANNOT_ANSWER, List.of(), false, best);
        }
        relevant.sort(Comparator.comparingDouble(Scored::rank).reversed());
        double best = relevant.getFirst().passage().similarity();
        List<Passage> used = new ArrayList<>();
        used.add(relevant.getFirst().passage());
        int length = used.getFirst().text().length();
        for (Scored s : relevant.subList(1, relevant.size())) {
            Passage p = s.passage();
            if (used.size() == MAX_PASSAGES) break;
            if (p.similarity() < best - RUNNER_UP_MARGIN || length + p.text().length() > MAX_CHARS) continue;
            used.add(p);
            length += p.text().length();
        }
        StringBuilder text = new StringBuilder();
        Set<Source> sources = new LinkedHashSet<>();
        for (Passage p : used) {
            if (!text.isEmpty()) text.append("\n\n");
            text.append(p.text());
            sources.add(new Source(p.heading().equals(p.title()) ? p.title() : p.title() + " › " + p.heading(), p.location()));
        }
        return new Answer(text.toString(), List.copyOf(sources), true, best);
    }

    /**
     * A passage with the share of the question's subject words it holds (the follow-up's context included), and
     * the share of all the question's own words ("cost", "long" too). Similar meaning alone lets a passage about
     * web applications answer a question about mobile apps; the words keep it honest, and a passage that holds
     * every subject word needs less similarity. Among the passages that answer, the one holding more of the
     * question's own words wins a near tie: "what would that cost?" wants the passage that says "costs". A
     * question asking for a price or a duration is answered only by a passage that names one ({@link Asked}).
     */
    private record Scored(Passage passage, double coverage, double asked, boolean namesWhatIsAsked) {
        boolean answers() {
            double similarity = passage.similarity();
            if (!namesWhatIsAsked) return false;
            return similarity >= CLOSE || (similarity >= SIMILAR && coverage > 0)
                    || (similarity >= RELEVANT && coverage >= COVERED)
                    || (similarity >= RELEVANT - WORDS_BONUS && coverage >= 1);
        }

        double rank() {
            return passage.similarity() + COVERAGE_WEIGHT * coverage + ASKED_WEIGHT * asked;
        }
    }

    /** {@return whether {@code message} tells about a project rather than asks a question} */
    static boolean describesAProject(String message) {
        if (message.contains("?")) return false;
        List<String> words = Terms.words(message);
        return words.size() >= MIN_PROJECT_WORDS && !QUESTION_OPENINGS.contains(words.getFirst());
    }

    private static Set<String> words(Passage p) {
        Set<String> words = new HashSet<>();
        for (String w : Terms.words(p.title() + " " + p.heading() + " " + p.text())) words.add(Terms.stem(w));
        return words;
    }

    /** {@return the share of {@code terms} among {@code words}} */
    private static double share(Set<String> terms, Set<String> words) {
        if (terms.isEmpty()) return 0;
        return (double) terms.stream().filter(words::contains).count() / terms.size();
    }

    /**
     * {@return {@code text} cut after each sentence and paragraph break, whitespace kept with the piece before it,
     * so the pieces joined are exactly {@code text}}
     */
    static List<String> deltas(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean end = (c == '.' || c == '!' || c == '?' || c == '\n')
                    && i + 1 < text.length() && Character.isWhitespace(text.charAt(i + 1));
            if (!end) continue;
            int next = i + 1;
            while (next < text.length() && Character.isWhitespace(text.charAt(next))) next++;
            out.add(text.substring(start, next));
            start = next;
            i = next - 1;
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }
}
