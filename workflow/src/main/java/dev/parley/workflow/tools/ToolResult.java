package dev.parley.workflow.tools;

import dev.parley.model.Source;
import java.util.List;
import java.util.Objects;

/** What a tool call gave: content for the model, or a failure the model is told about and can work around. */
public sealed interface ToolResult {
    /** {@return the text the model reads as the call's result} */
    String forModel();

    /**
     * @param content the tool's answer, already size-capped
     * @param sources the documents the answer came from (a knowledge search's passages), cited on the reply
     */
    record Ok(String content, List<Source> sources) implements ToolResult {
        public Ok {
            Objects.requireNonNull(content, "content");
            sources = sources == null ? List.of() : List.copyOf(sources);
        }

        public Ok(String content) {
            this(content, List.of());
        }

        @Override
        public String forModel() {
            return content;
        }
    }

    /**
     * @param messageForTheModel what went wrong and what to do now, in words the model can pass on; never
     *                           internal details such as URLs, stack traces or the host's error pages
     * @param detailForTheTrace  what an operator needs to fix it (status, URL, excerpt of the answer); kept in
     *                           the run's trace, never shown to the model or the user
     */
    record Failed(String messageForTheModel, String detailForTheTrace) implements ToolResult {
        public Failed {
            Objects.requireNonNull(messageForTheModel, "messageForTheModel");
            Objects.requireNonNull(detailForTheTrace, "detailForTheTrace");
        }

        @Override
        public String forModel() {
            return messageForTheModel;
        }
    }
}
