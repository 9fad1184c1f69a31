package dev.parley.workflow.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.parley.workflow.Node;
import dev.parley.workflow.NodeOutputs;
import dev.parley.workflow.StateVariable;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.expr.Cel;
import dev.parley.workflow.expr.TypeRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CEL declarations for a workflow: one struct type per output-producing node, {@code state}, {@code workflow}
 * and {@code sys}. Which of them a node may use is decided per node by {@link #compilerFor}.
 */
final class TypeEnvironment {
    static final List<String> NAMESPACES = List.of("workflow", "input", "state", "sys");
    static final List<String> WORKFLOW_FIELDS = List.of("input_as_text", "tool_choice");
    static final List<String> SYS_FIELDS = List.of("user_id", "thread_id", "locale");

    final TypeRegistry registry = new TypeRegistry();
    final Map<String, CelType> nodeTypes = new LinkedHashMap<>();
    final Map<String, JsonNode> outputSchemas = new LinkedHashMap<>();
    final Map<String, CelType> stateTypes = new LinkedHashMap<>();
    private final CelType stateType;
    private final CelType workflowType;
    private final CelType sysType;
    private final CelType textOnlyType;
    private final Graph graph;

    TypeEnvironment(Workflow wf, Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes.values()) {
            if (!n.producesOutput()) continue;
            Map<String, CelType> fields = new LinkedHashMap<>();
            fields.put("output_text", SimpleType.STRING);
            if (NodeOutputs.structured(n)) {
                JsonNode schema = NodeOutputs.schema(n);
                outputSchemas.put(n.id(), schema);
                fields.put("output_parsed", registry.fromSchema("$" + n.id() + ".output_parsed", schema));
            }
            nodeTypes.put(n.id(), registry.struct("$" + n.id(), fields));
        }
        for (StateVariable v : wf.state()) stateTypes.put(v.name(), registry.fromSchema("$state." + v.name(), v.schema()));
        stateType = registry.struct("$state", stateTypes);
        // tool_choice: the id of the composer tool the user picked for this message (ChatKit's composer.tools), or "".
        workflowType = registry.struct("$workflow", Map.of("input_as_text", SimpleType.STRING,
                "tool_choice", SimpleType.STRING));
        Map<String, CelType> sys = new LinkedHashMap<>();
        SYS_FIELDS.forEach(f -> sys.put(f, SimpleType.STRING));
        sysType = registry.struct("$sys", sys);
        textOnlyType = registry.struct("$text", Map.of("output_text", SimpleType.STRING));
    }

    /** {@return the type of {@code input} at a node whose input can come from {@code producers}} */
    CelType inputType(Set<String> producers) {
        if (producers.size() == 1) return nodeTypes.get(producers.iterator().next());
        // Different nodes can run last; their common shape is only known when all of them output text.
        boolean allText = producers.stream().allMatch(p -> !outputSchemas.containsKey(p)
                && !NodeOutputs.structured(graph.nodes.get(p)));
        return allText ? textOnlyType : SimpleType.DYN;
    }

    /**
     * {@return a compiler that declares exactly what {@code node} may read: the namespaces, {@code input} if
     * something runs before it, and every output-producing node upstream of it on every path}
     */
    CelCompiler compilerFor(Node node, CelType resultType) {
        CelCompilerBuilder b = Cel.compilerBuilder()
                .setTypeProvider(registry)
                .addVar("workflow", workflowType)
                .addVar("state", stateType)
                .addVar("sys", sysType);
        Set<String> producers = graph.inputProducers(node.id());
        if (!producers.isEmpty()) b.addVar("input", inputType(producers));
        for (String up : graph.upstreamOnEveryPath(node.id())) {
            CelType t = nodeTypes.get(up);
            if (t != null) b.addVar(up, t);
        }
        if (resultType != null) b.setResultType(resultType);
        return b.build();
    }
}
