// Recent runs of the open workflow, and one run's trace drawn on the canvas: the nodes it ran highlighted, the
// edges it took thickened, and each node's inputs, output, branch, timing, usage and error listed in order.

import { h } from './dom.js';
import { admin } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';
import { pathOf, traceView } from './trace.js';

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
  if (run.version !== editor.base.version) {
    // The path is drawn on the graph the run actually went through, not on another version; switching would
    // throw the draft away, so with unsaved edits the operator decides.
    if (editor.dirty) {
      out.replaceChildren(h('p', { class: 'error', text: 'This run used v' + run.version + '; the canvas shows a draft '
        + 'with unsaved changes. Publish it, or open v' + run.version + ' from Versions, to see the run on its graph.' }));
      return;
    }
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
  editor.canvas.highlight(pathOf(trace));
  out.replaceChildren(traceView(trace, 'Run ' + run.run_id));
}
