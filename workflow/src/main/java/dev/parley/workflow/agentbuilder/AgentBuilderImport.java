package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ChatKitJson;

/**
 * One entry point for a file someone brought from Agent Builder: its workflow JSON or its Agents SDK code export
 * (Python or TypeScript), told apart by content so the console, the admin API and the command line take the file
 * as it is.
 */
public final class AgentBuilderImport {
    private AgentBuilderImport() {}

    /** {@return the Parley document and the report}; input that is neither form is an error entry, never an exception */
    public static ImportResult importFile(String content) {
        String text = content == null ? "" : content.strip();
        if (text.startsWith("\uFEFF")) text = text.substring(1).strip();
        if (text.isEmpty()) {
            return refused("the file is empty", "send the workflow JSON from Agent Builder, or its Agents SDK code export");
        }
        if (!text.startsWith("{")) return AgentsSdkCode.convert(text);
        JsonNode json;
        try {
            json = ChatKitJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            return refused("the file starts like JSON but is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", "send the file exactly as saved from Agent Builder");
        }
        if (!"workflow".equals(json.path("object").asText()) && json.path("nodes").path(0).has("type")
                && !json.path("nodes").path(0).has("node_type")) {
            return refused("this is already a Parley workflow document, not an Agent Builder one",
                    "publish it as it is: POST /admin/workflows");
        }
        return AgentBuilderJson.convert(json);
    }

    private static ImportResult refused(String message, String fix) {
        return new ImportResult(null, new ImportReport.Builder().error("file", message, fix).build());
    }
}
