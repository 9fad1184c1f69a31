// Every call the console makes: the admin API and the console's own session routes, all same-origin, with
// the session cookie and the header that marks the request as the console's own (the server's CSRF check).

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

let onSignedOut = () => {};

/** Called when the server says the session is gone (expired, or signed out in another tab). */
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

/**
 * {@return the response's JSON}; a status in `accept` is returned as { status, body } instead of thrown, for
 * answers such as a 422 that the caller shows rather than reports.
 */
export async function call(method, path, body, accept = []) {
  const init = { method, credentials: 'same-origin', headers: { 'X-Parley-Console': '1' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'The server cannot be reached; check that Parley is running.');
  }
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.ok) return accept.length ? { status: res.status, body: json } : json;
  if (accept.includes(res.status)) return { status: res.status, body: json };
  const error = (json && json.error) || {};
  if (res.status === 401 && path.startsWith('/admin/')) onSignedOut(error.message);
  throw new ApiError(res.status, error.code || 'http_' + res.status, error.message || res.statusText, json);
}

export const session = {
  state: () => call('GET', '/console/session'),
  signIn: (token) => call('POST', '/console/session', { token }),
  signOut: () => call('DELETE', '/console/session'),
};

const wf = (id) => '/admin/workflows/' + encodeURIComponent(id);

export const admin = {
  workflows: () => call('GET', '/admin/workflows'),
  version: (id, n) => call('GET', wf(id) + '/versions/' + n),
  versions: (id) => call('GET', wf(id) + '/versions'),
  validate: (doc) => call('POST', '/admin/workflows/validate', doc),
  publish: (doc) => call('POST', '/admin/workflows', doc, [422]),
  preview: (doc, message) => call('POST', '/admin/workflows/preview', { workflow: doc, message }, [422]),
  runs: (id) => call('GET', wf(id) + '/runs?limit=30'),
  trace: (runId) => call('GET', '/admin/runs/' + encodeURIComponent(runId)),
  startPreview: (doc) => call('POST', '/admin/previews', { workflow: doc }, [422]),
  previewRuns: (previewId) => call('GET', '/admin/previews/' + encodeURIComponent(previewId) + '/runs'),
  drafts: () => call('GET', '/admin/drafts'),
  draft: (id) => call('GET', wf(id) + '/draft', undefined, [404]),
  saveDraft: (id, doc, baseVersion) => call('PUT', wf(id) + '/draft', { document: doc, base_version: baseVersion }),
  deleteDraft: (id) => call('DELETE', wf(id) + '/draft', undefined, [404]),
};
