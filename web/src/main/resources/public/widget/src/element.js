// <parley-chat>: the launcher, the panel and everything in it. The element keeps the lifecycle, the options and
// the public API (ChatKit's method names where it has them), and hands the work to one collaborator per part of
// the panel. All state lives on the instance and in its shadow root, so two widgets on a page (or the host
// page's own code) never collide.

import { Alerts } from './alerts.js';
import { ChatApi } from './api.js';
import { Composer } from './composer.js';
import { h, icon } from './dom.js';
import { ComposerExtras } from './extras.js';
import { HistoryPanel } from './history.js';
import { MessageList } from './messages.js';
import { ATTRIBUTES, SCRIPT_ORIGIN, resolveOptions } from './options.js';
import styles from './parley.css';
import { ChatState } from './state.js';
import { session } from './storage.js';
import { StreamController } from './stream.js';
import { markdown } from './markdown.js';
import { makeStrings } from './strings.js';
import { themeCss } from './theme.js';
import { ThreadLoader } from './threads.js';
import { buildView } from './view.js';

export class ParleyChatElement extends HTMLElement {
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

  #state = new ChatState(this);
  #jsOptions = {};
  /** Set while a reconfiguration is queued for the attributes changed in this task. */
  #queued = false;
  /** What the current ChatApi was made from: a new one (and a new secret) only when these change. */
  #apiKey;
  #apiFns;
  #apiUrl;
  #alerts;
  #composer;
  #extras;
  #messages;
  #threads;
  #stream;
  #history;

