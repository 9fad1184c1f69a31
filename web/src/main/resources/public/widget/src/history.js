// The history panel: earlier chats, newest first, each to open, rename or delete (after a confirmation).
// It takes the place of the conversation in the panel body; the header button toggles between the two.

import { h, icon } from './dom.js';

export class HistoryPanel {
  #state;
  #alerts;
  #threads;
  #messages;
  #host;
  /** The list being filled; a page that arrives after the panel was reopened sees a new list and is dropped. */
  #list = null;

  /** `host` is the element, whose panel opens with the history. */
  constructor(state, { alerts, threads, messages, host }) {
    this.#state = state;
    this.#alerts = alerts;
    this.#threads = threads;
    this.#messages = messages;
    this.#host = host;
  }

  show() {
    const { ui, t } = this.#state;
    if (!ui) return;
    this.#host.open({ focus: false });
    ui.history.hidden = false;
    ui.start.hidden = true;
    ui.messages.hidden = true;
    ui.earlier.hidden = true;
    ui.historyBtn.setAttribute('aria-pressed', 'true');
    ui.historyBtn.setAttribute('aria-label', t('back'));
    ui.historyBtn.replaceChildren(icon('back'));
    ui.history.replaceChildren(h('h3', { text: t('historyTitle') }));
    this.#list = h('ul');
    ui.history.appendChild(this.#list);
    this.#state.emit('history.open', {});
    this.#load(null);
  }

  hide() {
    const { ui, t, threadId } = this.#state;
    if (!ui || ui.history.hidden) return;
    ui.history.hidden = true;
    ui.messages.hidden = false;
    ui.start.hidden = this.#messages.size > 0 || !!threadId;
    ui.earlier.hidden = !this.#threads.hasEarlier || !threadId;
    ui.historyBtn.setAttribute('aria-pressed', 'false');
    ui.historyBtn.setAttribute('aria-label', t('history'));
    ui.historyBtn.replaceChildren(icon('history'));
    this.#state.emit('history.close', {});
  }

  toggle() {
    if (this.#state.ui.history.hidden) this.#host.showHistory();
    else this.#host.hideHistory();
  }

  async #load(after) {
    const list = this.#list;
    const state = this.#state;
    try {
      const params = { limit: 20, order: 'desc' };
      if (after) params.after = after;
      const page = await state.api.request('threads.list', params);
      if (list !== this.#list) return;
      const more = list.querySelector('.more');
      if (more) more.remove();
      if (!after && !page.data.length) list.appendChild(h('li.muted', { text: state.t('historyEmpty') }));
      for (const thread of page.data) list.appendChild(this.#row(thread));
      if (page.has_more) {
        list.appendChild(h('li.more', null, h('button.btn.link', { type: 'button', text: state.t('loadMore'),
          onclick: () => this.#load(page.after) })));
      }
      if (!after) {
        const first = list.querySelector('button');
        if (first) first.focus();
      }
    } catch (e) {
      this.#alerts.showError(e, () => this.#host.showHistory());
    }
  }

  /** One chat: its title and date open it; rename and delete swap the row for a small form in place. */
  #row(thread) {
    const state = this.#state;
    const t = (key, vars) => state.t(key, vars);
    const title = () => thread.title || t('untitled');
    const row = h('li', { 'data-thread': thread.id });
    const render = () => {
      const when = formatDate(thread.created_at, state.options.locale);
      const open = h('button.open', { type: 'button', 'aria-current': thread.id === state.threadId ? 'true' : false,
        onclick: () => this.#threads.load(thread.id) }, h('span', { text: title() }), h('small', { text: when }));
      const rename = h('button.icon-btn', { type: 'button', 'aria-label': t('rename') + ': ' + title(),
        title: t('rename'), 'data-action': 'rename', onclick: () => editing() }, icon('edit'));
      const del = h('button.icon-btn', { type: 'button', 'aria-label': t('delete') + ': ' + title(),
        title: t('delete'), 'data-action': 'delete', onclick: () => confirming() }, icon('trash'));
      const allowed = state.options.history || {};
      row.replaceChildren(open, allowed.showRename === false ? '' : rename, allowed.showDelete === false ? '' : del);
    };
    const editing = () => {
      const input = h('input', { type: 'text', 'aria-label': t('renameLabel'), maxlength: '200' });
      input.value = thread.title || '';
      const save = async () => {
        const name = input.value.trim();
        if (!name) return;
        try {
          const updated = await state.api.request('threads.update', { thread_id: thread.id, title: name });
          thread.title = updated.title || name;
          if (thread.id === state.threadId) { state.threadTitle = thread.title; state.updateTitle(); }
          render();
          row.querySelector('.open').focus();
        } catch (e) {
          this.#alerts.showError(e, save);
        }
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') { e.preventDefault(); save(); }
        if (e.key === 'Escape') { e.preventDefault(); render(); row.querySelector('[data-action=rename]').focus(); }
      });
      row.replaceChildren(input,
        h('button.btn.primary', { type: 'button', text: t('save'), onclick: save }),
        h('button.btn.secondary', { type: 'button', text: t('cancel'), onclick: () => render() }));
      input.focus();
      input.select();
    };
    const confirming = () => {
      const yes = h('button.btn.primary', { type: 'button', text: t('confirmDelete'), 'data-action': 'confirm-delete',
        onclick: async () => {
          try {
            await state.api.request('threads.delete', { thread_id: thread.id });
            const next = row.nextElementSibling || row.previousElementSibling;
            row.remove();
            if (thread.id === state.threadId) {
              state.setThread(null, null);
              this.#messages.clear();
            }
            const focusTarget = next && next.querySelector('button');
            if (focusTarget) focusTarget.focus();
          } catch (e) {
            this.#alerts.showError(e, null);
          }
        } });
      const no = h('button.btn.secondary', { type: 'button', text: t('cancel'), onclick: () => render() });
      row.replaceChildren(h('span.open', { text: title() }), yes, no);
      no.focus();
    };
    render();
    return row;
  }
}

function formatDate(value, locale) {
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value || '') ? value : (value || '') + 'Z');
  if (isNaN(date)) return '';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  } catch (e) {
    return date.toLocaleString();
  }
}
