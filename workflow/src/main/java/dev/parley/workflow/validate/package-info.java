/** Publish-time validation: graph rules, CEL type-checking against upstream output schemas, End values; every problem with its node, field and fix. */
package dev.parley.workflow.validate;
