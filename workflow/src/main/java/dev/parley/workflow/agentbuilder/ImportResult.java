package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Parley workflow document made from an Agent Builder workflow or its code export, with the report.
 *
 * @param workflow the Parley document (docs/workflows.md), or null when the input could not be read at all
 */
public record ImportResult(ObjectNode workflow, ImportReport report) {}
