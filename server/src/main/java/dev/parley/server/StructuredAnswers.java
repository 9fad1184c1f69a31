package dev.parley.server;

import dev.parley.protocol.ChatKitRequest.StructuredInputSubmission;
import dev.parley.protocol.Question;
import dev.parley.protocol.ThreadItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Applies a user's answers to a pending structured-input item, following the reference's rules. */
final class StructuredAnswers {
    private static final System.Logger LOG = System.getLogger(StructuredAnswers.class.getName());
    private static final Set<String> STATUSES = Set.of("answered", "skipped");

    private StructuredAnswers() {}

    /**
     * {@return the item with every question answered or marked skipped}. A skipped submission, or a missing,
     * skipped or empty answer, records the question as skipped; a single-choice question keeps only its first
     * value; answers to unknown questions are ignored.
     *
     * @throws ChatKitException if the submission's status is neither answered nor skipped
     */
    static ThreadItem.StructuredInput apply(ThreadItem.StructuredInput pending, StructuredInputSubmission submission) {
        if (!STATUSES.contains(submission.status())) {
            throw ChatKitException.badRequest("invalid_params",
                    "params.input.status must be \"answered\" or \"skipped\", not \"" + submission.status() + "\"");
        }
        boolean skipAll = "skipped".equals(submission.status());
        Set<String> known = new HashSet<>();
        List<Question> answered = new ArrayList<>(pending.inputs().size());
        for (Question q : pending.inputs()) {
            known.add(q.id());
            Question.Answer given = submission.answers().get(q.id());
            if (skipAll || given == null || given.skipped() || given.values().isEmpty()) {
                answered.add(q.withAnswer(Question.Answer.SKIPPED));
                continue;
            }
            List<String> values = given.values();
            if (q instanceof Question.MultipleChoice mc && !mc.multiple()) values = List.of(values.getFirst());
            answered.add(q.withAnswer(new Question.Answer(values, false)));
        }
        for (String id : submission.answers().keySet()) {
            if (!known.contains(id)) {
                LOG.log(System.Logger.Level.INFO, "Ignoring an answer to unknown question {0} of item {1}", id, pending.id());
            }
        }
        return pending.withAnswers(submission.status(), answered);
    }
}
