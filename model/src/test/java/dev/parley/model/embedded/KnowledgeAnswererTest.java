package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retrieval quality on the sample knowledge base: which document answers which question, how the agent's
 * instructions change that, and where the relevance threshold sits. Prints what it measures.
 */
class KnowledgeAnswererTest {
    private static final String TAIL = " Ask about goals, audience, timeline and budget, explain how we would approach "
            + "the project, and keep answers short and friendly.";
    // The seed workflow's agent instructions.
    private static final String WEB = "You are the agency's assistant for websites: marketing sites, landing pages and redesigns." + TAIL;
    private static final String APP = "You are the agency's assistant for web applications and platforms with accounts and data." + TAIL;
    private static final String TOOL = "You are the agency's assistant for small single-purpose tools such as calculators and generators." + TAIL;
    private static final String AUTO = "You are the agency's assistant for automations and integrations between existing systems." + TAIL;
    private static final String MAINT = "You are the agency's assistant for maintenance, audits and technical consulting." + TAIL;
    private static final String GEN = "You are the agency's assistant for general questions about the agency, its process and pricing." + TAIL;

    private record Question(String text, String document, String instructions) {}

    private static final List<Question> ANSWERABLE = List.of(
            new Question("How much does a website cost?", "pricing.md", GEN),
            new Question("We need a new website for our flower shop", "services-websites.md", WEB),
            new Question("Can you redesign our site without losing our google ranking?", "services-websites.md", WEB),
            new Question("how long does a website take", "timelines.md", WEB),
            new Question("I want to build a SaaS for dentists with logins", "services-web-apps.md", APP),
            new Question("Can you rebuild our Bubble prototype?", "services-web-apps.md", APP),
            new Question("We need a price calculator on our site", "services-tools.md", TOOL),
            new Question("what does a small configurator cost", "services-tools.md", TOOL),
            new Question("Can you connect Shopify to our ERP?", "services-automation.md", AUTO),
            new Question("can AI sort our support emails", "services-automation.md", AUTO),
            new Question("Our site was hacked, help", "services-maintenance.md", MAINT),
            new Question("do you offer maintenance plans and what do they cost", "services-maintenance.md", MAINT),
            new Question("Who owns the code after the project?", "faq.md", GEN),
            new Question("Do you sign an NDA?", "faq.md", GEN),
            new Question("Where is your office?", "contact.md", GEN),
            new Question("What's your email address", "contact.md", GEN),
            new Question("What technologies do you use for web apps?", "tech-stack.md", APP),
            new Question("what are your payment terms", "pricing.md", GEN),
            new Question("How does your process work?", "process.md", GEN),
            new Question("When can you start?", "timelines.md", GEN),
            new Question("Do you give discounts to charities?", "about.md", GEN),
            new Question("How many people work at the agency?", "about.md", GEN),
            new Question("The previous developer left, can you take over our app?", "services-maintenance.md", MAINT),
            new Question("we need an accessibility audit", "services-maintenance.md", MAINT),
            new Question("Do you do design too?", "faq.md", WEB));
    private static final List<String> UNRELATED = List.of("What's the weather like in Paris tomorrow?",
            "Give me a recipe for lasagna", "Who won the football world cup in 2010?", "What is the capital of Australia?",
            "Tell me a joke about cats", "How do I cure a headache?", "Translate 'good morning' into Japanese",
            "What's the best stock to buy right now?", "Can you recommend a good novel?", "how tall is mount everest");

    private static KnowledgeBase knowledge;

    @BeforeAll
    static void load() {
        knowledge = KnowledgeBase.load(null, null, Embedder.shared());
    }

    @Test
    void theAgentsInstructionsHelpFindTheRightDocument() {
        int withoutInstructions = firstHits(0);
        int withInstructions = firstHits(KnowledgeAnswerer.INSTRUCTIONS_WEIGHT);
        for (double w : new double[] {0, 0.15, 0.3, 0.5}) {
            System.out.printf(Locale.ROOT, "instructions weight %.2f: right document first for %d of %d%n",
                    w, firstHits(w), ANSWERABLE.size());
        }
        assertThat(withInstructions).isGreaterThanOrEqualTo(withoutInstructions).isGreaterThanOrEqualTo(22);
    }

    @Test
    void theThresholdSeparatesAnswerableFromUnrelatedQuestions() {
        var answerer = new KnowledgeAnswerer(knowledge, Embedder.shared(), KnowledgeAnswerer.INSTRUCTIONS_WEIGHT);
        double lowestAnswerable = 1, highestUnrelated = -1;
        for (Question q : ANSWERABLE) {
            var a = answerer.answer(q.text(), q.instructions());
            assertThat(a.grounded()).as(q.text()).isTrue();
            lowestAnswerable = Math.min(lowestAnswerable, a.bestSimilarity());
        }
        for (String q : UNRELATED) {
            var a = answerer.answer(q, GEN);
            assertThat(a.grounded()).as(q).isFalse();
            assertThat(a.text()).isEqualTo(KnowledgeAnswerer.CANNOT_ANSWER);
            highestUnrelated = Math.max(highestUnrelated, a.bestSimilarity());
        }
        System.out.printf(Locale.ROOT, "best passage similarity: answerable ≥ %.2f, unrelated ≤ %.2f, threshold %.2f%n",
                lowestAnswerable, highestUnrelated, KnowledgeAnswerer.RELEVANT);
    }

    @Test
    void deltasJoinToTheText() {
        String text = "One sentence. Another one!\n\nA new paragraph? Yes. Version 2.5 stays whole.";
        List<String> deltas = KnowledgeAnswerer.deltas(text);
        assertThat(deltas).containsExactly("One sentence. ", "Another one!\n\n", "A new paragraph? ", "Yes. ",
                "Version 2.5 stays whole.");
        assertThat(String.join("", deltas)).isEqualTo(text);
        assertThat(KnowledgeAnswerer.deltas("")).isEmpty();
    }

    private static int firstHits(double weight) {
        Embedder e = Embedder.shared();
        int hits = 0;
        for (Question q : ANSWERABLE) {
            float[] asked = e.embed(q.text());
            float[] speciality = e.embedRemembered(q.instructions());
            float[] search = new float[asked.length];
            for (int i = 0; i < asked.length; i++) search[i] = (float) (asked[i] + weight * speciality[i]);
            if (knowledge.search(search, asked, 1).getFirst().location().equals("knowledge/" + q.document())) hits++;
        }
        return hits;
    }
}
