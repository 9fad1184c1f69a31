/** {@code POST /api/chatkit/session}: the browser's identity cookie traded for a short-lived client secret, and the state variables a session may carry. */
package dev.parley.web.session;
