// Try the draft before publishing: one message through POST /admin/workflows/preview, the reply, and the run's
// path drawn on the draft's own graph. Each try is a new thread, as a first message would be.

import { h } from './dom.js';
import { admin } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';
import { pathOf, traceView } from './trace.js';

export function showPreview(editor) {
  const input = h('textarea', { id: 'preview-message', rows: 3, placeholder: 'What a visitor might say' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send to the draft');
  const out = h('div', { class: 'preview-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'preview' },
    h('p', { class: 'muted', text: 'Runs the draft as it is now, unpublished, against one message.' }),
    h('label', { for: 'preview-message', text: 'Message' }), input, send, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const message = input.value.trim();
    if (!message) {
      input.focus();
      return;
    }
    send.disabled = true;
    out.replaceChildren(h('p', { class: 'muted', text: 'Running…' }));
    try {
      await run(editor, message, out);
    } finally {
      send.disabled = false;
    }
  });
  // Ctrl+Enter sends, as in most chat boxes with a multi-line field.
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  openPanel('preview', 'Try the draft', form, () => editor.canvas && editor.canvas.highlight([]));
  input.focus();
}

async function run(editor, message, out) {
  let res;
  try {
    res = await admin.preview(editor.draft, message);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'error', text: err.message }));
    return;
  }
  if (res.status === 422) {
    editor.show({ errors: res.body.error.errors, warnings: res.body.error.warnings });
    out.replaceChildren(h('p', { class: 'error', text: 'The draft cannot run: ' + res.body.error.message }));
    status('The draft cannot run; fix the errors marked on the graph', 'error');
    return;
  }
  const body = res.body;
  editor.canvas.highlight(body.trace ? pathOf(body.trace) : []);
  out.replaceChildren(h('div', {},
    h('div', { class: 'reply' }, h('p', { class: 'who', text: 'Reply' }), h('p', { class: 'reply-text', text: body.reply || '(no text)' })),
    body.trace ? traceView(body.trace, 'Its path') : h('p', { class: 'muted', text: 'No trace was recorded.' })));
}
