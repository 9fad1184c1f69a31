// Evals: the eval runs (of the open workflow, or of all), one run's summary and results table, and a failing case
// opened to its trace drawn on the canvas (on the workflow version the eval ran; a draft's on the open graph).
// Its admin calls live here, so the other console modules stay as they are.

import { h } from './dom.js';
import { call, admin } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';
import { pathOf, traceView } from './trace.js';

const evalsApi = {
  list: (workflowId) => call('GET', '/admin/evals?' + new URLSearchParams(workflowId ? { workflow_id: workflowId, limit: 30 } : { limit: 30 })),
  get: (id) => call('GET', '/admin/evals/' + encodeURIComponent(id)),
  run: (workflowId) => call('POST', '/admin/evals', { workflow_id: workflowId }, [404, 422]),
};

const percent = (rate) => (Math.round(rate * 1000) / 10) + '%';

/** Opens the panel on the eval runs, newest first. */
export async function showEvals(editor) {
  const workflowId = editor && editor.workflowId;
  let res;
  try {
    res = await evalsApi.list(workflowId);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const runButton = workflowId ? h('button', { type: 'button', class: 'small eval-run', onclick: () => runNow(editor, runButton, note) },
    'Run on dataset "default"') : null;
  const list = h('ol', { class: 'runs eval-runs' }, ...res.data.map((r) => h('li', { dataset: { evalId: r.eval_id } },
    h('button', { type: 'button', class: 'run', onclick: () => showEval(editor, r.eval_id) },
      h('span', { class: 'eval-rate', text: percent(r.pass_rate) }),
      h('span', { text: ' ' + r.workflow_id + (r.version ? ' v' + r.version : ' (draft)') + ' · ' + (r.dataset || 'inline cases')
        + ' · ' + r.cases + ' cases · ' }),
      h('span', { class: 'muted', text: new Date(r.started_at).toLocaleString() })))));
  const body = h('div', { class: 'evals-panel' }, runButton, note,
    res.data.length ? list : h('p', { class: 'muted', text: 'No eval runs yet.' }));
  openPanel('evals', workflowId ? 'Evals of ' + workflowId : 'Evals', body, () => editor && editor.canvas && editor.canvas.highlight([]));
  (list.querySelector('button') || runButton)?.focus();
}

async function runNow(editor, button, note) {
  button.disabled = true;
  note.textContent = 'Running every case of the dataset…';
  let res;
  try {
    res = await evalsApi.run(editor.workflowId);
  } catch (err) {
    note.textContent = err.message;
    note.className = 'error';
    button.disabled = false;
    return;
  }
  if (res.status !== 201) {
    note.textContent = (res.body && res.body.error && res.body.error.message) || 'The eval could not run.';
    note.className = 'error';
    button.disabled = false;
    return;
  }
  await showEval(editor, res.body.eval_id, res.body);
}

/** One run: its summary, pass rate per grader, and every case; failing cases first. */
async function showEval(editor, evalId, loaded) {
  let run = loaded;
  if (!run) {
    try {
      run = await evalsApi.get(evalId);
    } catch (err) {
      status(err.message, 'error');
      return;
    }
  }
  const s = run.summary;
  const back = h('button', { type: 'button', class: 'small eval-back', onclick: () => showEvals(editor) }, '← All eval runs');
  const detail = h('div', { class: 'trace', 'aria-live': 'polite' });
  const graders = h('table', { class: 'eval-graders' },
    h('thead', {}, h('tr', {}, h('th', { text: 'Grader' }), h('th', { text: 'Passed' }), h('th', { text: 'Rate' }))),
    h('tbody', {}, ...Object.entries(s.graders).map(([kind, g]) => h('tr', {},
      h('td', { text: kind }), h('td', { text: g.passed + ' / ' + g.cases }), h('td', { text: percent(g.pass_rate) }))),
    ...Object.entries(s.model_graded || {}).map(([kind, g]) => h('tr', { class: 'muted' },
      h('td', { text: kind + ' (by ' + g.provider + ', not counted)' }), h('td', { text: g.passed + ' / ' + g.cases }),
      h('td', { text: percent(g.pass_rate) })))));
  const cases = [...run.cases].sort((a, b) => Number(a.passed) - Number(b.passed));
  const table = h('table', { class: 'eval-results' },
    h('thead', {}, h('tr', {}, h('th', { text: 'Case' }), h('th', { text: 'Result' }), h('th', { text: 'Input' }),
      h('th', { text: 'Category' }), h('th', { text: 'Why' }))),
    h('tbody', {}, ...cases.map((c) => h('tr', { class: c.passed ? 'pass' : 'fail', dataset: { caseId: c.id, passed: String(c.passed) } },
      h('td', {}, h('code', { text: c.id })),
      h('td', { text: c.passed ? '✓ pass' : '✗ fail' }),
      h('td', { text: c.input[c.input.length - 1] }),
      h('td', { text: c.category || '' }),
      h('td', {}, ...c.verdicts.filter((v) => !v.passed && !v.model_graded).map((v) => h('p', { class: 'error', text: v.grader + ': ' + v.detail })),
        c.error ? h('p', { class: 'error', text: c.error }) : null,
        c.run_id ? h('button', { type: 'button', class: 'small show-trace', dataset: { runId: c.run_id },
          onclick: () => showCaseTrace(editor, run, c, detail) }, 'Show trace') : null)))));
  const body = h('div', { class: 'eval-view', dataset: { evalId: run.eval_id } }, back,
    h('p', { class: 'eval-summary', text: s.passed + ' of ' + s.cases + ' cases passed (' + percent(s.pass_rate) + ') · '
      + run.workflow_id + (run.version ? ' v' + run.version : ' (draft)') + ' · ' + (run.dataset || 'inline cases')
      + ' · ' + run.provider }),
    h('p', { class: 'muted', text: 'Latency p50 ' + s.latency_ms.p50 + ' ms · p90 ' + s.latency_ms.p90 + ' ms · p99 '
      + s.latency_ms.p99 + ' ms · tokens ' + s.tokens.input + ' in, ' + s.tokens.output + ' out' }),
    graders, detail, table);
  openPanel('evals', 'Eval ' + run.eval_id, body, () => editor && editor.canvas && editor.canvas.highlight([]));
  back.focus();
}

/** The case's run drawn on the canvas: the version the eval ran is opened first, unless it is shown already. */
async function showCaseTrace(editor, run, c, out) {
  let trace;
  try {
    trace = await admin.trace(c.run_id);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'error', text: err.message }));
    return;
  }
  const shown = () => editor.workflowId === run.workflow_id && editor.base && editor.base.version === run.version;
  if (editor && run.version && !shown()) {
    // Opening asks before discarding a draft with unsaved changes; declined, the canvas stays as it was.
    await editor.open(run.workflow_id, run.version);
    if (!shown()) {
      out.replaceChildren(h('p', { class: 'error', text: 'This eval ran ' + run.workflow_id + ' v' + run.version
        + '; keep the canvas\'s unsaved changes or open that version to see the run on its graph.' }), traceView(trace, 'Run ' + c.run_id));
      return;
    }
    await showEval(editor, run.eval_id, run);
    const again = document.querySelector('.eval-view .show-trace[data-run-id="' + CSS.escape(c.run_id) + '"]');
    if (again) again.click();
    return;
  }
  const onGraph = editor && editor.canvas && editor.workflowId === run.workflow_id;
  if (onGraph) editor.canvas.highlight(pathOf(trace));
  // replaceChildren would show a null as the text "null": the note is left out rather than passed as null.
  out.replaceChildren(...[
    onGraph ? null : h('p', { class: 'error', text: 'Open ' + run.workflow_id + ' to see this run on its graph.' }),
    h('p', { class: 'eval-case-head', text: 'Case ' + c.id + ': ' + c.input[c.input.length - 1] }),
    h('p', { class: 'muted', text: 'Reply: ' + c.reply }),
    traceView(trace, 'Run ' + c.run_id)].filter(Boolean));
  out.scrollIntoView({ block: 'nearest' });
}
