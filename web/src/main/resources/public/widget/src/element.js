// <parley-chat>: the launcher, the panel and everything in it. One instance per element; all state lives on
// the instance and in the shadow root, so two widgets on a page (or a host page's own code) never collide.

// The script's own origin is the default server: the two-line embed works on any site without configuration.
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(document.currentScript.src).origin;
  } catch (e) {
    return location.origin;
  }
})();

const ATTRIBUTES = ['api-url', 'session-url', 'greeting', 'placeholder', 'color-scheme', 'locale', 'open'];
const RADII = { pill: '24px', round: '16px', soft: '10px', sharp: '3px' };
const DENSITY = { compact: '6px', normal: '8px', spacious: '10px' };
const PAGE_SIZE = 30;

class ParleyChatElement extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  /** Registers the element under `tag`; a tag already taken (say, by a second copy of the script) is left alone. */
  static define(tag = 'parley-chat', registry = window.customElements) {
    if (!registry) return ParleyChatElement;
    try {
      if (!registry.get(tag)) registry.define(tag, tag === 'parley-chat' ? ParleyChatElement : class extends ParleyChatElement {});
    } catch (e) {
      if (!(e instanceof DOMException && (e.name === 'NotSupportedError' || e.name === 'SyntaxError'))) throw e;
    }
    return ParleyChatElement;
  }

  constructor() {
    super();
    this._jsOptions = {};
    this._items = new Map();
    this._order = [];
    this._live = new Set();
    this._uploads = [];
    this._busy = false;
    this._threadId = null;
    this._loadedThread = undefined;
    this._queued = false;
  }

  connectedCallback() {
    if (!this._ui) this._build();
    this._configure();
    if (this._wantOpen()) this.open({ focus: false });
    this._emit('ready', {});
  }

  disconnectedCallback() {
    if (this._abort) this._abort.abort();
  }

  attributeChangedCallback() {
    // Several attributes set in a row (as a framework does) reconfigure once.
    if (this._queued || !this._ui) return;
    this._queued = true;
    queueMicrotask(() => {
      this._queued = false;
      this._configure();
      if (this.hasAttribute('open') && !this._isOpen) this.open({ focus: false });
    });
  }

  // ---- public API (ChatKit's method names where it has them) -------------------------------------------

  /** Replaces the JavaScript options (attributes still apply underneath). */
  setOptions(options) {
    this._jsOptions = options || {};
    if (this._ui) this._configure();
  }

  get options() {
    return this._opts;
  }

  set options(value) {
    this.setOptions(value);
  }

  get threadId() {
    return this._threadId;
  }

  open({ focus = true } = {}) {
    if (!this._ui) return;
    if (!this._isOpen) {
      this._isOpen = true;
      this._ui.panel.hidden = false;
      this.setAttribute('data-open', '');
      this._ui.launcher.setAttribute('aria-label', this._t('closeChat'));
      this._ui.launcher.setAttribute('aria-expanded', 'true');
      this._ui.launcher.replaceChildren(icon('close'));
      session(this._key('open'), '1');
      this._emit('open', {});
      if (this._loadedThread === undefined) this._restore();
    }
    if (focus) this.focusComposer();
  }

  close() {
    if (!this._ui || !this._isOpen) return;
    this._isOpen = false;
    this._ui.panel.hidden = true;
    this.removeAttribute('data-open');
    this._ui.launcher.setAttribute('aria-label', this._t('openChat'));
    this._ui.launcher.setAttribute('aria-expanded', 'false');
    this._ui.launcher.replaceChildren(icon('chat'));
    session(this._key('open'), null);
    this._emit('close', {});
  }

  toggle() {
    if (this._isOpen) this.close();
    else this.open();
  }

  focusComposer() {
    if (this._ui) this._ui.input.focus();
  }

  setComposerValue({ text = '' } = {}) {
    this._ui.input.value = text;
    this._saveDraft();
    this._autosize();
  }

  /** Sends `text` as the visitor would; `newThread` starts a fresh conversation first. */
  async sendUserMessage({ text = '', newThread = false } = {}) {
    if (newThread) this.newChat();
    await this._send(String(text), []);
  }

  /** Opens a stored thread, or the start screen for null. */
  async setThreadId(threadId) {
    if (!threadId) {
      this.newChat();
      return;
    }
    await this._loadThread(threadId);
  }

  async sendCustomAction(action, itemId) {
    if (!this._threadId) return;
    await this._runStream('threads.custom_action', { thread_id: this._threadId, item_id: itemId || null, action }, {});
  }

  newChat() {
    if (this._busy && this._abort) this._abort.abort();
    this._setThread(null, null);
    this._clearMessages();
    this._loadedThread = null;
    this._hideAlert();
    this.hideHistory();
    this._showStart(true);
  }

  // ---- configuration ----------------------------------------------------------------------------------

  _configure() {
    const attr = (name) => this.getAttribute(name);
    const fromAttributes = {
      api: { url: attr('api-url') || undefined, sessionUrl: attr('session-url') || undefined },
      startScreen: { greeting: attr('greeting') || undefined },
      composer: { placeholder: attr('placeholder') || undefined },
      theme: { colorScheme: attr('color-scheme') || undefined },
      locale: attr('locale') || undefined,
    };
    const opts = merge(merge({
      api: {},
      theme: {},
      startScreen: { greeting: '', prompts: [] },
      composer: { placeholder: '', attachments: { enabled: false } },
      threadItemActions: { feedback: true, retry: true },
      history: { enabled: true },
      header: {},
    }, fromAttributes), this._jsOptions);
    opts.locale = opts.locale || document.documentElement.lang || navigator.language || 'en';
    const apiKey = JSON.stringify([opts.api.url, opts.api.sessionUrl]);
    if (!this._api || this._apiKey !== apiKey || this._apiFns !== opts.api.getClientSecret) {
      this._api = new ChatApi(Object.assign({ origin: SCRIPT_ORIGIN }, opts.api), opts.locale);
      this._apiKey = apiKey;
      this._apiFns = opts.api.getClientSecret;
      if (this._loadedThread !== undefined && this._api.url !== this._apiUrl) this._loadedThread = undefined;
      this._apiUrl = this._api.url;
    }
    this._opts = opts;
    this._t = makeStrings(opts.locale, opts.strings);
    this._renderChrome();
  }

  _key(name) {
    return 'parley:' + (this._api ? this._api.url : SCRIPT_ORIGIN) + ':' + name;
  }

  _wantOpen() {
    return this.hasAttribute('open') || this._opts.open === true || session(this._key('open')) === '1';
  }

  // ---- building the DOM -------------------------------------------------------------------------------

  _build() {
    const root = this.attachShadow ? this.attachShadow({ mode: 'open' }) : this;
    const ui = {};
    ui.styles = h('style', { text: STYLES });
    ui.theme = h('style');
    ui.launcher = h('button.launcher', {
      type: 'button', part: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'parley-panel',
      onclick: () => this.toggle(),
    }, icon('chat'));
    ui.historyBtn = h('button.icon-btn', { type: 'button', 'aria-pressed': 'false', onclick: () => this._toggleHistory() }, icon('history'));
    ui.title = h('h2', { id: 'parley-title' });
    ui.newBtn = h('button.icon-btn', { type: 'button', onclick: () => { this.newChat(); this.focusComposer(); } }, icon('plus'));
    ui.closeBtn = h('button.icon-btn', { type: 'button', onclick: () => { this.close(); ui.launcher.focus(); } }, icon('close'));
    ui.greeting = h('p.greeting');
    ui.prompts = h('ul.prompts');
    ui.start = h('div.start', { part: 'start-screen' }, ui.greeting, ui.prompts);
    ui.earlier = h('button.btn.link', { type: 'button', hidden: true, onclick: () => this._loadEarlier() });
    ui.messages = h('div.messages', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', part: 'messages' });
    ui.progress = h('div.progress', { role: 'status', 'aria-live': 'polite' });
    ui.history = h('div.history', { hidden: true, part: 'history' });
    ui.body = h('div.body', { part: 'body' }, ui.start, ui.earlier, ui.messages, ui.progress, ui.history);
    ui.alertText = h('p');
    ui.alert = h('div.alert', { role: 'alert', hidden: true, part: 'error' }, ui.alertText);
    ui.chips = h('div.chips', { hidden: true });
    // Visually hidden rather than display:none, so automation and assistive tools can still reach it.
    ui.file = h('input.sr-only', { type: 'file', multiple: true, tabindex: '-1', 'aria-hidden': 'true',
      onchange: () => this._pickFiles() });
    ui.attach = h('button.icon-btn', { type: 'button', onclick: () => ui.file.click() }, icon('paperclip'));
    ui.input = h('textarea', { rows: '1', enterkeyhint: 'send' });
    ui.send = h('button.send', { type: 'submit' }, icon('send'));
    ui.form = h('form', { onsubmit: (e) => { e.preventDefault(); this._submit(); } }, ui.attach, ui.input, ui.send);
    ui.composer = h('div.composer', { part: 'composer' }, ui.chips, ui.form, ui.file);
    ui.header = h('div.header', { part: 'header' }, ui.historyBtn, ui.title, ui.newBtn, ui.closeBtn);
    ui.panel = h('section.panel', {
      id: 'parley-panel', part: 'panel', role: 'dialog', 'aria-labelledby': 'parley-title', hidden: true,
    }, ui.header, ui.body, ui.alert, ui.composer);
    root.append(ui.styles, ui.theme, ui.launcher, ui.panel);
    this._ui = ui;

    ui.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this._submit();
      }
    });
    ui.input.addEventListener('input', () => { this._saveDraft(); this._autosize(); });
    ui.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        this.close();
        ui.launcher.focus();
      }
    });
    this._showStart(true);
  }

  /** Everything that follows the options: labels, theme, start screen, composer settings. */
  _renderChrome() {
    const ui = this._ui;
    const o = this._opts;
    ui.theme.textContent = themeCss(o.theme || {});
    ui.launcher.setAttribute('aria-label', this._t(this._isOpen ? 'closeChat' : 'openChat'));
    ui.historyBtn.setAttribute('aria-label', this._t('history'));
    ui.historyBtn.hidden = o.history && o.history.enabled === false;
    ui.newBtn.setAttribute('aria-label', this._t('newChat'));
    ui.closeBtn.setAttribute('aria-label', this._t('closeChat'));
    ui.earlier.textContent = this._t('earlier');
    ui.greeting.textContent = o.startScreen.greeting || this._t('greeting');
    ui.prompts.replaceChildren(...(o.startScreen.prompts || []).map((p) => h('li', null,
      h('button.prompt', { type: 'button', onclick: () => this._send(String(p.prompt || p.label || ''), []) },
        icon(p.icon), String(p.label || p.prompt || '')))));
    const placeholder = o.composer.placeholder || this._t('placeholder');
    ui.input.setAttribute('placeholder', placeholder);
    ui.input.setAttribute('aria-label', placeholder);
    const attachments = o.composer.attachments || {};
    ui.attach.hidden = !attachments.enabled;
    ui.attach.setAttribute('aria-label', this._t('attach'));
    if (attachments.accept) ui.file.setAttribute('accept', [].concat(attachments.accept).join(','));
    this._setSendMode(this._busy && this._allowCancel);
    this._updateTitle();
    if (!ui.input.value) {
      const draft = local(this._key('draft'));
      if (draft) ui.input.value = draft;
    }
  }

  _setSendMode(stop) {
    const send = this._ui.send;
    send.replaceChildren(icon(stop ? 'stop' : 'send'));
    send.setAttribute('aria-label', this._t(stop ? 'stop' : 'send'));
    send.type = stop ? 'button' : 'submit';
    send.onclick = stop ? () => this._abort && this._abort.abort() : null;
  }

  _updateTitle() {
    const header = this._opts.header || {};
    const fixed = header.title && (header.title.text || (typeof header.title === 'string' ? header.title : ''));
    this._ui.title.textContent = (this._threadTitle && !fixed) ? this._threadTitle : (fixed || this._t('title'));
  }

  _showStart(show) {
    this._ui.start.hidden = !show;
  }

  _autosize() {
    const input = this._ui.input;
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 160) + 'px';
  }

  _saveDraft() {
    local(this._key('draft'), this._ui.input.value || null);
  }

  _emit(name, detail) {
    this.dispatchEvent(new CustomEvent('parley:' + name, { detail, bubbles: true, composed: true }));
    const callback = this._opts && this._opts['on' + name.split('.').map((w) => w[0].toUpperCase() + w.slice(1)).join('')];
    if (typeof callback === 'function') {
      try {
        callback(detail);
      } catch (e) {
        console.error('Parley: the host page\'s on' + name + ' callback failed', e);
      }
    }
  }

  _scrollToEnd() {
    const body = this._ui.body;
    body.scrollTop = body.scrollHeight;
  }

  // ---- threads -------------------------------------------------------------------------------------

  _setThread(id, title) {
    const changed = id !== this._threadId;
    this._threadId = id;
    this._threadTitle = title || null;
    local(this._key('thread'), id);
    this._updateTitle();
    if (changed) this._emit('thread.change', { threadId: id });
  }

  async _restore() {
    const id = local(this._key('thread'));
    this._loadedThread = null;
    if (id) await this._loadThread(id);
  }

  async _loadThread(id) {
    this._emit('thread.load.start', { threadId: id });
    this._loadedThread = id;
    // A message sent while this loads wins; the late answer is dropped instead of wiping the new turn.
    const token = this._loadToken = (this._loadToken || 0) + 1;
    this.hideHistory();
    this._hideAlert();
    try {
      const [thread, page] = await Promise.all([
        this._api.request('threads.get_by_id', { thread_id: id }),
        this._api.request('items.list', { thread_id: id, order: 'desc', limit: PAGE_SIZE }),
      ]);
      if (token !== this._loadToken) return;
      this._clearMessages();
      this._setThread(id, thread.title);
      this._showStart(false);
      page.data.slice().reverse().forEach((item) => this._renderItem(item, false));
      this._earlierCursor = page.has_more ? page.after : null;
      this._ui.earlier.hidden = !page.has_more;
      this._scrollToEnd();
    } catch (e) {
      if (e.status === 404) {
        // Deleted elsewhere or never ours: start fresh rather than show an error about it.
        this.newChat();
      } else {
        this._showError(e, () => this._loadThread(id), this._t('loadFailed'));
      }
    } finally {
      this._emit('thread.load.end', { threadId: id });
    }
  }

  async _loadEarlier() {
    if (!this._threadId || !this._earlierCursor) return;
    const body = this._ui.body;
    const fromBottom = body.scrollHeight - body.scrollTop;
    try {
      const page = await this._api.request('items.list',
        { thread_id: this._threadId, order: 'desc', limit: PAGE_SIZE, after: this._earlierCursor });
      // Newest first, each put on top: the page ends up in reading order above what is already shown.
      for (const item of page.data) {
        const el = this._renderItem(item, false, true);
        if (el) this._ui.messages.insertBefore(el, this._ui.messages.firstChild);
      }
      this._earlierCursor = page.has_more ? page.after : null;
      this._ui.earlier.hidden = !page.has_more;
      body.scrollTop = body.scrollHeight - fromBottom;
    } catch (e) {
      this._showError(e, () => this._loadEarlier());
    }
  }

  _clearMessages() {
    for (const entry of this._items.values()) if (entry.timer) clearInterval(entry.timer);
    this._items.clear();
    this._order = [];
    this._ui.messages.replaceChildren();
    this._ui.progress.textContent = '';
    this._ui.earlier.hidden = true;
  }

  // ---- sending ------------------------------------------------------------------------------------

  _submit() {
    if (this._busy) return;
    if (this._uploads.some((u) => !u.id && !u.failed)) return;
    const text = this._ui.input.value;
    const ready = this._uploads.filter((u) => u.id);
    if (!text.trim() && !ready.length) return;
    this._send(text, ready, true);
  }

  /** Sends a message; `fromComposer` when it is what the visitor typed (the composer is then emptied). */
  async _send(text, uploads, fromComposer) {
    if (this._busy || (!text.trim() && !uploads.length)) return;
    if (!this._isOpen) this.open({ focus: false });
    this.hideHistory();
    this._hideAlert();
    this._showStart(false);
    const input = {
      content: text.trim() ? [{ type: 'input_text', text }] : [],
      attachments: uploads.map((u) => u.id),
      inference_options: {},
    };
    // Shown at once, but the draft stays saved until the server has the message: nothing typed is lost.
    const pending = h('div.msg.user.pending', { 'aria-label': this._t('you') }, text);
    this._ui.messages.appendChild(pending);
    this._loadToken = (this._loadToken || 0) + 1;
    const sentUploads = fromComposer ? this._uploads : [];
    if (fromComposer) {
      this._ui.input.value = '';
      this._autosize();
      this._uploads = [];
      this._renderChips();
    }
    this._scrollToEnd();
    const ctx = {
      pending,
      text,
      restore: () => {
        pending.remove();
        if (fromComposer) {
          if (!this._ui.input.value) this._ui.input.value = text;
          this._saveDraft();
          this._autosize();
          this._uploads = sentUploads.concat(this._uploads);
          this._renderChips();
        }
        if (!this._order.length) this._showStart(true);
      },
      resend: () => (fromComposer ? this._submit() : this._send(text, uploads, false)),
    };
    const ok = this._threadId
      ? await this._runStream('threads.add_user_message', { thread_id: this._threadId, input }, ctx)
      : await this._runStream('threads.create', { input }, ctx);
    if (ok && ctx.userItemId) local(this._key('draft'), this._ui.input.value || null);
  }

  /**
   * Runs one streaming request to its end. Resolves true when the server ended the stream normally. Failures
   * are shown with what to do next: before the server had the message, the text goes back into the composer
   * and Retry resends it; after, Retry asks for a new reply to the same message.
   */
  async _runStream(type, params, ctx) {
    if (this._busy) return false;
    this._busy = true;
    this._allowCancel = false;
    this._abort = new AbortController();
    this._ui.progress.textContent = this._t('thinking');
    this._live = new Set();
    this._toolCalls = [];
    this._emit('response.start', {});
    let ok = false;
    try {
      await this._api.stream(type, params, (event) => this._onEvent(event, ctx), this._abort.signal);
      ok = true;
    } catch (e) {
      if (e && e.name === 'AbortError') {
        ok = true;
      } else {
        let retry;
        if (ctx.userItemId) retry = () => this._retryAfter(ctx.userItemId);
        else if (ctx.restore) {
          ctx.restore();
          // The connection may have broken after the server stored the message: Retry then asks for a reply to
          // that one instead of sending the message a second time.
          const threadId = type === 'threads.create' ? null : params.thread_id;
          retry = async () => {
            const stored = threadId ? await this._storedCopy(threadId, ctx.text) : null;
            if (!stored) return ctx.resend();
            if (this._ui.input.value === ctx.text) {
              this._ui.input.value = '';
              this._saveDraft();
              this._autosize();
            }
            await this._loadThread(threadId);
            return this._retryAfter(stored);
          };
        } else retry = () => this._runStream(type, params, ctx);
        this._showError(e, retry);
      }
    } finally {
      this._busy = false;
      this._abort = null;
      this._setSendMode(false);
      this._ui.progress.textContent = '';
      for (const id of this._live) this._finishLive(id);
      this._emit('response.end', {});
    }
    if (ok && this._toolCalls.length) await this._runClientTools();
    return ok;
  }

  _onEvent(event, ctx) {
    switch (event.type) {
      case 'thread.created':
        this._setThread(event.thread.id, event.thread.title);
        this._loadedThread = event.thread.id;
        break;
      case 'thread.updated':
        if (event.thread.id === this._threadId) {
          this._threadTitle = event.thread.title || null;
          this._updateTitle();
        }
        break;
      case 'stream_options':
        this._allowCancel = !!(event.stream_options && event.stream_options.allow_cancel);
        this._setSendMode(this._allowCancel);
        break;
      case 'thread.item.added':
      case 'thread.item.done':
      case 'thread.item.replaced': {
        const item = event.item;
        if (item.type === 'user_message' && ctx.pending) {
          ctx.pending.remove();
          ctx.pending = null;
          ctx.userItemId = item.id;
          local(this._key('draft'), this._ui.input.value || null);
        }
        if (item.type === 'assistant_message' || item.type === 'widget') this._ui.progress.textContent = '';
        const done = event.type !== 'thread.item.added';
        if (!done) this._live.add(item.id);
        this._renderItem(item, !done);
        if (done) this._finishLive(item.id);
        if (done && item.type === 'client_tool_call' && item.status === 'pending') this._toolCalls.push(item);
        this._scrollToEnd();
        break;
      }
      case 'thread.item.updated':
        this._applyUpdate(event.item_id, event.update);
        break;
      case 'thread.item.removed':
        this._removeItem(event.item_id);
        break;
      case 'progress_update':
        this._ui.progress.textContent = event.text || '';
        break;
      case 'client_effect':
        this._emit('effect', { name: event.name, data: event.data || {} });
        break;
      case 'notice': {
        const notice = h('div.notice.' + (event.level || 'info'), { role: 'note' });
        if (event.title) notice.appendChild(h('strong', { text: event.title }));
        notice.appendChild(markdown.render(event.message || ''));
        this._ui.messages.appendChild(notice);
        break;
      }
      case 'error': {
        const retry = event.allow_retry && ctx.userItemId ? () => this._retryAfter(ctx.userItemId) : null;
        this._showMessage(event.message || this._t('streamError'), retry);
        this._emit('error', { error: new ApiError('stream', event.message || event.code || 'stream.error', { code: event.code }) });
        break;
      }
      default:
        break;
    }
  }

  // ---- items --------------------------------------------------------------------------------------

  /** Creates or refreshes an item's element; `live` items are still streaming. */
  _renderItem(item, live, detached) {
    let entry = this._items.get(item.id);
    if (!entry) {
      entry = { item, el: null, shown: 0, timer: null, live };
      this._items.set(item.id, entry);
      if (detached) this._order.unshift(item.id);
      else this._order.push(item.id);
    }
    entry.item = item;
    entry.live = live;
    if (live) entry.streamed = true;
    const el = this._buildItem(entry);
    if (!el) return null;
    if (entry.el && entry.el !== el) entry.el.replaceWith(el);
    else if (!entry.el && !detached) this._ui.messages.appendChild(el);
    entry.el = el;
    if (item.type === 'assistant_message') this._reveal(entry);
    return el;
  }

  _buildItem(entry) {
    const item = entry.item;
    switch (item.type) {
      case 'user_message': {
        const text = (item.content || []).map((c) => c.text || '').join('');
        const el = h('div.msg.user', { 'data-id': item.id }, text);
        if (item.attachments && item.attachments.length) {
          el.appendChild(h('div.chips.attachments', null, item.attachments.map((a) => (a.type === 'image' && a.preview_url
            ? h('img.thumb', { src: a.preview_url, alt: a.name || '' })
            : h('span.chip', null, icon('file'), h('span', { text: a.name || a.id }))))));
        }
        return el;
      }
      case 'assistant_message': {
        // Kept across updates: the reveal timer and the reply actions live on this element.
        if (entry.el && entry.el.classList.contains('assistant')) return entry.el;
        return h('div.msg.assistant', { 'data-id': item.id, 'aria-label': this._t('assistant') },
          h('div.md', { part: 'reply' }));
      }
      case 'widget': {
        const el = h('div.msg.widget', { 'data-id': item.id },
          renderWidget(item.widget, (action, control) => this._widgetAction(entry, action, control)));
        return el;
      }
      case 'client_tool_call':
        return h('div.tool', { 'data-id': item.id, text: '⚙ ' + item.name });
      case 'workflow': {
        const wf = item.workflow || {};
        const tasks = (wf.tasks || []).map((t) => t.title || t.content || '').filter(Boolean);
        const summary = wf.summary && (wf.summary.title || (wf.summary.duration != null ? wf.summary.duration + ' s' : ''));
        return h('div.tool', { 'data-id': item.id }, [summary || ''].concat(tasks).filter(Boolean).join(' · '));
      }
      case 'task':
        return h('div.tool', { 'data-id': item.id, text: (item.task && (item.task.title || item.task.content)) || '' });
      case 'generated_image':
        return item.image && SAFE_IMAGE.test(item.image.url || '')
          ? h('div.msg', { 'data-id': item.id }, h('img.w-image', { src: item.image.url, alt: '' })) : null;
      default:
        return null;
    }
  }

  _applyUpdate(itemId, update) {
    const entry = this._items.get(itemId);
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
        this._ui.progress.textContent = '';
        this._reveal(entry);
        break;
      }
      case 'widget.root.updated':
        item.widget = update.widget;
        this._renderItem(item, entry.live);
        break;
      case 'widget.component.updated':
        replaceComponent(item.widget, update.component_id, () => update.component);
        this._renderItem(item, entry.live);
        break;
      case 'widget.streaming_text.value_delta':
        replaceComponent(item.widget, update.component_id, (c) => Object.assign({}, c, { value: (c.value || '') + update.delta }));
        this._renderItem(item, entry.live);
        break;
      case 'workflow.task.added':
      case 'workflow.task.updated':
        if (item.workflow) {
          item.workflow.tasks = item.workflow.tasks || [];
          item.workflow.tasks[update.task_index] = update.task;
          this._renderItem(item, entry.live);
        }
        break;
      default:
        break;
    }
    this._scrollToEnd();
  }

  /**
   * Shows a reply word by word. Text arrives in bursts (a whole sentence per delta from some providers, many
   * deltas per network read from others); revealing it at a steady pace, catching up faster the further
   * behind it is, reads like typing and never lags the server by more than a few frames.
   */
  _reveal(entry) {
    const full = textOf(entry.item);
    entry.el.setAttribute('aria-busy', entry.live ? 'true' : 'false');
    // Loaded from history, or sent whole in one event: nothing to reveal.
    if (!entry.streamed) {
      entry.shown = full.length;
      this._paint(entry, full, true);
      return;
    }
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) entry.shown = full.length;
    if (entry.shown >= full.length) {
      this._paint(entry, full, !entry.live);
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
        this._paint(entry, target.slice(0, entry.shown), false);
        this._scrollToEnd();
        return;
      }
      clearInterval(entry.timer);
      entry.timer = null;
      this._paint(entry, target, !entry.live);
    }, 40);
  }

  _paint(entry, text, final) {
    const md = entry.el.querySelector('.md');
    md.replaceChildren(markdown.render(text));
    if (!text && !final) md.classList.add('typing');
    else md.classList.remove('typing');
    if (!final || entry.painted) return;
    entry.painted = true;
    entry.el.setAttribute('aria-busy', 'false');
    entry.el.setAttribute('data-state', 'done');
    const sources = [];
    for (const part of entry.item.content || []) {
      for (const a of part.annotations || []) {
        const s = a.source || {};
        const label = s.title || s.filename || s.url || '';
        if (label && !sources.includes(label)) sources.push(label);
      }
    }
    if (sources.length) {
      entry.el.appendChild(h('ul.sources', { 'aria-label': this._t('sources') }, sources.map((s) => h('li', { text: s }))));
    }
    entry.el.appendChild(this._replyActions(entry));
  }

  _finishLive(id) {
    this._live.delete(id);
    const entry = this._items.get(id);
    if (!entry) return;
    entry.live = false;
    if (entry.item.type === 'assistant_message') this._reveal(entry);
  }

  _replyActions(entry) {
    const o = this._opts.threadItemActions || {};
    const bar = h('div.actions', { part: 'reply-actions' });
    const copy = h('button.icon-btn', { type: 'button', 'aria-label': this._t('copy'), title: this._t('copy') }, icon('copy'));
    copy.addEventListener('click', async () => {
      await copyText(textOf(entry.item));
      copy.setAttribute('aria-label', this._t('copied'));
      copy.title = this._t('copied');
      setTimeout(() => { copy.setAttribute('aria-label', this._t('copy')); copy.title = this._t('copy'); }, 1500);
    });
    bar.appendChild(copy);
    if (o.feedback !== false) {
      for (const [kind, label, name] of [['positive', 'good', 'thumbs-up'], ['negative', 'bad', 'thumbs-down']]) {
        const b = h('button.icon-btn', { type: 'button', 'aria-label': this._t(label), title: this._t(label),
          'aria-pressed': 'false', 'data-feedback': kind }, icon(name));
        b.addEventListener('click', () => this._feedback(entry, kind, bar));
        bar.appendChild(b);
      }
    }
    if (o.retry !== false) {
      const r = h('button.icon-btn', { type: 'button', 'aria-label': this._t('retryReply'), title: this._t('retryReply'),
        'data-retry': '' }, icon('retry'));
      r.addEventListener('click', () => this._retryReply(entry));
      bar.appendChild(r);
    }
    return bar;
  }

  async _feedback(entry, kind, bar) {
    try {
      await this._api.request('items.feedback', { thread_id: this._threadId, item_ids: [entry.item.id], kind });
      for (const b of bar.querySelectorAll('[data-feedback]')) {
        b.setAttribute('aria-pressed', String(b.getAttribute('data-feedback') === kind));
      }
      this._ui.progress.textContent = this._t('thanks');
      setTimeout(() => { if (!this._busy) this._ui.progress.textContent = ''; }, 2000);
    } catch (e) {
      this._showError(e, () => this._feedback(entry, kind, bar));
    }
  }

  _retryReply(entry) {
    const at = this._order.indexOf(entry.item.id);
    for (let i = at; i >= 0; i--) {
      const candidate = this._items.get(this._order[i]);
      if (candidate && candidate.item.type === 'user_message') {
        this._retryAfter(candidate.item.id);
        return;
      }
    }
  }

  /** Asks for a new reply to a stored user message; what followed it goes, as it does on the server. */
  /** {@return the id of the thread's newest item if it is a user message with exactly this text, else null} */
  async _storedCopy(threadId, text) {
    try {
      const page = await this._api.request('items.list', { thread_id: threadId, order: 'desc', limit: 5 });
      const last = (page.data || []).find((item) => item.type === 'user_message');
      const said = last && (last.content || []).filter((c) => c.type === 'input_text').map((c) => c.text).join('');
      return last && said === text && page.data[0].id === last.id ? last.id : null;
    } catch (e) {
      return null;
    }
  }

  async _retryAfter(userItemId) {
    if (this._busy || !this._threadId) return;
    this._hideAlert();
    const at = this._order.indexOf(userItemId);
    if (at >= 0) for (const id of this._order.slice(at + 1)) this._removeItem(id);
    await this._runStream('threads.retry_after_item', { thread_id: this._threadId, item_id: userItemId },
      { userItemId });
  }

  _removeItem(id) {
    const entry = this._items.get(id);
    if (!entry) return;
    if (entry.timer) clearInterval(entry.timer);
    if (entry.el) entry.el.remove();
    this._items.delete(id);
    this._order = this._order.filter((x) => x !== id);
  }

  async _widgetAction(entry, config, control) {
    const action = { type: config.type, payload: config.payload };
    if (config.handler === 'client') {
      this._emit('widget.action', { action, itemId: entry.item.id });
      const handler = this._opts.widgets && this._opts.widgets.onAction;
      if (typeof handler === 'function') await handler(action, { itemId: entry.item.id });
      return;
    }
    if (this._busy || !this._threadId) return;
    const controls = entry.el ? entry.el.querySelectorAll('button, [role="button"]') : [];
    for (const c of controls) c.setAttribute('disabled', '');
    control.setAttribute('aria-busy', 'true');
    let ok;
    if (config.streaming === false) {
      try {
        const res = await this._api.request('threads.sync_custom_action',
          { thread_id: this._threadId, item_id: entry.item.id, action });
        if (res.updated_item) this._renderItem(res.updated_item, false);
        ok = true;
      } catch (e) {
        this._showError(e, () => this._widgetAction(entry, config, control));
        ok = false;
      }
    } else {
      ok = await this._runStream('threads.custom_action', { thread_id: this._threadId, item_id: entry.item.id, action }, {});
    }
    control.removeAttribute('aria-busy');
    if (!ok) for (const c of controls) c.removeAttribute('disabled');
  }

  async _runClientTools() {
    const calls = this._toolCalls;
    this._toolCalls = [];
    for (const call of calls) {
      let result;
      try {
        if (typeof this._opts.onClientTool !== 'function') throw new Error('no onClientTool option');
        result = await this._opts.onClientTool({ name: call.name, params: call.arguments || {} });
      } catch (e) {
        this._showMessage(this._t('toolFailed', { name: call.name }), null);
        result = { error: String(e && e.message || e) };
      }
      await this._runStream('threads.add_client_tool_output', { thread_id: this._threadId, result: result == null ? {} : result }, {});
    }
  }

  // ---- errors -------------------------------------------------------------------------------------

  _describe(e) {
    if (!(e instanceof ApiError)) return String(e && e.message || e);
    switch (e.kind) {
      case 'http':
        return this._t('httpFailed', { method: e.method || 'POST', url: e.url, status: e.status,
          reason: e.serverMessage ? ' (' + e.serverMessage + ')' : (e.statusText ? ' ' + e.statusText : '') });
      case 'network':
        return e.dropped ? this._t('connectionLost') : this._t('offline', { url: e.url });
      case 'protocol':
        return this._t('notAStream', { url: e.url, type: e.contentType || 'nothing', status: e.status });
      case 'session':
        return this._t('sessionFailed', { detail: e.message });
      default:
        return e.message;
    }
  }

  _showError(e, retry, lead) {
    const text = this._describe(e);
    this._showMessage(lead ? lead + ' ' + text : text, retry);
    this._emit('error', { error: e });
  }

  _showMessage(text, retry) {
    const ui = this._ui;
    ui.alertText.textContent = text;
    ui.alert.replaceChildren(ui.alertText);
    if (retry) {
      ui.alert.appendChild(h('button.btn.primary', { type: 'button', onclick: () => { this._hideAlert(); retry(); } },
        icon('retry'), this._t('retry')));
    }
    ui.alert.appendChild(h('button.btn.secondary', { type: 'button', onclick: () => this._hideAlert() }, this._t('dismiss')));
    ui.alert.hidden = false;
  }

  _hideAlert() {
    this._ui.alert.hidden = true;
  }

  // ---- attachments --------------------------------------------------------------------------------

  _pickFiles() {
    const files = Array.from(this._ui.file.files || []);
    this._ui.file.value = '';
    const limits = this._opts.composer.attachments || {};
    for (const file of files) {
      if (limits.maxCount && this._uploads.length >= limits.maxCount) break;
      const upload = { file, id: null, failed: false };
      this._uploads.push(upload);
      if (limits.maxSize && file.size > limits.maxSize) {
        upload.failed = true;
        continue;
      }
      this._upload(upload);
    }
    this._renderChips();
  }

  async _upload(upload) {
    upload.failed = false;
    this._renderChips();
    try {
      const file = upload.file;
      const created = await this._api.request('attachments.create',
        { name: file.name, size: file.size, mime_type: file.type || 'application/octet-stream' });
      if (created.upload_descriptor) await this._api.upload(created.upload_descriptor, file);
      upload.id = created.id;
    } catch (e) {
      upload.failed = true;
      this._showError(e, () => this._upload(upload));
    }
    this._renderChips();
  }

  _renderChips() {
    const ui = this._ui;
    ui.chips.hidden = !this._uploads.length;
    ui.chips.replaceChildren(...this._uploads.map((u) => h('span.chip' + (u.failed ? '.failed' : ''), null,
      icon('file'),
      h('span', { text: u.file.name + (u.failed ? ' — ' + this._t('uploadFailed') : u.id ? '' : ' — ' + this._t('uploading')) }),
      h('button.icon-btn', { type: 'button', 'aria-label': this._t('removeAttachment') + ' ' + u.file.name,
        onclick: () => this._removeUpload(u) }, icon('close')))));
    ui.send.disabled = this._uploads.some((u) => !u.id && !u.failed);
  }

  _removeUpload(upload) {
    this._uploads = this._uploads.filter((u) => u !== upload);
    if (upload.id) this._api.request('attachments.delete', { attachment_id: upload.id }).catch(() => {});
    this._renderChips();
    this.focusComposer();
  }

  // ---- history ------------------------------------------------------------------------------------

  showHistory() {
    if (!this._ui) return;
    this.open({ focus: false });
    this._ui.history.hidden = false;
    this._ui.start.hidden = true;
    this._ui.messages.hidden = true;
    this._ui.earlier.hidden = true;
    this._ui.historyBtn.setAttribute('aria-pressed', 'true');
    this._ui.historyBtn.setAttribute('aria-label', this._t('back'));
    this._ui.historyBtn.replaceChildren(icon('back'));
    this._ui.history.replaceChildren(h('h3', { text: this._t('historyTitle') }));
    this._historyList = h('ul');
    this._ui.history.appendChild(this._historyList);
    this._emit('history.open', {});
    this._loadHistory(null);
  }

  hideHistory() {
    if (!this._ui || this._ui.history.hidden) return;
    this._ui.history.hidden = true;
    this._ui.messages.hidden = false;
    this._ui.start.hidden = this._order.length > 0 || !!this._threadId;
    this._ui.earlier.hidden = !this._earlierCursor || !this._threadId;
    this._ui.historyBtn.setAttribute('aria-pressed', 'false');
    this._ui.historyBtn.setAttribute('aria-label', this._t('history'));
    this._ui.historyBtn.replaceChildren(icon('history'));
    this._emit('history.close', {});
  }

  _toggleHistory() {
    if (this._ui.history.hidden) this.showHistory();
    else this.hideHistory();
  }

  async _loadHistory(after) {
    const list = this._historyList;
    try {
      const params = { limit: 20, order: 'desc' };
      if (after) params.after = after;
      const page = await this._api.request('threads.list', params);
      if (list !== this._historyList) return;
      const more = list.querySelector('.more');
      if (more) more.remove();
      if (!after && !page.data.length) list.appendChild(h('li.muted', { text: this._t('historyEmpty') }));
      for (const thread of page.data) list.appendChild(this._historyRow(thread));
      if (page.has_more) {
        list.appendChild(h('li.more', null, h('button.btn.link', { type: 'button', text: this._t('loadMore'),
          onclick: () => this._loadHistory(page.after) })));
      }
      if (!after) {
        const first = list.querySelector('button');
        if (first) first.focus();
      }
    } catch (e) {
      this._showError(e, () => this.showHistory());
    }
  }

  _historyRow(thread) {
    const title = () => thread.title || this._t('untitled');
    const row = h('li', { 'data-thread': thread.id });
    const render = () => {
      const when = formatDate(thread.created_at, this._opts.locale);
      const open = h('button.open', { type: 'button', 'aria-current': thread.id === this._threadId ? 'true' : false,
        onclick: () => this._loadThread(thread.id) }, h('span', { text: title() }), h('small', { text: when }));
      const rename = h('button.icon-btn', { type: 'button', 'aria-label': this._t('rename') + ': ' + title(),
        title: this._t('rename'), 'data-action': 'rename', onclick: () => editing() }, icon('edit'));
      const del = h('button.icon-btn', { type: 'button', 'aria-label': this._t('delete') + ': ' + title(),
        title: this._t('delete'), 'data-action': 'delete', onclick: () => confirming() }, icon('trash'));
      row.replaceChildren(open, rename, del);
    };
    const editing = () => {
      const input = h('input', { type: 'text', 'aria-label': this._t('renameLabel'), maxlength: '200' });
      input.value = thread.title || '';
      const save = async () => {
        const name = input.value.trim();
        if (!name) return;
        try {
          const updated = await this._api.request('threads.update', { thread_id: thread.id, title: name });
          thread.title = updated.title || name;
          if (thread.id === this._threadId) { this._threadTitle = thread.title; this._updateTitle(); }
          render();
          row.querySelector('.open').focus();
        } catch (e) {
          this._showError(e, save);
        }
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') { e.preventDefault(); save(); }
        if (e.key === 'Escape') { e.preventDefault(); render(); row.querySelector('[data-action=rename]').focus(); }
      });
      row.replaceChildren(input,
        h('button.btn.primary', { type: 'button', text: this._t('save'), onclick: save }),
        h('button.btn.secondary', { type: 'button', text: this._t('cancel'), onclick: () => render() }));
      input.focus();
      input.select();
    };
    const confirming = () => {
      const yes = h('button.btn.primary', { type: 'button', text: this._t('confirmDelete'), 'data-action': 'confirm-delete',
        onclick: async () => {
          try {
            await this._api.request('threads.delete', { thread_id: thread.id });
            const next = row.nextElementSibling || row.previousElementSibling;
            row.remove();
            if (thread.id === this._threadId) {
              this._setThread(null, null);
              this._clearMessages();
            }
            const focusTarget = next && next.querySelector('button');
            if (focusTarget) focusTarget.focus();
          } catch (e) {
            this._showError(e, null);
          }
        } });
      const no = h('button.btn.secondary', { type: 'button', text: this._t('cancel'), onclick: () => render() });
      row.replaceChildren(h('span.open', { text: title() }), yes, no);
      no.focus();
    };
    render();
    return row;
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

