/** {@code POST /chatkit}: authenticates the client secret, hands the body to the dispatcher and writes its answer as JSON or server-sent events. */
package dev.parley.web.chatkit;
