package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Category;
import dev.parley.workflow.Node;
import dev.parley.workflow.NodeOutputs;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a classifier node asks of the model apart from the parts rendered per turn (its instructions, if they hold
 * a template, and the input): the categories as prompt text and as the model's list, and the output schema. They
 * depend only on the node, and building them on every turn (joined strings, copied lists, a schema looked up by
 * value) was most of a classifier step's own cost.
 *
 * @param categoriesText the prompt after the instructions: each category with its description and examples, then
 *                       what to answer with
 * @param schema         the output schema; shared, so never modified
 */
record ClassifierPrompt(String categoriesText, List<Category> categories, ObjectNode schema) {
    /** Weak, so a replaced workflow's nodes go. */
    private static final Map<Node.Classifier, ClassifierPrompt> BY_NODE =
            Collections.synchronizedMap(new WeakHashMap<>());

    static final String DEFAULT_INSTRUCTIONS = "Classify the user's message into exactly one of these categories.";

    static ClassifierPrompt of(Node.Classifier c) {
        return BY_NODE.computeIfAbsent(c, ClassifierPrompt::build);
    }

    private static ClassifierPrompt build(Node.Classifier c) {
        var text = new StringBuilder("\n\nCategories:");
        for (Node.Category cat : c.categories()) {
            text.append("\n- ").append(cat.name());
            if (cat.description() != null) text.append(": ").append(cat.description());
            if (cat.examples() != null && !cat.examples().isEmpty()) {
                text.append(" Examples: ").append(String.join(" | ", cat.examples()));
            }
        }
        text.append("\n\nAnswer with the category, a confidence between 0 and 1, and a one-sentence reason.");
        List<Category> categories = c.categories().stream()
                .map(cat -> new Category(cat.name(), cat.description(), cat.examples())).toList();
        return new ClassifierPrompt(text.toString(), categories, NodeOutputs.classifierSchema(c));
    }

    /** {@return the whole prompt: the instructions as rendered for this turn, then the categories} */
    String prompt(String instructions) {
        return instructions + categoriesText;
    }
}
