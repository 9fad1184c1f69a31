/** Operator- and backend-facing routes: the admin API (workflows, runs, traces), the server-side API for a host's backend, health, and trace pruning. */
package dev.parley.web.admin;