  constructor() {
    super();
    const state = this.#state;
    const alerts = this.#alerts = new Alerts(state);
    const composer = this.#composer = new Composer(state, alerts, () => this.#stream.abort());
    const extras = this.#extras = new ComposerExtras(state, alerts, composer);
    // The list's reply buttons need the stream controller, which needs the list: they meet through closures.
    const messages = this.#messages = new MessageList(state, alerts, {
      retryAfter: (id) => this.#stream.retryAfter(id),
      widgetAction: (entry, config, control) => this.#stream.widgetAction(entry, config, control),
      busy: () => this.#stream.busy,
    });
    const threads = this.#threads = new ThreadLoader(state, messages, alerts, this);
    this.#stream = new StreamController(state, { messages, composer, extras, alerts, threads, host: this });
    this.#history = new HistoryPanel(state, { alerts, threads, messages, host: this });
  }

  connectedCallback() {
    if (!this.#state.ui) this.#build();
    this.#configure();
    if (this.#wantOpen()) this.open({ focus: false });
    this.#state.emit('ready', {});
  }

  disconnectedCallback() {
    this.#stream.abort();
  }

  attributeChangedCallback() {
    // Several attributes set in a row (as a framework does) reconfigure once.
    if (this.#queued || !this.#state.ui) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#configure();
      if (this.hasAttribute('open') && !this.#state.isOpen) this.open({ focus: false });
    });
  }

  // ---- attributes as properties. `open` has none: that name is ChatKit's open() method. --------------

  get apiUrl() {
    return this.getAttribute('api-url') || '';
  }

  set apiUrl(value) {
    this.#reflect('api-url', value);
  }

  get sessionUrl() {
    return this.getAttribute('session-url') || '';
  }

  set sessionUrl(value) {
    this.#reflect('session-url', value);
  }

  get greeting() {
    return this.getAttribute('greeting') || '';
  }

  set greeting(value) {
    this.#reflect('greeting', value);
  }

  get placeholder() {
    return this.getAttribute('placeholder') || '';
  }

  set placeholder(value) {
    this.#reflect('placeholder', value);
  }

  /** 'light' or 'dark'; anything else in the attribute reads as the default, 'light'. */
  get colorScheme() {
    return this.getAttribute('color-scheme') === 'dark' ? 'dark' : 'light';
  }

  set colorScheme(value) {
    this.#reflect('color-scheme', value);
  }

  get locale() {
    return this.getAttribute('locale') || '';
  }

  set locale(value) {
    this.#reflect('locale', value);
  }

  /** An empty value removes the attribute, since an empty attribute counts as unset anyway. */
  #reflect(name, value) {
    if (value == null || value === '') this.removeAttribute(name);
    else this.setAttribute(name, String(value));
  }

  // ---- public API ---------------------------------------------------------------------------------

  /** Replaces the JavaScript options (attributes still apply underneath). */
  setOptions(options) {
    this.#jsOptions = options || {};
    if (this.#state.ui) this.#configure();
  }

  get options() {
    return this.#state.options;
  }

  set options(value) {
    this.setOptions(value);
  }

  get threadId() {
    return this.#state.threadId;
  }

  open({ focus = true } = {}) {
    const state = this.#state;
    const ui = state.ui;
    if (!ui) return;
    if (!state.isOpen) {
      state.isOpen = true;
      ui.panel.hidden = false;
      this.setAttribute('data-open', '');
      ui.launcher.setAttribute('aria-label', state.t('closeChat'));
      ui.launcher.setAttribute('aria-expanded', 'true');
      ui.launcher.replaceChildren(icon('close'));
      session(state.key('open'), '1');
      state.emit('open', {});
      if (state.loadedThread === undefined) this.#firstThread();
    }
    if (focus) this.focusComposer();
  }

  close() {
    const state = this.#state;
    const ui = state.ui;
    if (!ui || !state.isOpen) return;
    state.isOpen = false;
    ui.panel.hidden = true;
    this.removeAttribute('data-open');
    ui.launcher.setAttribute('aria-label', state.t('openChat'));
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.replaceChildren(icon('chat'));
    session(state.key('open'), null);
    state.emit('close', {});
  }

  toggle() {
    if (this.#state.isOpen) this.close();
    else this.open();
  }

  focusComposer() {
    this.#composer.focus();
  }

  /** ChatKit's setComposerValue: the text, and optionally the tool (`selectedToolId`) and model (`selectedModelId`). */
  setComposerValue({ text = '', selectedToolId, selectedModelId } = {}) {
    this.#composer.setText(String(text));
    if (selectedToolId !== undefined) this.#extras.setTool(selectedToolId);
    if (selectedModelId !== undefined) this.#extras.setModel(selectedModelId);
  }

  /**
   * Sends a message as the visitor would. `content` adds ChatKit's rich content parts (`input_tag`s, say);
   * `toolChoice` ({id} or an id) and `model` go as the message's inference options in place of the composer's;
   * `newThread` starts a fresh conversation first.
   */
  async sendUserMessage({ text = '', content, toolChoice, model, newThread = false } = {}) {
    if (newThread) this.newChat();
    await this.#stream.send(String(text), [], false, { content, toolChoice, model });
  }

  /** Reloads the open thread from the server, picking up items another tab or the server's API added. */
  async fetchUpdates() {
    if (this.#state.threadId && !this.#stream.busy) await this.#threads.load(this.#state.threadId);
  }

  /** Opens a stored thread, or the start screen for null. */
  async setThreadId(threadId) {
    if (!threadId) {
      this.newChat();
      return;
    }
    await this.#threads.load(threadId);
  }

  /** ChatKit's sendCustomAction: `action` ({type, payload}) to the server, for the widget item `itemId` if given. */
  async sendCustomAction(action, itemId) {
    await this.#stream.customAction(action, itemId);
  }

  newChat() {
    const state = this.#state;
    this.#stream.abort();
    state.setThread(null, null);
    this.#messages.clear();
    state.loadedThread = null;
    this.#alerts.hide();
    this.hideHistory();
    state.showStart(true);
  }

  showHistory() {
    this.#history.show();
  }

  hideHistory() {
    this.#history.hide();
  }

  // ---- configuration and the DOM --------------------------------------------------------------------

  #configure() {
    const state = this.#state;
    const opts = resolveOptions((name) => this.getAttribute(name), this.#jsOptions);
    const apiKey = JSON.stringify([opts.api.url, opts.api.sessionUrl]);
    if (!state.api || this.#apiKey !== apiKey || this.#apiFns !== opts.api.getClientSecret) {
      state.api = new ChatApi(Object.assign({ origin: SCRIPT_ORIGIN }, opts.api), opts.locale);
      this.#apiKey = apiKey;
      this.#apiFns = opts.api.getClientSecret;
      // Another server means another remembered thread, looked for on the next open.
      if (state.loadedThread !== undefined && state.api.url !== this.#apiUrl) state.loadedThread = undefined;
      this.#apiUrl = state.api.url;
    }
    state.options = opts;
    state.t = makeStrings(opts.locale, opts.strings);
    this.#renderChrome();
  }

  /** The thread shown first: `initialThread` when the page names one (null: the start screen), else the remembered one. */
  #firstThread() {
    const state = this.#state;
    const initial = state.options.initialThread;
    if (typeof initial === 'string' && initial) {
      this.#threads.load(initial);
    } else if (initial === null) {
      state.loadedThread = null;
    } else {
      this.#threads.restore();
    }
  }

  #wantOpen() {
    return this.hasAttribute('open') || this.#state.options.open === true || session(this.#state.key('open')) === '1';
  }

  #build() {
    const root = this.attachShadow ? this.attachShadow({ mode: 'open' }) : this;
    const state = this.#state;
    state.ui = buildView(root, styles, {
      toggle: () => this.toggle(),
      toggleHistory: () => this.#history.toggle(),
      newChat: () => { this.newChat(); this.focusComposer(); },
      close: () => { this.close(); state.ui.launcher.focus(); },
      loadEarlier: () => this.#threads.loadEarlier(),
      pickFiles: () => this.#composer.pickFiles(),
      submit: () => this.#stream.submit(),
      input: () => { this.#composer.saveDraft(); this.#composer.autosize(); },
    });
    state.showStart(true);
  }

  /** Everything that follows the options: labels, theme, start screen, composer settings. */
  #renderChrome() {
    const { ui, options: o, t } = this.#state;
    ui.theme.textContent = themeCss(o.theme || {});
    ui.launcher.setAttribute('aria-label', t(this.#state.isOpen ? 'closeChat' : 'openChat'));
    ui.historyBtn.setAttribute('aria-label', t('history'));
    ui.historyBtn.hidden = o.history && o.history.enabled === false;
    ui.newBtn.setAttribute('aria-label', t('newChat'));
    ui.closeBtn.setAttribute('aria-label', t('closeChat'));
    ui.earlier.textContent = t('earlier');
    ui.greeting.textContent = o.startScreen.greeting || t('greeting');
    ui.prompts.replaceChildren(...(o.startScreen.prompts || []).map((p) => h('li', null,
      h('button.prompt', { type: 'button', onclick: () => this.#stream.send(String(p.prompt || p.label || ''), []) },
        icon(p.icon), String(p.label || p.prompt || '')))));
    this.#composer.configure(this.#stream.cancellable);
    this.#extras.configure();
    // ChatKit titles its iframe with frameTitle; here it names the panel for assistive technology.
    if (o.frameTitle) {
      ui.panel.setAttribute('aria-label', String(o.frameTitle));
      ui.panel.removeAttribute('aria-labelledby');
    } else {
      ui.panel.removeAttribute('aria-label');
      ui.panel.setAttribute('aria-labelledby', 'parley-title');
    }
    const disclaimer = o.disclaimer && o.disclaimer.text ? o.disclaimer : null;
    ui.disclaimer.hidden = !disclaimer;
    ui.disclaimer.classList.toggle('high-contrast', !!(disclaimer && disclaimer.highContrast));
    ui.disclaimer.replaceChildren(disclaimer ? markdown.render(String(disclaimer.text)) : '');
    ui.header.hidden = o.header && o.header.enabled === false;
    ui.title.hidden = !!(o.header && o.header.title && o.header.title.enabled === false);
    // ChatKit's extra header buttons, one each side; rebuilt with the options, so a change replaces them.
    for (const side of ['leftAction', 'rightAction']) {
      const old = ui.header.querySelector('[data-header-action="' + side + '"]');
      if (old) old.remove();
      const action = o.header && o.header[side];
      if (!action || typeof action.onClick !== 'function') continue;
      const button = h('button.icon-btn', { type: 'button', 'data-header-action': side,
        'aria-label': action.label || action.icon || side, onclick: () => action.onClick() }, icon(action.icon));
      if (side === 'leftAction') ui.header.insertBefore(button, ui.title);
      else ui.header.insertBefore(button, ui.closeBtn);
    }
    this.#state.updateTitle();
  }
}
