// Talks ChatKit to the server: client secrets, JSON requests, SSE streams and two-phase uploads. Knows
// nothing about the DOM, so every failure leaves here as an ApiError the UI can put into words.

export class ApiError extends Error {
  /**
   * kind: 'http' (the server answered with a failing status), 'network' (no answer, or the stream broke off),
   * 'protocol' (an answer that is not what ChatKit sends), 'session' (no client secret could be had).
   */
  constructor(kind, message, details) {
    super(message);
    this.name = 'ParleyApiError';
    this.kind = kind;
    Object.assign(this, details || {});
  }
}

export class ChatApi {
  #url;
  #sessionUrl;
  #fetch;
  #getClientSecret;
  #headers;
  #secret = null;
  #expiresAt = 0;
  #pendingSecret = null;

  constructor(api, locale) {
    const origin = api.origin;
    this.#url = new URL(api.url || '/chatkit', origin).href;
    this.#sessionUrl = new URL(api.sessionUrl || '/api/chatkit/session', origin).href;
    this.#fetch = typeof api.fetch === 'function' ? api.fetch : (input, init) => window.fetch(input, init);
    this.#getClientSecret = typeof api.getClientSecret === 'function' ? api.getClientSecret : null;
    this.#headers = Object.assign({}, api.headers || {});
    if (locale) this.#headers['Accept-Language'] = locale;
  }

  /** Absolute, because the element also keys its stored thread and draft by it. */
  get url() {
    return this.#url;
  }

  /** A secret that is still good for at least 30 s; concurrent callers share one session request. */
  async #currentSecret(forceNew) {
    if (!forceNew && this.#secret && Date.now() < this.#expiresAt - 30_000) return this.#secret;
    if (!this.#pendingSecret) {
      const stale = this.#secret;
      this.#pendingSecret = this.#fetchSecret(stale).finally(() => { this.#pendingSecret = null; });
    }
    return this.#pendingSecret;
  }

  async #fetchSecret(stale) {
    if (this.#getClientSecret) {
      let secret;
      try {
        secret = await this.#getClientSecret(stale);
      } catch (e) {
        throw new ApiError('session', String(e && e.message || e), { url: this.#sessionUrl });
      }
      if (typeof secret !== 'string' || !secret) throw new ApiError('session', 'getClientSecret returned no secret');
      // A host-supplied secret has no known lifetime: keep it until the server refuses it.
      this.#secret = secret;
      this.#expiresAt = Number.MAX_SAFE_INTEGER;
      return secret;
    }
    let res;
    try {
      // The cookie is the visitor's identity, so it must travel even when the widget is on another site.
      res = await this.#fetch(this.#sessionUrl, { method: 'POST', credentials: 'include', headers: this.#headers });
    } catch (e) {
      throw new ApiError('network', String(e && e.message || e), { url: this.#sessionUrl, method: 'POST' });
    }
    if (!res.ok) throw await httpError(res, this.#sessionUrl, 'POST');
    const body = await res.json();
    this.#secret = body.client_secret;
    const ttl = Number(body.expires_after) || 600;
    this.#expiresAt = body.expires_at ? body.expires_at * 1000 : Date.now() + ttl * 1000;
    return this.#secret;
  }

  async #post(body, signal) {
    const send = async (secret) => {
      const headers = Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        this.#headers, { Authorization: 'Bearer ' + secret });
      try {
        return await this.#fetch(this.#url, {
          method: 'POST', headers, body: JSON.stringify(body), credentials: 'include', signal,
        });
      } catch (e) {
        if (e && e.name === 'AbortError') throw e;
        throw new ApiError('network', String(e && e.message || e), { url: this.#url, method: 'POST' });
      }
    };
    let res = await send(await this.#currentSecret(false));
    // An expired or rotated secret: fetch a fresh one with the cookie and try once more, unseen by the user.
    if (res.status === 401) res = await send(await this.#currentSecret(true));
    return res;
  }

  /** A non-streaming request; resolves to the parsed JSON answer. */
  async request(type, params) {
    const res = await this.#post({ type, params });
    if (!res.ok) throw await httpError(res, this.#url, 'POST');
    return res.json();
  }

  /**
   * A streaming request: calls onEvent for every event as it arrives and resolves when the server ends the
   * stream. A stream that breaks off rejects with a 'network' ApiError; aborting rejects with AbortError.
   */
  async stream(type, params, onEvent, signal) {
    const res = await this.#post({ type, params }, signal);
    if (!res.ok) throw await httpError(res, this.#url, 'POST');
    const contentType = res.headers.get('Content-Type') || '';
    if (!contentType.startsWith('text/event-stream')) {
      throw new ApiError('protocol', 'not a stream', { url: this.#url, status: res.status, contentType });
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (e && e.name === 'AbortError') throw e;
        throw new ApiError('network', String(e && e.message || e), { url: this.#url, method: 'POST', dropped: true });
      }
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(l.startsWith('data: ') ? 6 : 5)).join('\n');
        if (!data) continue;
        let event;
        try {
          event = JSON.parse(data);
        } catch (e) {
          throw new ApiError('protocol', 'bad event', { url: this.#url, status: res.status, contentType });
        }
        onEvent(event);
      }
    }
  }

  /** Phase two of an upload: the bytes go where attachments.create's upload_descriptor says. */
  async upload(descriptor, file) {
    const method = descriptor.method || 'PUT';
    const headers = Object.assign({}, descriptor.headers || {});
    let body = file;
    if (method === 'POST') {
      body = new FormData();
      body.append('file', file, file.name);
    } else if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = file.type || 'application/octet-stream';
    }
    let res;
    try {
      res = await this.#fetch(descriptor.url, { method, headers, body, credentials: 'include' });
    } catch (e) {
      throw new ApiError('network', String(e && e.message || e), { url: descriptor.url, method });
    }
    if (!res.ok) throw await httpError(res, descriptor.url, method);
  }
}

async function httpError(res, url, method) {
  let code = '';
  let message = '';
  try {
    const body = await res.json();
    code = body && body.error && body.error.code || '';
    message = body && body.error && body.error.message || '';
  } catch (e) {
    // Not JSON (a proxy's HTML error page, say): the status alone has to do.
  }
  return new ApiError('http', message || res.statusText || 'HTTP ' + res.status,
    { url, method, status: res.status, statusText: res.statusText, code, serverMessage: message });
}
