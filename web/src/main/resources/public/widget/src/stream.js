// Sending and the streamed answer: one response at a time, its events applied as they arrive, and whatever
// goes wrong turned into an alert that says what to do next. Also the follow-ups a response can ask for:
// client tool calls, widget actions and retries.

import { ApiError } from './api.js';

export class StreamController {
  #state;
  #messages;
  #composer;
  #alerts;
  #threads;
  #host;
  #busy = false;
  /** Whether the server said this response may be cancelled (stream_options.allow_cancel). */
  #allowCancel = false;
  #abort = null;
  /** client_tool_call items the response ended on: the page answers them once the stream is over. */
  #toolCalls = [];

  /** `host` is the element, whose panel opens and history closes when a message goes out. */
  #extras;

  constructor(state, { messages, composer, extras, alerts, threads, host }) {
    this.#state = state;
    this.#extras = extras;
    this.#messages = messages;
    this.#composer = composer;
    this.#alerts = alerts;
    this.#threads = threads;
    this.#host = host;
  }

  get busy() {
    return this.#busy;
  }

  /** Whether the send button should be the stop button now. */
  get cancellable() {
    return this.#busy && this.#allowCancel;
  }

  /** Cancels the response in progress, if any; what arrived so far stays. */
  abort() {
    if (this.#abort) this.#abort.abort();
  }

  /** Sends what the composer holds, unless a response is running or an upload is unfinished. */
  submit() {
    if (this.#busy) return;
    const ready = this.#composer.ready(this.#extras.hasTags);
    if (ready) this.send(ready.text, ready.uploads, true);
  }

  /**
   * Sends a message; `fromComposer` when it is what the visitor typed (the composer is then emptied, tags and
   * all). `override` may give `content` (ChatKit's rich content), `toolChoice` and `model` in place of the
   * composer's.
   */
  async send(text, uploads, fromComposer, override) {
    const state = this.#state;
    const extraContent = override && Array.isArray(override.content) ? override.content : null;
    const hasTags = fromComposer && this.#extras.hasTags;
    if (this.#busy || (!text.trim() && !uploads.length && !extraContent && !hasTags)) return;
    if (!state.isOpen) this.#host.open({ focus: false });
    this.#host.hideHistory();
    this.#alerts.hide();
    state.showStart(false);
    let content = text.trim() ? [{ type: 'input_text', text }] : [];
    if (extraContent) content = content.concat(extraContent);
    else if (fromComposer) content = this.#extras.takeContent(text);
    const input = {
      content,
      attachments: uploads.map((u) => u.id),
      inference_options: this.#extras.inference(override),
    };
    // Shown at once, but the draft stays saved until the server has the message: nothing typed is lost.
    const pending = this.#messages.showPending(text);
    state.loadToken += 1;
    const sentUploads = fromComposer ? this.#composer.takeAll() : [];
    state.scrollToEnd(true);
    const ctx = {
      pending,
      text,
      restore: () => {
        pending.remove();
        if (fromComposer) this.#composer.giveBack(text, sentUploads);
        if (!this.#messages.size) state.showStart(true);
      },
      resend: () => (fromComposer ? this.submit() : this.send(text, uploads, false, override)),
    };
    const ok = state.threadId
      ? await this.#run('threads.add_user_message', { thread_id: state.threadId, input }, ctx)
      : await this.#run('threads.create', { input }, ctx);
    if (ok && ctx.userItemId) this.#composer.saveDraft();
  }

  /** ChatKit's sendCustomAction: an action with no widget behind it (or the one `itemId` names). */
  async customAction(action, itemId) {
    if (!this.#state.threadId) throw new Error('sendCustomAction needs an open thread; send a message first');
    await this.#run('threads.custom_action', { thread_id: this.#state.threadId, item_id: itemId || null,
      action: { type: String(action && action.type), payload: (action && action.payload) || {} } }, {});
  }

  /** Asks for a new reply to a stored user message; what followed it goes, as it does on the server. */
  async retryAfter(userItemId) {
    if (this.#busy || !this.#state.threadId) return;
    this.#alerts.hide();
    this.#messages.removeAfter(userItemId);
    await this.#run('threads.retry_after_item', { thread_id: this.#state.threadId, item_id: userItemId },
      { userItemId });
  }

  /** A widget button: the page's handler for `handler: 'client'`, else the server, streaming or not. */
  async widgetAction(entry, config, control) {
    const state = this.#state;
    const action = { type: config.type, payload: config.payload };
    if (config.handler === 'client') {
      state.emit('widget.action', { action, itemId: entry.item.id });
      const handler = state.options.widgets && state.options.widgets.onAction;
      if (typeof handler === 'function') await handler(action, { itemId: entry.item.id });
      return;
    }
    if (this.#busy || !state.threadId) return;
    const controls = entry.el ? entry.el.querySelectorAll('button, [role="button"]') : [];
    for (const c of controls) c.setAttribute('disabled', '');
    control.setAttribute('aria-busy', 'true');
    let ok;
    if (config.streaming === false) {
      try {
        const res = await state.api.request('threads.sync_custom_action',
          { thread_id: state.threadId, item_id: entry.item.id, action });
        if (res.updated_item) this.#messages.render(res.updated_item, false);
        ok = true;
      } catch (e) {
        this.#alerts.showError(e, () => this.widgetAction(entry, config, control));
        ok = false;
      }
    } else {
      ok = await this.#run('threads.custom_action', { thread_id: state.threadId, item_id: entry.item.id, action }, {});
    }
    control.removeAttribute('aria-busy');
    if (!ok) for (const c of controls) c.removeAttribute('disabled');
  }

  /**
   * Runs one streaming request to its end. Resolves true when the server ended the stream normally. Failures
   * are shown with what to do next: before the server had the message, the text goes back into the composer
   * and Retry resends it; after, Retry asks for a new reply to the same message.
   */
  async #run(type, params, ctx) {
    const state = this.#state;
    if (this.#busy) return false;
    this.#busy = true;
    this.#allowCancel = false;
    this.#abort = new AbortController();
    state.ui.progress.textContent = state.t('thinking');
    this.#messages.beginResponse();
    this.#toolCalls = [];
    state.emit('response.start', {});
    let ok = false;
    try {
      await state.api.stream(type, params, (event) => this.#onEvent(event, ctx), this.#abort.signal);
      ok = true;
    } catch (e) {
      if (e && e.name === 'AbortError') {
        ok = true;
      } else {
        let retry;
        if (ctx.userItemId) retry = () => this.retryAfter(ctx.userItemId);
        else if (ctx.restore) {
          ctx.restore();
          // The connection may have broken after the server stored the message: Retry then asks for a reply to
          // that one instead of sending the message a second time.
          const threadId = type === 'threads.create' ? null : params.thread_id;
          retry = async () => {
            const stored = threadId ? await this.#storedCopy(threadId, ctx.text) : null;
            if (!stored) return ctx.resend();
            this.#composer.discard(ctx.text);
            await this.#threads.load(threadId);
            return this.retryAfter(stored);
          };
        } else retry = () => this.#run(type, params, ctx);
        this.#alerts.showError(e, retry);
      }
    } finally {
      this.#busy = false;
      this.#abort = null;
      this.#composer.setSendMode(false);
      state.ui.progress.textContent = '';
      this.#messages.finishAllLive();
      state.emit('response.end', {});
      state.emit('log', { name: 'request.done', data: { type, ok } });
      // Whatever the reply ended with (sources, buttons, a widget) is shown in full.
      state.scrollToEnd();
    }
    if (ok && this.#toolCalls.length) await this.#runClientTools();
    return ok;
  }

  #onEvent(event, ctx) {
    const state = this.#state;
    switch (event.type) {
      case 'thread.created':
        state.setThread(event.thread.id, event.thread.title);
        state.loadedThread = event.thread.id;
        break;
      case 'thread.updated':
        if (event.thread.id === state.threadId) {
          state.threadTitle = event.thread.title || null;
          state.updateTitle();
        }
        break;
      case 'stream_options':
        this.#allowCancel = !!(event.stream_options && event.stream_options.allow_cancel);
        this.#composer.setSendMode(this.#allowCancel);
        break;
      case 'thread.item.added':
      case 'thread.item.done':
      case 'thread.item.replaced': {
        const item = event.item;
        if (item.type === 'user_message' && ctx.pending) {
          ctx.pending.remove();
          ctx.pending = null;
          ctx.userItemId = item.id;
          this.#composer.saveDraft();
        }
        if (item.type === 'assistant_message' || item.type === 'widget') state.ui.progress.textContent = '';
        const done = event.type !== 'thread.item.added';
        if (!done) this.#messages.markLive(item.id);
        this.#messages.render(item, !done);
        if (done) this.#messages.finishLive(item.id);
        if (done && item.type === 'client_tool_call' && item.status === 'pending') this.#toolCalls.push(item);
        state.scrollToEnd();
        break;
      }
      case 'thread.item.updated':
        this.#messages.applyUpdate(event.item_id, event.update);
        break;
      case 'thread.item.removed':
        this.#messages.remove(event.item_id);
        break;
      case 'progress_update':
        state.ui.progress.textContent = event.text || '';
        break;
      case 'client_effect':
        state.emit('effect', { name: event.name, data: event.data || {} });
        break;
      case 'notice':
        this.#messages.showNotice(event);
        break;
      case 'error': {
        const retry = event.allow_retry && ctx.userItemId ? () => this.retryAfter(ctx.userItemId) : null;
        this.#alerts.showMessage(event.message || state.t('streamError'), retry);
        state.emit('error', { error: new ApiError('stream', event.message || event.code || 'stream.error', { code: event.code }) });
        break;
      }
      default:
        break;
    }
  }

  /** {@return the id of the thread's newest item if it is a user message with exactly this text, else null} */
  async #storedCopy(threadId, text) {
    try {
      const page = await this.#state.api.request('items.list', { thread_id: threadId, order: 'desc', limit: 5 });
      const last = (page.data || []).find((item) => item.type === 'user_message');
      const said = last && (last.content || []).filter((c) => c.type === 'input_text').map((c) => c.text).join('');
      return last && said === text && page.data[0].id === last.id ? last.id : null;
    } catch (e) {
      return null;
    }
  }

  async #runClientTools() {
    const state = this.#state;
    const calls = this.#toolCalls;
    this.#toolCalls = [];
    for (const call of calls) {
      let result;
      try {
        if (typeof state.options.onClientTool !== 'function') throw new Error('no onClientTool option');
        result = await state.options.onClientTool({ name: call.name, params: call.arguments || {} });
      } catch (e) {
        this.#alerts.showMessage(state.t('toolFailed', { name: call.name }), null);
        result = { error: String(e && e.message || e) };
      }
      await this.#run('threads.add_client_tool_output', { thread_id: state.threadId, result: result == null ? {} : result }, {});
    }
  }
}