function textOf(item) {
  return (item.content || []).map((c) => c.text || '').join('\n\n');
}

function replaceComponent(node, id, replace) {
  if (!node || typeof node !== 'object') return false;
  for (const key of ['children']) {
    const kids = node[key];
    if (!Array.isArray(kids)) continue;
    for (let i = 0; i < kids.length; i++) {
      if (kids[i] && kids[i].id === id) {
        kids[i] = replace(kids[i]);
        return true;
      }
      if (replaceComponent(kids[i], id, replace)) return true;
    }
  }
  return false;
}

function merge(base, over) {
  const out = Object.assign({}, base);
  for (const [k, v] of Object.entries(over || {})) {
    if (v === undefined) continue;
    const isPlain = v && typeof v === 'object' && !Array.isArray(v) && typeof v !== 'function';
    out[k] = isPlain && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k]) ? merge(base[k], v) : v;
  }
  return out;
}

function themeCss(theme) {
  const dark = theme.colorScheme === 'dark';
  const gray = (theme.color && theme.color.grayscale) || {};
  const hue = Number.isFinite(gray.hue) ? gray.hue : 220;
  const sat = Math.max(0, Math.min(9, Number.isFinite(gray.tint) ? gray.tint : 2)) * 4 + '%';
  const shade = Math.max(-4, Math.min(4, Number.isFinite(gray.shade) ? gray.shade : 0));
  const hsl = (l) => `hsl(${hue} ${sat} ${Math.max(0, Math.min(100, l))}%)`;
  const accent = (theme.color && theme.color.accent && theme.color.accent.primary) || (dark ? '#60a5fa' : '#2563eb');
  const vars = dark
    ? { bg: hsl(12 + shade), surface: hsl(19 + shade), border: hsl(28 + shade), text: hsl(94), muted: hsl(68),
      'error-bg': '#450a0a', 'error-text': '#fecaca' }
    : { bg: hsl(100 - Math.max(0, shade) * 2), surface: hsl(96 - shade), border: hsl(89 - shade), text: hsl(13),
      muted: hsl(40), 'error-bg': '#fef2f2', 'error-text': '#991b1b' };
  vars.accent = accent;
  vars['on-accent'] = readableOn(accent);
  const lines = Object.entries(vars).map(([k, v]) => `--_${k}: var(--parley-${k}, ${v});`);
  const font = theme.typography && theme.typography.fontFamily;
  return `:host { ${lines.join(' ')}` +
    (theme.radius && RADII[theme.radius] ? ` --_radius: var(--parley-radius, ${RADII[theme.radius]});` : '') +
    (theme.density && DENSITY[theme.density] ? ` --_space: var(--parley-space, ${DENSITY[theme.density]});` : '') +
    (font ? ` --_font: var(--parley-font, ${String(font).replace(/[;{}<>]/g, '')});` : '') +
    ` color-scheme: ${dark ? 'dark' : 'light'}; }`;
}

