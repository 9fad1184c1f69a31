/** CEL expressions and text templates, as the validator checks them and the engine evaluates them. */
package dev.parley.workflow.expr;
