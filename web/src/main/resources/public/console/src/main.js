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

async function listWorkflows() {
  const list = clear(byId('wf-list'));
  let res;
  try {
    res = await admin.workflows();
  } catch (err) {
    list.append(h('li', { class: 'error', text: err.message }));
    return;
  }
  if (!res.data.length) list.append(h('li', { class: 'muted', text: 'No workflow is published yet.' }));
  for (const wf of res.data) {
    list.append(h('li', {}, h('button', {
      type: 'button', class: 'wf-item', dataset: { workflowId: wf.workflow_id },
      'aria-current': editor && editor.workflowId === wf.workflow_id ? 'true' : null,
      onclick: () => open(wf.workflow_id),
    }, h('span', { class: 'wf-name', text: wf.name }),
    h('span', { class: 'wf-meta', text: wf.workflow_id + ' · v' + wf.latest_version }))));
  }
}

async function open(id) {
  await editor.open(id);
  // The operator may have kept an unpublished draft of another workflow instead.
  const shown = editor.workflowId;
  for (const b of byId('wf-list').querySelectorAll('button')) {
    if (b.dataset.workflowId === shown) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
}

async function signOut() {
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
