// The console's entry point: sign-in or the app, the workflows list, and the top bar's buttons.

import { byId, h, clear } from './dom.js';
import { session, admin, whenSignedOut } from './api.js';
import { showSignIn } from './signin.js';
import { wirePanel, closePanel } from './panel.js';
import { Editor } from './editor.js';
import { showImport } from './importer.js';
import { showConversations } from './conversations.js';
import { showEvals } from './evals.js';

let editor = null;

async function boot() {
  wirePanel();
  whenSignedOut((message) => showSignIn(showApp, message || 'Your session has ended; sign in again.'));
  byId('btn-signout').addEventListener('click', signOut);
  byId('btn-import').addEventListener('click', () => showImport(editor, listWorkflows));
  let state;
  try {
    state = await session.state();
  } catch (err) {
    showSignIn(showApp, err.message);
    return;
  }
  if (state.signed_in) showApp();
  else showSignIn(showApp);
}

async function showApp() {
  byId('signin').hidden = true;
  byId('app').hidden = false;
  if (!editor) editor = new Editor(byId('canvas-host'), listWorkflows);
  byId('btn-conversations').onclick = () => showConversations(editor);
  byId('btn-evals').onclick = () => showEvals(editor);
  await listWorkflows();
  const first = byId('wf-list').querySelector('button');
  if (first) first.focus();
}

/** Published workflows and saved drafts, one entry per id; a draft of a workflow never published is listed too. */
async function listWorkflows() {
  const list = clear(byId('wf-list'));
  let res;
  let drafts;
  try {
    [res, drafts] = await Promise.all([admin.workflows(), admin.drafts()]);
  } catch (err) {
    list.append(h('li', { class: 'error', text: err.message }));
    return;
  }
  const drafted = new Set(drafts.data.map((d) => d.workflow_id));
  const entries = res.data.map((wf) => ({ id: wf.workflow_id, name: wf.name,
    meta: wf.workflow_id + ' · v' + wf.latest_version, draft: drafted.has(wf.workflow_id) }));
  for (const d of drafts.data) {
    if (!res.data.some((wf) => wf.workflow_id === d.workflow_id)) {
      entries.push({ id: d.workflow_id, name: d.workflow_id, meta: 'not published', draft: true });
    }
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (!entries.length) list.append(h('li', { class: 'muted', text: 'No workflow is published yet.' }));
  for (const e of entries) {
    list.append(h('li', {}, h('button', {
      type: 'button', class: 'wf-item', dataset: e.draft ? { workflowId: e.id, draft: 'true' } : { workflowId: e.id },
      'aria-current': editor && editor.workflowId === e.id ? 'true' : null,
      onclick: () => open(e.id),
    }, h('span', { class: 'wf-name', text: e.name }),
    h('span', { class: 'wf-meta', text: e.meta + (e.draft ? ' · draft' : '') }))));
  }
}

async function open(id) {
  const fromList = byId('wf-list').contains(document.activeElement);
  await editor.open(id);
  // Opening may have saved the draft of the workflow left behind: its entry now says so.
  await listWorkflows();
  // Opening may have failed, leaving the workflow shown before: the mark follows what is shown.
  const shown = editor.workflowId;
  for (const b of byId('wf-list').querySelectorAll('button')) {
    if (b.dataset.workflowId === shown) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
  if (fromList) byId('wf-list').querySelector('[aria-current]')?.focus();
}

async function signOut() {
  if (editor) await editor.saveNow();
  closePanel();
  try {
    await session.signOut();
  } catch (err) {
    // The cookie may already be gone; the sign-in form is the right place either way.
  }
  if (editor) editor.dirty = false;
  editor = null;
  clear(byId('canvas-host')).append(h('p', { class: 'empty muted', text: 'Choose a workflow on the left.' }));
  byId('wf-title').textContent = '';
  showSignIn(showApp, 'Signed out.', true);
}

window.addEventListener('DOMContentLoaded', boot);