function readableOn(color) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color).trim());
  if (!m) return '#ffffff';
  const hex = m[1].length === 3 ? m[1].split('').map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111111' : '#ffffff';
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

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Plain-HTTP pages have no clipboard API; a hidden textarea and the old command still work there.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.cssText = 'position:fixed;opacity:0;';
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}

function storageOp(store, key, value) {
  try {
    if (value === undefined) return store.getItem(key);
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch (e) {
    // Storage can be disabled (private modes, sandboxed frames): the widget works, it just forgets on reload.
  }
  return null;
}

function local(key, value) {
  return storageOp(window.localStorage, key, value);
}

function session(key, value) {
  return storageOp(window.sessionStorage, key, value);
}

// ---- the page-facing entry points -------------------------------------------------------------------

ParleyChatElement.define();

const PARLEY = Object.freeze({
  __parley: true,
  /** Creates a <parley-chat> with these options and adds it to `options.container` (default: the body). */
  mount(options) {
    const opts = Object.assign({}, options || {});
    const container = opts.container || document.body;
    delete opts.container;
    const tag = opts.tag || 'parley-chat';
    delete opts.tag;
    if (tag !== 'parley-chat') ParleyChatElement.define(tag);
    const el = document.createElement(tag);
    el.setOptions(opts);
    container.appendChild(el);
    return el;
  },
  define: (tag, registry) => ParleyChatElement.define(tag, registry),
  Element: ParleyChatElement,
});

// A page's own `Parley` is left alone; the element still works, configured by attributes or setOptions.
if (window.Parley === undefined) window.Parley = PARLEY;
else console.warn('Parley: window.Parley is taken by the page; use <parley-chat> and its setOptions() instead');
