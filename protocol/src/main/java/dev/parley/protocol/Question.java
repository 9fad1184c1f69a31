package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One question of a structured-input item, with the user's answer once given. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Question.MultipleChoice.class, name = "multiple_choice"),
    @JsonSubTypes.Type(value = Question.Freeform.class, name = "freeform"),
})
public sealed interface Question {
    String id();

    String question();

    Answer answer();

    Question withAnswer(Answer answer);

    record MultipleChoice(String id, String question, Answer answer, List<Option> options, boolean multiple)
            implements Question {
        public MultipleChoice {
            options = options == null ? List.of() : List.copyOf(options);
        }

        @Override
        public MultipleChoice withAnswer(Answer newAnswer) {
            return new MultipleChoice(id, question, newAnswer, options, multiple);
        }
    }

    record Freeform(String id, String question, Answer answer, String description) implements Question {
        @Override
        public Freeform withAnswer(Answer newAnswer) {
            return new Freeform(id, question, newAnswer, description);
        }
    }

    record Option(String value) {}

    record Answer(List<String> values, boolean skipped) {
        public static final Answer SKIPPED = new Answer(List.of(), true);

        public Answer {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }
}
