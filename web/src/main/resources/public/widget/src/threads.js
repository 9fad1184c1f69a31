// Opening stored threads: the one remembered for this server when the panel first opens, one picked from the
// history, and older pages of the open one.

import { local } from './storage.js';

const PAGE_SIZE = 30;

export class ThreadLoader {
  #state;
  #messages;
  #alerts;
  #host;
  /** The items.list cursor for the page before the oldest item shown; null when there is none. */
  #earlierCursor = null;

  /** `host` is the element: a load closes the history, and a thread that is gone starts a new chat. */
  constructor(state, messages, alerts, host) {
    this.#state = state;
    this.#messages = messages;
    this.#alerts = alerts;
    this.#host = host;
  }

  get hasEarlier() {
    return !!this.#earlierCursor;
  }

  async restore() {
    const id = local(this.#state.key('thread'));
    this.#state.loadedThread = null;
    if (id) await this.load(id);
  }

  async load(id) {
    const state = this.#state;
    state.emit('thread.load.start', { threadId: id });
    state.loadedThread = id;
    // A message sent while this loads wins; the late answer is dropped instead of wiping the new turn.
    const token = state.loadToken = state.loadToken + 1;
    this.#host.hideHistory();
    this.#alerts.hide();
    try {
      const [thread, page] = await Promise.all([
        state.api.request('threads.get_by_id', { thread_id: id }),
        state.api.request('items.list', { thread_id: id, order: 'desc', limit: PAGE_SIZE }),
      ]);
      if (token !== state.loadToken) return;
      this.#messages.clear();
      state.setThread(id, thread.title);
      state.showStart(false);
      page.data.slice().reverse().forEach((item) => this.#messages.render(item, false));
      this.#earlierCursor = page.has_more ? page.after : null;
      state.ui.earlier.hidden = !page.has_more;
      state.scrollToEnd(true);
    } catch (e) {
      if (e.status === 404) {
        // Deleted elsewhere or never ours: start fresh rather than show an error about it.
        this.#host.newChat();
      } else {
        this.#alerts.showError(e, () => this.load(id), state.t('loadFailed'));
      }
    } finally {
      state.emit('thread.load.end', { threadId: id });
    }
  }

  async loadEarlier() {
    const state = this.#state;
    if (!state.threadId || !this.#earlierCursor) return;
    const body = state.ui.body;
    const fromBottom = body.scrollHeight - body.scrollTop;
    try {
      const page = await state.api.request('items.list',
        { thread_id: state.threadId, order: 'desc', limit: PAGE_SIZE, after: this.#earlierCursor });
      // Newest first, each put on top: the page ends up in reading order above what is already shown.
      for (const item of page.data) {
        const el = this.#messages.render(item, false, true);
        if (el) state.ui.messages.insertBefore(el, state.ui.messages.firstChild);
      }
      this.#earlierCursor = page.has_more ? page.after : null;
      state.ui.earlier.hidden = !page.has_more;
      body.scrollTop = body.scrollHeight - fromBottom;
    } catch (e) {
      this.#alerts.showError(e, () => this.loadEarlier());
    }
  }
}
