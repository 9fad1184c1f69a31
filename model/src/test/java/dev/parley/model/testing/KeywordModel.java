package dev.parley.model.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Completion;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.Usage;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model layer's test provider for the seed's agency workflow: classifies by keyword, and streams "Happy to help
 * with your &lt;speciality&gt; question." in three pieces, where the speciality is the seventh word of the agent's
 * instructions ("You are the agency's assistant for websites…"). It records every text request.
 */
public final class KeywordModel implements ModelProvider {
    public final List<TextRequest> textRequests = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "keywords";
    }

    /** {@return the reply this model gives to agent instructions} */
    public static String replyTo(String instructions) {
        return "Happy to help with your " + instructions.split("[ ,.:]")[6] + " question.";
    }

    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        textRequests.add(request);
        String speciality = request.instructions().split("[ ,.:]")[6];
        List<String> pieces = List.of("Happy to help ", "with your " + speciality + " ", "question.");
        StringBuilder said = new StringBuilder();
        for (String piece : pieces) {
            said.append(piece);
            if (!onDelta.accept(piece)) break;
        }
        return new Completion(said.toString(), new Usage(12, 7));
    }

    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        String text = request.input().toLowerCase(Locale.ROOT);
        String category = text.contains("landing page") ? "website_build"
                : text.contains("dashboard") ? "web_app_or_platform"
                : text.contains("calculator") ? "single_purpose_tool"
                : text.contains("zapier") ? "automation_or_integration"
                : text.contains("maintain") ? "maintenance_or_consulting"
                : "general_inquiry";
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("category", category)
                .put("confidence", 0.9).put("reason", "keyword");
        return new StructuredCompletion(value, value.toString(), new Usage(30, 9));
    }
}
