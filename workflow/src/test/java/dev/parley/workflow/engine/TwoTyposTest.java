package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.testing.KeywordModel;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.Problem;
import dev.parley.workflow.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow with two independent typos reports both in one round, whether each is a format mistake (a node type
 * misspelt) or a reference mistake (a node id misspelt in a condition), with each problem's fix in its own field
 * and on its own line of text.
 */
class TwoTyposTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    SqliteStore store;
    Workflows workflows;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("parley.db"));
        workflows = new Workflows(store.storage().workflows(), new KeywordModel());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aMisspeltNodeTypeAndAMisspeltReferenceAreReportedTogether() throws IOException {
        ObjectNode wf = seed();
        node(wf, "maintenance_inquiry_agent").put("type", "agnet");
        ((ObjectNode) node(wf, "route_inquiry").withArray("conditions").get(0)).put("expression",
                "project_inquiry_clasification.output_parsed.category == \"website_build\"");

        ValidationReport report = workflows.validate(wf.toString());

        assertThat(report.errors()).as(report.toString()).hasSize(2);
        Problem type = report.errors().get(0);
        assertThat(type.nodeId()).isEqualTo("maintenance_inquiry_agent");
        assertThat(type.message()).contains("unknown node type `agnet`");
        Problem reference = report.errors().get(1);
        assertThat(reference.nodeId()).isEqualTo("route_inquiry");
        assertThat(reference.message()).contains("project_inquiry_clasification");
        assertThat(reference.fix()).isNotBlank();
        // The edges to and from the unreadable node are not reported as more mistakes: they follow from the first.
        assertThat(report.toString()).doesNotContain("unknown node `maintenance_inquiry_agent`");
    }

    @Test
    void twoMisspeltReferencesAreReportedTogetherWithTheFixOnItsOwnLine() throws IOException {
        ObjectNode wf = seed();
        ((ObjectNode) node(wf, "route_inquiry").withArray("conditions").get(0)).put("expression",
                "project_inquiry_clasification.output_parsed.category == \"website_build\"");
        ((ObjectNode) node(wf, "tool_inquiry_end").path("schema").path("properties").path("message"))
                .put("default", "__VAR__tool_inquiry_agnet.output_text__ENDVAR__");

        ValidationReport report = workflows.validate(wf.toString());

        assertThat(report.errors()).as(report.toString()).hasSize(2);
        assertThat(report.errors()).extracting(Problem::nodeId).containsExactly("route_inquiry", "tool_inquiry_end");
        for (Problem p : report.errors()) {
            assertThat(p.toString()).isEqualTo(p.message() + "\n  Fix: " + p.fix());
            assertThat(p.message()).doesNotContain("Fix:");
        }
    }

    private static ObjectNode seed() throws IOException {
        try (InputStream in = TwoTyposTest.class.getClassLoader().getResourceAsStream("workflows/seed-agency.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static ObjectNode node(ObjectNode wf, String id) {
        for (JsonNode n : wf.withArray("nodes")) if (n.path("id").asText().equals(id)) return (ObjectNode) n;
        throw new AssertionError("no node " + id);
    }
}
