// Chat with the draft before publishing: the draft becomes a preview on the server, Parley's own widget talks to
// the preview's ChatKit endpoint in a frame, and every finished reply's run is drawn on the draft's graph.

import { h } from './dom.js';
import { admin } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';
import { pathOf, traceView } from './trace.js';

let listening = null;

export async function showPreview(editor) {
  let res;
  try {
    res = await admin.startPreview(editor.draft);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  if (res.status === 422) {
    editor.show({ errors: res.body.error.errors, warnings: res.body.error.warnings });
    status('The draft cannot run; fix the errors marked on the graph', 'error');
    return;
  }
  const previewId = res.body.preview_id;
  const frame = h('iframe', { class: 'preview-frame', title: 'Chat with the draft', src: '/console/preview#' + previewId });
  const out = h('div', { class: 'preview-result', 'aria-live': 'polite' },
    h('p', { class: 'muted', text: 'Each reply’s path is drawn on the graph and listed here.' }));
  const restart = h('button', { type: 'button', onclick: () => showPreview(editor) }, 'Restart with the current draft');
  const body = h('div', { class: 'preview', dataset: { previewId } },
    h('p', { class: 'muted', text: 'The draft as it was when this preview started, unpublished. Edits need a restart.' }),
    restart, frame, out);

  if (listening) window.removeEventListener('message', listening);
  listening = async (e) => {
    // Only the frame this panel made, on this origin, about this preview.
    if (e.origin !== location.origin || e.source !== frame.contentWindow) return;
    const msg = e.data || {};
    if (msg.source !== 'parley-preview' || msg.preview !== previewId) return;
    if (msg.type === 'response-end') await drawLatestRun(editor, previewId, out);
    if (msg.type === 'error') out.replaceChildren(h('p', { class: 'error', text: msg.message }));
  };
  window.addEventListener('message', listening);
  openPanel('preview', 'Chat with the draft', body, () => {
    window.removeEventListener('message', listening);
    listening = null;
    if (editor.canvas) editor.canvas.highlight([]);
  });
  status('Previewing the draft');
  frame.focus();
}

async function drawLatestRun(editor, previewId, out) {
  let trace;
  try {
    const runs = await admin.previewRuns(previewId);
    if (!runs.data.length) return;
    trace = await admin.trace(runs.data[0]);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'error', text: err.message }));
    return;
  }
  editor.canvas.highlight(pathOf(trace));
  out.replaceChildren(traceView(trace, 'Its path'));
}
