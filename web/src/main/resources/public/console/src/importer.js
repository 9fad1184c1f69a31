// Import: an Agent Builder workflow (its JSON, or its Agents SDK code export in Python or TypeScript) sent to
// POST /admin/workflows/import. The report is shown (errors first), the resulting workflow is drawn on the canvas
// as an unpublished draft, and Publish sends the same text again with ?publish=true.

import { byId, h } from './dom.js';
import { call } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';

const ROUTE = '/admin/workflows/import';
const KINDS = [
  { key: 'errors', one: 'error', many: 'errors', css: 'error' },
  { key: 'warnings', one: 'warning', many: 'warnings', css: 'warning' },
  { key: 'notes', one: 'note', many: 'notes', css: 'note' },
];

/**
 * Opens the import panel.
 * @param editor the open workflow's editor, whose canvas draws the imported draft
 * @param onPublished refreshes the workflows list after a publish
 */
export function showImport(editor, onPublished) {
  if (!editor) return;
  const file = h('input', { type: 'file', id: 'import-file', accept: '.json,.py,.ts,.js,.txt,application/json,text/plain' });
  const drop = h('div', { class: 'import-drop', id: 'import-drop' },
    h('p', { text: 'Drop an Agent Builder workflow (JSON) or its code export (Python or TypeScript) here, or choose the file.' }),
    h('label', { for: 'import-file', class: 'import-pick', text: 'File' }), file);
  const paste = h('textarea', { id: 'import-text', class: 'code', rows: 5, placeholder: 'Or paste the JSON or the code here' });
  const send = h('button', { type: 'submit', id: 'import-paste' }, 'Import the pasted text');
  const out = h('div', { id: 'import-result', class: 'import-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'importer' }, drop,
    h('label', { for: 'import-text', text: 'Pasted text' }), paste, send, out);

  const start = async (text, from) => {
    send.disabled = true;
    try {
      await importText(editor, onPublished, text, from, out);
    } finally {
      send.disabled = false;
    }
  };
  file.addEventListener('change', async () => {
    const chosen = file.files && file.files[0];
    if (chosen) await start(await chosen.text(), chosen.name);
    file.value = '';
  });
  // The whole panel takes the drop, so a file let go a little off the zone is imported, not opened by the browser.
  form.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  form.addEventListener('dragleave', (e) => {
    if (!form.contains(e.relatedTarget)) drop.classList.remove('over');
  });
  form.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const dropped = e.dataTransfer && e.dataTransfer.files[0];
    if (dropped) await start(await dropped.text(), dropped.name);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!paste.value.trim()) {
      paste.focus();
      return;
    }
    await start(paste.value, 'the pasted text');
  });
  // Ctrl+Enter imports, as in the Try panel's message box.
  paste.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  openPanel('import', 'Import from Agent Builder', form);
  file.focus();
}

async function importText(editor, onPublished, text, from, out) {
  if (!text.trim()) {
    out.replaceChildren(h('p', { class: 'problem error', text: from + ' is empty.' }));
    return;
  }
  out.replaceChildren(h('p', { class: 'muted', text: 'Importing ' + from + '…' }));
  let res;
  try {
    res = await call('POST', ROUTE, text);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'problem error', text: 'Not imported: ' + err.message }));
    return;
  }
  const report = res.report || {};
  const doc = res.workflow;
  const errors = (report.errors || []).length;
  out.replaceChildren(h('h3', { text: 'Report on ' + from }), reportView(report));
  if (!doc || !Array.isArray(doc.nodes)) {
    out.append(h('p', { class: 'error', text: 'Nothing to draw: the file did not become a workflow.' }));
    status('Import failed: see the report', 'error');
    return;
  }
  draw(editor, doc);
  const publish = h('button', { type: 'button', id: 'import-publish', class: 'primary', disabled: errors > 0 },
    'Publish this workflow');
  const outcome = h('div', { class: 'import-outcome', 'aria-live': 'polite' });
  publish.addEventListener('click', async () => {
    publish.disabled = true;
    const done = await publishText(editor, onPublished, text, out, outcome);
    if (!done) publish.disabled = false;
  });
  out.append(h('p', { class: 'muted', text: errors
    ? 'Fix the errors in the source and import it again before publishing.'
    : 'Drawn on the canvas as a draft (not published yet). Publishing makes it a new version of ' + doc.id + '.' }),
  publish, outcome);
  if (!errors) publish.focus();
}

/** The report, errors first and marked as such; each entry with where it came from and the fix when there is one. */
function reportView(report) {
  const counts = KINDS.map((k) => {
    const n = (report[k.key] || []).length;
    return n + ' ' + (n === 1 ? k.one : k.many);
  });
  const view = h('div', { class: 'import-report' },
    h('p', { class: 'import-summary', text: counts.join(', ') }));
  for (const k of KINDS) {
    const entries = report[k.key] || [];
    view.dataset[k.key] = String(entries.length);
    if (!entries.length) continue;
    view.append(h('h4', { text: k.many[0].toUpperCase() + k.many.slice(1) }),
      h('ul', { class: 'import-entries ' + k.key }, ...entries.map((e) => h('li', {
        class: 'problem ' + k.css, dataset: { source: e.source || '' },
      }, h('p', {}, h('code', { class: 'source', text: e.source || 'workflow' }), ' ', e.message || ''),
      e.fix ? h('p', { class: 'fix', text: 'Fix: ' + e.fix }) : null))));
  }
  return view;
}

/** Draws the imported document as the editor's draft; the draft shown before is saved on the server first. */
function draw(editor, doc) {
  // Synchronous up to its request, which carries the old draft: safe to switch right after.
  editor.saveNow();
  editor.forgetValidations();
  editor.problems = { errors: [], warnings: [] };
  editor.workflowId = doc.id;
  // Not a stored version: the title says so, and versions and runs wait until it is published.
  editor.base = { name: doc.name || doc.id, version: 0, document: doc };
  editor.dirty = false;
  editor.load(doc);
  byId('wf-title').textContent = editor.base.name + ' · imported, not published';
  byId('btn-publish').disabled = true;
  byId('btn-versions').disabled = true;
  byId('btn-runs').disabled = true;
  byId('btn-preview').disabled = false;
  editor.hasSavedDraft = false;
  for (const b of document.querySelectorAll('#wf-list [aria-current]')) b.removeAttribute('aria-current');
  editor.validate();
}

/** {@return whether it was published}; a refusal shows what stood in the way, the report's errors first. */
async function publishText(editor, onPublished, text, out, outcome) {
  outcome.replaceChildren(h('p', { class: 'muted', text: 'Publishing…' }));
  let res;
  try {
    res = await call('POST', ROUTE + '?publish=true', text, [422]);
  } catch (err) {
    outcome.replaceChildren(h('p', { class: 'problem error', text: 'Not published: ' + err.message }));
    return false;
  }
  const body = res.body || {};
  if (res.status === 422) {
    const message = (body.error && body.error.message) || 'The server refused the import.';
    outcome.replaceChildren(h('div', { class: 'import-refused', role: 'alert' },
      h('p', { class: 'problem error', text: 'Not published: ' + message }),
      body.report ? reportView(body.report) : null));
    status('Not published: ' + message, 'error');
    return false;
  }
  const id = body.workflow.id;
  editor.dirty = false;
  // An edit of the imported draft may have been saved; it is published now.
  if (editor.workflowId === id) await editor.dropSavedDraft();
  // Opening the stored version closes this panel and makes versions, runs and the top bar's Publish work again.
  await editor.open(id, body.version);
  await onPublished();
  status('Imported and published ' + id + ' v' + body.version, 'ok');
  return true;
}
