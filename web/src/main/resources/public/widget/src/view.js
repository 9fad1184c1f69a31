// The shadow root's skeleton: launcher, panel, header, body and composer, built once per element. Labels and
// everything else that follows the options are filled in later (element.js), so reconfiguring never rebuilds
// this and never loses focus, scroll position or the text being typed.

import { h, icon } from './dom.js';

/**
 * Builds the nodes into `root` and returns them by role. `on` holds what the controls do: toggle,
 * toggleHistory, newChat, close (also Escape), loadEarlier, pickFiles, submit (also Enter) and input.
 */
export function buildView(root, styles, on) {
  const ui = {};
  ui.styles = h('style', { text: styles });
  ui.theme = h('style');
  ui.launcher = h('button.launcher', {
    type: 'button', part: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'parley-panel',
    onclick: () => on.toggle(),
  }, icon('chat'));
  ui.historyBtn = h('button.icon-btn', { type: 'button', 'aria-pressed': 'false', onclick: () => on.toggleHistory() }, icon('history'));
  ui.title = h('h2', { id: 'parley-title' });
  ui.newBtn = h('button.icon-btn', { type: 'button', onclick: () => on.newChat() }, icon('plus'));
  ui.closeBtn = h('button.icon-btn', { type: 'button', onclick: () => on.close() }, icon('close'));
  ui.greeting = h('p.greeting');
  ui.prompts = h('ul.prompts');
  ui.start = h('div.start', { part: 'start-screen' }, ui.greeting, ui.prompts);
  ui.earlier = h('button.btn.link', { type: 'button', hidden: true, onclick: () => on.loadEarlier() });
  ui.messages = h('div.messages', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', part: 'messages' });
  ui.progress = h('div.progress', { role: 'status', 'aria-live': 'polite' });
  ui.history = h('div.history', { hidden: true, part: 'history' });
  ui.body = h('div.body', { part: 'body' }, ui.start, ui.earlier, ui.messages, ui.progress, ui.history);
  ui.alertText = h('p');
  ui.alert = h('div.alert', { role: 'alert', hidden: true, part: 'error' }, ui.alertText);
  ui.chips = h('div.chips', { hidden: true });
  // Visually hidden rather than display:none, so automation and assistive tools can still reach it.
  ui.file = h('input.sr-only', { type: 'file', multiple: true, tabindex: '-1', 'aria-hidden': 'true',
    onchange: () => on.pickFiles() });
  ui.attach = h('button.icon-btn', { type: 'button', onclick: () => ui.file.click() }, icon('paperclip'));
  ui.input = h('textarea', { rows: '1', enterkeyhint: 'send' });
  ui.send = h('button.send', { type: 'submit' }, icon('send'));
  ui.form = h('form', { onsubmit: (e) => { e.preventDefault(); on.submit(); } }, ui.attach, ui.input, ui.send);
  ui.disclaimer = h('div.disclaimer', { part: 'disclaimer', hidden: true });
  ui.composer = h('div.composer', { part: 'composer' }, ui.chips, ui.form, ui.file, ui.disclaimer);
  ui.header = h('div.header', { part: 'header' }, ui.historyBtn, ui.title, ui.newBtn, ui.closeBtn);
  ui.panel = h('section.panel', {
    id: 'parley-panel', part: 'panel', role: 'dialog', 'aria-labelledby': 'parley-title', hidden: true,
  }, ui.header, ui.body, ui.alert, ui.composer);
  root.append(ui.styles, ui.theme, ui.launcher, ui.panel);

  ui.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      on.submit();
    }
  });
  ui.input.addEventListener('input', () => on.input());
  ui.panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      on.close();
    }
  });
  return ui;
}
