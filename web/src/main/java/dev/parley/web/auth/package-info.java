/** Who is calling: signed client secrets and their revocation, HMAC keys, the admin token. */
package dev.parley.web.auth;
