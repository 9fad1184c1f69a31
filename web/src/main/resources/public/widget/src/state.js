// What the element and its collaborators share. One object rather than copies, so that when the options, the
// client or the open thread change, every part sees the change at once and none works from a stale copy.

import { SCRIPT_ORIGIN } from './options.js';
import { local } from './storage.js';

/** The events of ChatKit's element, announced under its names as well as Parley's. */
export const CHATKIT_EVENTS = ['ready', 'error', 'effect', 'response.start', 'response.end', 'thread.change',
  'thread.load.start', 'thread.load.end', 'tool.change', 'log'];

export class ChatState {
  /** The shadow root's nodes by role (view.js); null until the element is first connected. */
  ui = null;
  /** The options in force, the string lookup `t(key, vars)` and the ChatKit client; replaced on each configure. */
  options = null;
  t = null;
  api = null;
  threadId = null;
  threadTitle = null;
  isOpen = false;
  /** undefined until the thread remembered for this server has been looked for; null on the start screen. */
  loadedThread = undefined;
  /** Bumped by every send and every load, so a load that answers late can tell it lost and drop its answer. */
  loadToken = 0;
  #host;

  constructor(host) {
    this.#host = host;
  }

  /** Storage keys carry the server, so widgets for two servers on one site keep their threads apart. */
  key(name) {
    return 'parley:' + (this.api ? this.api.url : SCRIPT_ORIGIN) + ':' + name;
  }

  /**
   * Announces `parley:<name>` on the element, and `chatkit.<name>` too for the events ChatKit has (so a page
   * written for ChatKit's element listens unchanged), and calls the matching `on<Name>` option.
   */
  emit(name, detail) {
    this.#host.dispatchEvent(new CustomEvent('parley:' + name, { detail, bubbles: true, composed: true }));
    if (CHATKIT_EVENTS.includes(name)) {
      this.#host.dispatchEvent(new CustomEvent('chatkit.' + name, { detail, bubbles: true, composed: true }));
    }
    const callback = this.options && this.options['on' + name.split('.').map((w) => w[0].toUpperCase() + w.slice(1)).join('')];
    if (typeof callback === 'function') {
      try {
        callback(detail);
      } catch (e) {
        console.error('Parley: the host page\'s on' + name + ' callback failed', e);
      }
    }
  }

  setThread(id, title) {
    const changed = id !== this.threadId;
    this.threadId = id;
    this.threadTitle = title || null;
    local(this.key('thread'), id);
    this.updateTitle();
    if (changed) this.emit('thread.change', { threadId: id });
  }

  updateTitle() {
    const header = this.options.header || {};
    const fixed = header.title && (header.title.text || (typeof header.title === 'string' ? header.title : ''));
    this.ui.title.textContent = (this.threadTitle && !fixed) ? this.threadTitle : (fixed || this.t('title'));
  }

  showStart(show) {
    this.ui.start.hidden = !show;
  }

  /**
   * Keeps the newest content in view while a reply streams and once it is done (sources and buttons included).
   * `force` scrolls even with `thread.autoScroll: false`, for the visitor's own message and for opening a thread.
   */
  scrollToEnd(force) {
    const body = this.ui.body;
    if (!force && this.options && this.options.thread && this.options.thread.autoScroll === false) return;
    body.scrollTop = body.scrollHeight;
  }
}
