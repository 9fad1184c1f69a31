// The panel's one alert: what went wrong in words the visitor can act on (the URL and status of a failed
// request, a dropped connection), with Retry where retrying can help.

import { ApiError } from './api.js';
import { h, icon } from './dom.js';

export class Alerts {
  #state;

  constructor(state) {
    this.#state = state;
  }

  /** Shows `e` (after `lead`, if given), offers `retry` when there is one, and emits `parley:error`. */
  showError(e, retry, lead) {
    const text = this.#describe(e);
    this.showMessage(lead ? lead + ' ' + text : text, retry);
    this.#state.emit('error', { error: e });
  }

  showMessage(text, retry) {
    const { ui, t } = this.#state;
    ui.alertText.textContent = text;
    ui.alert.replaceChildren(ui.alertText);
    if (retry) {
      ui.alert.appendChild(h('button.btn.primary', { type: 'button', onclick: () => { this.hide(); retry(); } },
        icon('retry'), t('retry')));
    }
    ui.alert.appendChild(h('button.btn.secondary', { type: 'button', onclick: () => this.hide() }, t('dismiss')));
    ui.alert.hidden = false;
  }

  hide() {
    this.#state.ui.alert.hidden = true;
  }

  #describe(e) {
    const t = this.#state.t;
    if (!(e instanceof ApiError)) return String(e && e.message || e);
    switch (e.kind) {
      case 'http':
        // The server refused this page's origin: say so, and what the operator sets, rather than "HTTP 403".
        if (e.code === 'origin_not_allowed') return t('originRefused', { origin: location.origin });
        return t('httpFailed', { method: e.method || 'POST', url: e.url, status: e.status,
          reason: e.serverMessage ? ' (' + e.serverMessage + ')' : (e.statusText ? ' ' + e.statusText : '') });
      case 'network':
        return e.dropped ? t('connectionLost') : t('offline', { url: e.url });
      case 'protocol':
        return t('notAStream', { url: e.url, type: e.contentType || 'nothing', status: e.status });
      case 'session':
        return t('sessionFailed', { detail: e.message });
      default:
        return e.message;
    }
  }
}
