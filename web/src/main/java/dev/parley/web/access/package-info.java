/** What every request meets first: CORS for the sites allowed to embed Parley, and rate limits per address and per user. */
package dev.parley.web.access;
