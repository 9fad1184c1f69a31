package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The editor schema must be a valid 2020-12 schema, accept the seed, and reject what the parser rejects. */
class EditorSchemaTest {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static String resource(String path) throws IOException {
        try (var in = EditorSchemaTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void schemaIsValidAndAcceptsTheSeed() throws IOException {
        String schemaText = resource("workflow.schema.json");
        Schema meta = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(schemaText, InputFormat.JSON)).isEmpty();
        Schema schema = REGISTRY.getSchema(schemaText, InputFormat.JSON);
        assertThat(schema.validate(resource("workflows/seed-agency.json"), InputFormat.JSON)).isEmpty();
    }

    @Test
    void schemaRejectsAWhileWithoutMaxIterationsAndAnUnknownType() throws IOException {
        Schema schema = REGISTRY.getSchema(resource("workflow.schema.json"), InputFormat.JSON);
        List<Error> errors = schema.validate("""
                {"id": "wf_x", "name": "x", "nodes": [
                  {"id": "loop", "type": "while", "condition": "true"},
                  {"id": "a", "type": "llm"}], "edges": []}""", InputFormat.JSON);
        assertThat(errors).extracting(Error::toString)
                .anyMatch(e -> e.contains("/nodes/0") && e.contains("max_iterations"))
                .anyMatch(e -> e.contains("/nodes/1/type"));
    }

    @Test
    void schemaAcceptsTheToolNodesAndRejectsWhatPublishingRefuses() throws IOException {
        Schema schema = REGISTRY.getSchema(resource("workflow.schema.json"), InputFormat.JSON);
        assertThat(schema.validate(Docs.tools().toString(), InputFormat.JSON)).isEmpty();

        List<Error> errors = schema.validate("""
                {"id": "wf_x", "name": "x", "nodes": [
                  {"id": "s", "type": "file_search", "max_results": 21},
                  {"id": "m", "type": "mcp", "server_label": "crm", "server_url": "https://user:pw@mcp.example.com",
                   "headers": {"Authorization": "Bearer sk-live"}, "tool": "find contact", "arguments": {"a": 1}}],
                 "edges": []}""", InputFormat.JSON);
        assertThat(errors).extracting(Error::toString)
                .anyMatch(e -> e.contains("/nodes/0") && e.contains("knowledge_bases"))
                .anyMatch(e -> e.contains("/nodes/0/max_results"))
                .anyMatch(e -> e.contains("/nodes/1/server_url"))
                .anyMatch(e -> e.contains("/nodes/1/headers/Authorization"))
                .anyMatch(e -> e.contains("/nodes/1/tool"))
                .anyMatch(e -> e.contains("/nodes/1/arguments/a"));
    }
}
