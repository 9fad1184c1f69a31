/** Hosted mode: the session route creates ChatKit sessions at OpenAI for an Agent Builder workflow. */
package dev.parley.web.hosted;
