/** The browser console for workflows: its page, modules and sign-in; its data comes from the admin API. */
package dev.parley.web.console;
