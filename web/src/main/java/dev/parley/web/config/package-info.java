/** Every setting an operator can make, one record per concern, checked when built; the only code that reads the environment ({@link dev.parley.web.config.Environment}). */
package dev.parley.web.config;
