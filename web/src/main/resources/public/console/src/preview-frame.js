// Inside the console's preview frame: Parley's own widget, talking ChatKit to the draft's preview endpoint. It runs
// in a frame because the widget styles its shadow root with <style> elements, which the console's policy forbids;
// the frame allows inline styles and nothing more. Each finished reply is told to the console, which draws its run.

const id = location.hash.slice(1);
const status = document.getElementById('preview-status');

function tell(type, detail) {
  parent.postMessage({ source: 'parley-preview', type, preview: id, ...detail }, location.origin);
}

// The console's session cookie is the credential: the widget's secret is not needed and must not be sent, and the
// header marks the request as the console's own (the server's cross-site check).
async function consoleFetch(url, init = {}) {
  const headers = new Headers(init.headers || {});
  headers.delete('Authorization');
  headers.set('X-Parley-Console', '1');
  return fetch(url, { ...init, headers, credentials: 'same-origin' });
}

if (!/^pv_[0-9a-f]{24}$/.test(id) || !window.Parley) {
  status.textContent = 'This page shows a preview started from the console.';
} else {
  const chat = window.Parley.mount({
    api: {
      url: '/admin/previews/' + id + '/chatkit',
      getClientSecret: async () => 'console-session',
      fetch: consoleFetch,
    },
    open: true,
    header: { title: { text: 'Draft preview' } },
    startScreen: { greeting: 'Chat with the draft. Nothing here reaches visitors.' },
    composer: { placeholder: 'What a visitor might say' },
    threadItemActions: { feedback: false },
  });
  chat.addEventListener('parley:response.end', () => tell('response-end', { threadId: chat.threadId }));
  chat.addEventListener('parley:error', (e) => tell('error', { message: String(e.detail && e.detail.error && e.detail.error.message || 'error') }));
  chat.addEventListener('parley:ready', () => tell('ready', {}));
}
