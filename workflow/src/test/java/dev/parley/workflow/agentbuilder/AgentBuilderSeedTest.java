package dev.parley.workflow.agentbuilder;

import static dev.parley.workflow.agentbuilder.AgentBuilderJsonTest.node;
import static dev.parley.workflow.agentbuilder.AgentBuilderJsonTest.resource;
import static dev.parley.workflow.agentbuilder.AgentBuilderJsonTest.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.Node;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed guide's agency router as it would be built in Agent Builder (an agent with a JSON classification, an
 * If/else on {@code input.output_parsed.classification}, six agents, one End) imports to a workflow that validates
 * and routes like the shipped {@code seed-agency.json}.
 */
class AgentBuilderSeedTest {
    /** The seed's agents by the category that leads to them, and the imported fixture's. */
    static final Map<String, String> SEED_TO_IMPORTED = Map.of(
            "website_inquiry_agent", "website_agent",
            "web_app_inquiry_agent", "web_app_agent",
            "tool_inquiry_agent", "tool_agent",
            "automation_inquiry_agent", "automation_agent",
            "maintenance_inquiry_agent", "maintenance_agent",
            "general_inquiry_agent", "general_agent");

    @Test
    void importsAndValidates() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("seed-agency.agentbuilder.json"));
        assertThat(r.report().errors()).isEmpty();
        assertThat(WorkflowValidator.validate(WorkflowParser.parse(r.workflow())).errors()).isEmpty();
        // Six agents join at one End; each is an agent, so `input.output_text` is the reply Parley accepts there.
        assertThat(node(r, "reply").get("values").toString()).isEqualTo("{\"message\":\"input.output_text\"}");
    }

    @Test
    void routesEachCategoryToTheSameKindOfAgentAsTheSeed() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("seed-agency.agentbuilder.json"));
        Workflow seed = WorkflowParser.fromResource("workflows/seed-agency.json");
        Map<String, String> seedRoutes = routes(seed, "route_inquiry");

        JsonNode classify = node(r, "classify");
        List<String> categories = new ArrayList<>();
        classify.get("output_schema").get("properties").get("classification").get("enum")
                .forEach(c -> categories.add(c.asText()));
        Node.Classifier seedClassifier = (Node.Classifier) seed.nodes().stream()
                .filter(n -> n instanceof Node.Classifier).findFirst().orElseThrow();
        assertThat(categories).containsExactlyInAnyOrderElementsOf(seedClassifier.categoryNames());

        assertThat(target(r, "classify", null)).isEqualTo("route");
        Map<String, String> imported = routes(WorkflowParser.parse(r.workflow()), "route");
        for (String category : categories) {
            String seedAgent = seedRoutes.getOrDefault(category, seedRoutes.get("else"));
            String agent = imported.getOrDefault(category, imported.get("else"));
            assertThat(agent).as(category).isEqualTo(SEED_TO_IMPORTED.get(seedAgent));
            assertThat(target(r, agent, null)).as(agent).isEqualTo("reply");
        }
        assertThat(imported.values()).containsExactlyInAnyOrderElementsOf(SEED_TO_IMPORTED.values());
    }

    /**
     * {@return category → agent for an if_else whose conditions each compare the classification with one category
     * (and {@code else} → its agent)}; a condition of any other form fails the test, so the mapping is the routing.
     */
    private static Map<String, String> routes(Workflow wf, String ifElse) {
        Node.IfElse node = (Node.IfElse) wf.nodes().stream().filter(n -> n.id().equals(ifElse)).findFirst().orElseThrow();
        Map<String, String> byBranch = new LinkedHashMap<>();
        wf.edges().stream().filter(e -> e.from().equals(ifElse)).forEach(e -> byBranch.put(e.branch(), e.to()));
        Map<String, String> out = new LinkedHashMap<>();
        for (Node.Condition c : node.conditions()) {
            var m = java.util.regex.Pattern.compile("\\w+\\.output_parsed\\.\\w+ == \"(\\w+)\"").matcher(c.expression());
            assertThat(m.matches()).as(c.expression()).isTrue();
            out.put(m.group(1), byBranch.get(c.id()));
        }
        out.put("else", byBranch.get("else"));
        return out;
    }
}
