// Recent runs of the open workflow, and one run's trace drawn on the canvas: the nodes it ran highlighted, the
// edges it took thickened, and each node's inputs, output, branch, timing, usage and error listed in order.

import { h } from './dom.js';
import { admin } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';

/** @param select a run to open at once (after the canvas has switched to the version that run used) */
export async function showRuns(editor, select) {
  let res;
  try {
    res = await admin.runs(editor.workflowId);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  const body = h('div', { class: 'runs-panel' });
  if (!res.data.length) body.append(h('p', { class: 'muted', text: 'No runs yet: chat with the workflow first.' }));
  const detail = h('div', { class: 'trace', 'aria-live': 'polite' });
  const list = h('ol', { class: 'runs' }, ...res.data.map((r) => h('li', { dataset: { runId: r.run_id } },
    h('button', { type: 'button', class: 'run', onclick: () => showTrace(editor, r, detail) },
      h('span', { class: 'run-status ' + r.status, text: r.status }),
      h('span', { text: ' v' + r.version + ' · ' + Math.round(r.duration_ms) + ' ms · ' }),
      h('span', { class: 'muted', text: new Date(r.started_at).toLocaleString() })))));
  body.append(list, detail);
  openPanel('runs', 'Runs of ' + editor.workflowId, body, () => editor.canvas && editor.canvas.highlight([]));
  const chosen = select && res.data.find((r) => r.run_id === select);
  if (chosen) await showTrace(editor, chosen, detail);
  else list.querySelector('button')?.focus();
}

async function showTrace(editor, run, out) {
  if (run.version !== editor.base.version || editor.dirty) {
    // The path is drawn on the graph the run actually went through, not on a later version or the draft.
    await editor.open(editor.workflowId, run.version);
    await showRuns(editor, run.run_id);
    return;
  }
  let trace;
  try {
    trace = await admin.trace(run.run_id);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'error', text: err.message }));
    return;
  }
  const steps = (trace.nodes || []).filter((s) => s && s.node_id);
  editor.canvas.highlight(steps.map((s) => s.node_id));
  // Through h(), which skips a missing child; replaceChildren itself would print it as "null".
  out.replaceChildren(h('div', {},
    h('h3', { text: 'Run ' + run.run_id }),
    h('p', { class: 'muted', text: trace.status + ' · v' + trace.version + ' · thread ' + trace.thread_id
      + (trace.duration_micros !== undefined ? ' · ' + ms(trace.duration_micros) : '') }),
    trace.error ? h('p', { class: 'error', text: trace.error }) : null,
    h('ol', { class: 'steps' }, ...steps.map(step))));
}

function step(s) {
  const facts = [s.type, s.branch ? 'branch ' + s.branch : '', s.duration_micros !== undefined ? ms(s.duration_micros) : '',
    s.usage ? s.usage.input_tokens + ' → ' + s.usage.output_tokens + ' tokens' : ''].filter(Boolean).join(' · ');
  return h('li', { class: 'step', dataset: { stepNode: s.node_id } },
    h('code', { text: s.node_id }), ' ', h('span', { class: 'muted', text: facts }),
    s.error ? h('p', { class: 'error', text: s.error }) : null,
    s.inputs ? json('Inputs', s.inputs) : null,
    s.output !== undefined ? json('Output', s.output) : null);
}

function json(label, value) {
  return h('details', {}, h('summary', { text: label }),
    h('pre', { class: 'code', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }));
}

function ms(micros) {
  return (micros / 1000).toFixed(micros < 10000 ? 1 : 0) + ' ms';
}
