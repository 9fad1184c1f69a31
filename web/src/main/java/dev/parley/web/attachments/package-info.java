/** Two-phase attachments: signed upload links, size and type limits, owner-only previews, bytes on disk. */
package dev.parley.web.attachments;
