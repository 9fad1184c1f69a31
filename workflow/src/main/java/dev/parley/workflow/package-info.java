/** Agent-Builder-style workflows: documents, publish-time validation and (soon) the runtime. */
package dev.parley.workflow;
