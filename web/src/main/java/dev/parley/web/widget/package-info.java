/**
 * The chat widget served from the jar: {@link dev.parley.web.widget.WidgetService} answers {@code GET /} and
 * {@code GET /widget/*}, and {@link dev.parley.widget.ModuleBundler} turns the widget's ES modules into the
 * one script a page loads, so neither building nor running Parley needs a JavaScript toolchain.
 */
package dev.parley.web.widget;
