/**
 * The chat widget as one script for any server to send: {@link dev.parley.widget.WidgetScript} builds it from the
 * widget's ES modules with {@link dev.parley.widget.ModuleBundler}. Parley's own server and the Spring Boot starter
 * both serve it.
 */
package dev.parley.widget;
