package dev.parley.workflow;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.parley.workflow.expr.Templates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated workflow with every CEL expression already type-checked, so the runtime only has to turn ASTs into
 * programs ({@code Cel.runtime().createProgram(ast)}) and never re-parses at run time.
 *
 * @param expressions checked ASTs by node id, then field (e.g. {@code conditions[0].expression}, {@code values.message})
 * @param templates   parsed templates by node id, then field ({@code user_prompt}, {@code input}, …)
 * @param outgoing    each node's outgoing edges in the order the workflow lists them, by node id; worked out once
 *                    per version rather than by every run
 */
public record CompiledWorkflow(Workflow workflow, ValidationReport report,
                               Map<String, Map<String, CelAbstractSyntaxTree>> expressions,
                               Map<String, Map<String, Template>> templates,
                               Map<String, List<Edge>> outgoing) {

    public CompiledWorkflow(Workflow workflow, ValidationReport report,
                            Map<String, Map<String, CelAbstractSyntaxTree>> expressions,
                            Map<String, Map<String, Template>> templates) {
        this(workflow, report, expressions, templates, outgoingOf(workflow));
    }

    private static Map<String, List<Edge>> outgoingOf(Workflow workflow) {
        if (workflow == null) return Map.of();
        Map<String, List<Edge>> out = new HashMap<>();
        for (Edge e : workflow.edges()) out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
        out.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(out);
    }

    /** {@return the edges leaving the node, in the workflow's order; none for an End} */
    public List<Edge> edgesFrom(String nodeId) {
        return outgoing.getOrDefault(nodeId, List.of());
    }

    /** A template split into literal text and checked expressions, in order. */
    public record Template(List<Segment> segments) {}

    /** Either literal {@code text} or a checked {@code ast} to render; the other is null. */
    public record Segment(String text, String source, CelAbstractSyntaxTree ast) {
        public static Segment of(Templates.Part part, CelAbstractSyntaxTree ast) {
            return new Segment(part.text(), part.expression(), ast);
        }
    }

    public Optional<CelAbstractSyntaxTree> expression(String nodeId, String field) {
        return Optional.ofNullable(expressions.getOrDefault(nodeId, Map.of()).get(field));
    }

    public Optional<Template> template(String nodeId, String field) {
        return Optional.ofNullable(templates.getOrDefault(nodeId, Map.of()).get(field));
    }
}
