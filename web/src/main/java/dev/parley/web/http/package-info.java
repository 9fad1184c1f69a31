/** HTTP plumbing every route shares: request reading, SSE framing, and the one place an exception becomes a JSON error response ({@link dev.parley.web.http.ErrorResponses}). */
package dev.parley.web.http;
