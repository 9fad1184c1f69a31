// The conversation: thread items in order, kept up to date as the stream adds, updates and removes them, with
// replies revealed at a steady pace while they stream.

import { h } from './dom.js';
import { buildItem, buildNotice, replyActions, sourceList, textOf } from './items.js';
import { markdown } from './markdown.js';
import { replaceComponent } from './widgets.js';

export class MessageList {
  #state;
  #alerts;
  #replies;
  /** id → {item, el, shown, timer, live, streamed, painted}: `shown` is how much of the reply is revealed. */
  #items = new Map();
  #order = [];
  /** Items added but not yet done in the current response; finished when it ends, however it ends. */
  #live = new Set();

  /**
   * `replies` reaches the stream controller, which is built after this list: retryAfter(userItemId),
   * widgetAction(entry, config, control) and busy().
   */
  constructor(state, alerts, replies) {
    this.#state = state;
    this.#alerts = alerts;
    this.#replies = replies;
  }

  get size() {
    return this.#order.length;
  }

  /** Shows the visitor's message before the server has it; the caller removes it once the server echoes it. */
  showPending(text) {
    const pending = h('div.msg.user.pending', { 'aria-label': this.#state.t('you') }, text);
    this.#state.ui.messages.appendChild(pending);
    return pending;
  }

  showNotice(event) {
    this.#state.ui.messages.appendChild(buildNotice(event));
  }

  /**
   * Creates or refreshes an item's element; `live` items are still streaming. A `detached` item is one loaded
   * from further back: it goes first in the order, and the caller places its element.
   */
  render(item, live, detached) {
    let entry = this.#items.get(item.id);
    if (!entry) {
      entry = { item, el: null, shown: 0, timer: null, live };
      this.#items.set(item.id, entry);
      if (detached) this.#order.unshift(item.id);
      else this.#order.push(item.id);
    }
    entry.item = item;
    entry.live = live;
    if (live) entry.streamed = true;
    const el = buildItem(entry, this.#state.t,
      (action, control) => this.#replies.widgetAction(entry, action, control));
    if (!el) return null;
    if (entry.el && entry.el !== el) entry.el.replaceWith(el);
    else if (!entry.el && !detached) this.#state.ui.messages.appendChild(el);
    entry.el = el;
    if (item.type === 'assistant_message') this.#reveal(entry);
    return el;
  }

  beginResponse() {
    this.#live = new Set();
  }

  markLive(id) {
    this.#live.add(id);
  }

  finishLive(id) {
    this.#live.delete(id);
    const entry = this.#items.get(id);
    if (!entry) return;
    entry.live = false;
    if (entry.item.type === 'assistant_message') this.#reveal(entry);
  }

  finishAllLive() {
    for (const id of this.#live) this.finishLive(id);
  }

  applyUpdate(itemId, update) {
    const entry = this.#items.get(itemId);
    if (!entry || !update) return;
    const item = entry.item;
    switch (update.type) {
      case 'assistant_message.content_part.added':
      case 'assistant_message.content_part.done':
      case 'assistant_message.content_part.text_delta':
      case 'assistant_message.content_part.annotation_added': {
        item.content = item.content || [];
        while (item.content.length <= update.content_index) item.content.push({ type: 'output_text', text: '', annotations: [] });
        const part = item.content[update.content_index];
        if (update.type === 'assistant_message.content_part.text_delta') part.text = (part.text || '') + update.delta;
        else if (update.type === 'assistant_message.content_part.annotation_added') {
          part.annotations = part.annotations || [];
          part.annotations.splice(Math.min(update.annotation_index, part.annotations.length), 0, update.annotation);
        } else item.content[update.content_index] = update.content;
        this.#state.ui.progress.textContent = '';
        this.#reveal(entry);
        break;
      }
      case 'widget.root.updated':
        item.widget = update.widget;
        this.render(item, entry.live);
        break;
      case 'widget.component.updated':
        replaceComponent(item.widget, update.component_id, () => update.component);
        this.render(item, entry.live);
        break;
      case 'widget.streaming_text.value_delta':
        replaceComponent(item.widget, update.component_id, (c) => Object.assign({}, c, { value: (c.value || '') + update.delta }));
        this.render(item, entry.live);
        break;
      case 'workflow.task.added':
      case 'workflow.task.updated':
        if (item.workflow) {
          item.workflow.tasks = item.workflow.tasks || [];
          item.workflow.tasks[update.task_index] = update.task;
          this.render(item, entry.live);
        }
        break;
      default:
        break;
    }
    this.#state.scrollToEnd();
  }

  remove(id) {
    const entry = this.#items.get(id);
    if (!entry) return;
    if (entry.timer) clearInterval(entry.timer);
    if (entry.el) entry.el.remove();
    this.#items.delete(id);
    this.#order = this.#order.filter((x) => x !== id);
  }

  /** Removes what followed a user message, as the server does when it answers that message again. */
  removeAfter(userItemId) {
    const at = this.#order.indexOf(userItemId);
    if (at >= 0) for (const id of this.#order.slice(at + 1)) this.remove(id);
  }

  clear() {
    const ui = this.#state.ui;
    for (const entry of this.#items.values()) if (entry.timer) clearInterval(entry.timer);
    this.#items.clear();
    this.#order = [];
    ui.messages.replaceChildren();
    ui.progress.textContent = '';
    ui.earlier.hidden = true;
  }

  /**
   * Shows a reply word by word. Text arrives in bursts (a whole sentence per delta from some providers, many
   * deltas per network read from others); revealing it at a steady pace, catching up faster the further
   * behind it is, reads like typing and never lags the server by more than a few frames.
   */
  #reveal(entry) {
    const full = textOf(entry.item);
    entry.el.setAttribute('aria-busy', entry.live ? 'true' : 'false');
    // Loaded from history, or sent whole in one event: nothing to reveal.
    if (!entry.streamed) {
      entry.shown = full.length;
      this.#paint(entry, full, true);
      return;
    }
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) entry.shown = full.length;
    if (entry.shown >= full.length) {
      this.#paint(entry, full, !entry.live);
      return;
    }
    if (entry.timer) return;
    entry.timer = setInterval(() => {
      const target = textOf(entry.item);
      if (entry.shown < target.length) {
        const behind = target.length - entry.shown;
        let next = entry.shown + Math.max(4, Math.ceil(behind / 6));
        const space = target.indexOf(' ', next);
        next = space < 0 || space - next > 12 ? Math.min(next, target.length) : space + 1;
        entry.shown = Math.min(next, target.length);
        this.#paint(entry, target.slice(0, entry.shown), false);
        this.#state.scrollToEnd();
        return;
      }
      clearInterval(entry.timer);
      entry.timer = null;
      this.#paint(entry, target, !entry.live);
    }, 40);
  }

  #paint(entry, text, final) {
    const md = entry.el.querySelector('.md');
    md.replaceChildren(markdown.render(text));
    if (!text && !final) md.classList.add('typing');
    else md.classList.remove('typing');
    if (!final || entry.painted) return;
    entry.painted = true;
    entry.el.setAttribute('aria-busy', 'false');
    entry.el.setAttribute('data-state', 'done');
    const sources = sourceList(entry.item, this.#state.t, this.#state.options.entities);
    if (sources) entry.el.appendChild(sources);
    // The lookup is read at each use: the options, and with them the strings, may change after painting.
    const t = (key, vars) => this.#state.t(key, vars);
    entry.el.appendChild(replyActions(entry, this.#state.options.threadItemActions, t, {
      feedback: (kind, bar) => this.#feedback(entry, kind, bar),
      retry: () => this.#retryReply(entry),
    }));
    // The finished reply grew by its sources and buttons: bring them into view too.
    this.#state.scrollToEnd();
  }

  async #feedback(entry, kind, bar) {
    const state = this.#state;
    try {
      await state.api.request('items.feedback', { thread_id: state.threadId, item_ids: [entry.item.id], kind });
      for (const b of bar.querySelectorAll('[data-feedback]')) {
        b.setAttribute('aria-pressed', String(b.getAttribute('data-feedback') === kind));
      }
      state.ui.progress.textContent = state.t('thanks');
      setTimeout(() => { if (!this.#replies.busy()) state.ui.progress.textContent = ''; }, 2000);
    } catch (e) {
      this.#alerts.showError(e, () => this.#feedback(entry, kind, bar));
    }
  }

  /** "Try again" under a reply asks for a new answer to the visitor's message before it. */
  #retryReply(entry) {
    const at = this.#order.indexOf(entry.item.id);
    for (let i = at; i >= 0; i--) {
      const candidate = this.#items.get(this.#order[i]);
      if (candidate && candidate.item.type === 'user_message') {
        this.#replies.retryAfter(candidate.item.id);
        return;
      }
    }
  }
}
