// Recent runs of the open workflow, and one run's trace drawn on the canvas: the nodes it ran highlighted.

import { h } from './dom.js';
import { admin } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';

export async function showRuns(editor) {
  let res;
  try {
    res = await admin.runs(editor.workflowId);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  const body = h('div', { class: 'runs-panel' });
  if (!res.data.length) body.append(h('p', { class: 'muted', text: 'No runs yet: chat with the workflow first.' }));
  const list = h('ol', { class: 'runs' }, ...res.data.map((r) => h('li', { dataset: { runId: r.run_id } },
    h('button', { type: 'button', class: 'run', onclick: () => showTrace(editor, r, detail) },
      h('span', { class: 'run-status ' + r.status, text: r.status }),
      h('span', { text: ' v' + r.version + ' · ' + Math.round(r.duration_ms) + ' ms · ' }),
      h('span', { class: 'muted', text: new Date(r.started_at).toLocaleString() })))));
  const detail = h('div', { class: 'trace', 'aria-live': 'polite' });
  body.append(list, detail);
  openPanel('runs', 'Runs of ' + editor.workflowId, body, () => editor.canvas && editor.canvas.highlight([]));
  list.querySelector('button')?.focus();
}

async function showTrace(editor, run, out) {
  let trace;
  try {
    trace = await admin.trace(run.run_id);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'error', text: err.message }));
    return;
  }
  if (run.version !== editor.base.version) await editor.open(editor.workflowId, run.version).then(() => showRuns(editor));
  const steps = stepsOf(trace);
  editor.canvas.highlight(steps.map((s) => s.node_id));
  out.replaceChildren(h('h3', { text: 'Run ' + run.run_id }),
    h('ol', { class: 'steps' }, ...steps.map((s) => h('li', { dataset: { stepNode: s.node_id } },
      h('code', { text: s.node_id }), s.branch ? ' → ' + s.branch : '',
      s.duration_ms !== undefined ? h('span', { class: 'muted', text: ' ' + Math.round(s.duration_ms) + ' ms' }) : null,
      s.error ? h('p', { class: 'error', text: String(s.error.message || s.error) }) : null))));
}

/** The trace's steps in the order they ran, whatever the trace calls its list. */
function stepsOf(trace) {
  const list = trace.steps || trace.nodes || trace.spans || [];
  return list.filter((s) => s && (s.node_id || s.node)).map((s) => ({ ...s, node_id: s.node_id || s.node }));
}
