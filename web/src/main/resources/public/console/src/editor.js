// One open workflow: its draft (the draft saved on the server, else a copy of the latest version), the canvas that
// draws it, the inspector, live validation through the admin API, saving the draft as it is edited, publishing.

import { byId, h, clone, debounce } from './dom.js';
import { admin } from './api.js';
import { Canvas } from './canvas.js';
import { inspector } from './inspector.js';
import { openPanel, closePanel, panelKind, returnFocusTo } from './panel.js';
import { showVersions } from './versions.js';
import { showRuns } from './runs.js';
import { showPreview } from './preview.js';
import { ADDABLE, newNode } from './connections.js';
import { nextBranch } from './dragconnect.js';
import { TYPES } from './nodes.js';

const VALIDATE_AFTER_MS = 350;
const SAVE_AFTER_MS = 800;

export class Editor {
  #savedDraft;

  constructor(host, onPublished) {
    this.host = host;
    this.onPublished = onPublished;
    this.workflowId = null;
    this.problems = { errors: [], warnings: [] };
    this.sequence = 0;
    this.validateSoon = debounce(() => this.validate(), VALIDATE_AFTER_MS);
    this.saveSoon = debounce(() => this.saveDraft(), SAVE_AFTER_MS);
    this.unsaved = false;
    this.#savedDraft = false;
    this.inflight = null;
    // Assigned, not added: a second sign-in makes a new editor, and the buttons must answer to it alone.
    byId('btn-publish').onclick = () => this.publish();
    byId('btn-versions').onclick = () => showVersions(this);
    byId('btn-runs').onclick = () => showRuns(this);
    byId('btn-preview').onclick = () => showPreview(this);
    byId('btn-discard').onclick = () => this.discard();
  }

  /**
   * Opens a workflow: its saved draft if it has one (unless a given version is asked for), else the latest version
   * (or the given one) as a fresh draft. Switching loses nothing: an edit still waiting to be saved is saved first.
   */
  async open(id, version = 'latest') {
    await this.saveNow();
    let v = null;
    let saved = null;
    try {
      // Asked through the list: "no draft" is the usual answer, not an error for the browser to log.
      const [published, drafts] = await Promise.all([
        admin.version(id, version).catch((err) => (err.status === 404 ? null : Promise.reject(err))),
        version === 'latest' ? admin.drafts() : { data: [] }]);
      v = published;
      const draft = drafts.data.some((d) => d.workflow_id === id) ? await admin.draft(id) : null;
      saved = draft && draft.status === 200 ? draft.body : null;
    } catch (err) {
      status(err.message, 'error');
      return;
    }
    if (!v && !saved) {
      status('No workflow ' + id + ' is published or drafted', 'error');
      return;
    }
    closePanel();
    this.forgetValidations();
    this.workflowId = id;
    this.base = v || { name: saved.document.name || id, version: 0, document: saved.document };
    this.load(saved ? saved.document : v.document);
    for (const b of ['btn-versions', 'btn-runs']) byId(b).disabled = !v;
    byId('btn-preview').disabled = false;
    if (saved) {
      this.dirty = true;
      byId('btn-publish').disabled = false;
      this.title('saved');
      const newer = v && saved.base_version && v.version > saved.base_version;
      status('Opened the draft saved ' + new Date(saved.saved_at).toLocaleString() + (newer ? '; v' + v.version
        + ' was published after it started from v' + saved.base_version : ''), newer ? 'error' : '');
    } else {
      // Publishing an unchanged version would only add a duplicate to the history; rolling back is the way to do that.
      byId('btn-publish').disabled = true;
      this.dirty = false;
      byId('wf-title').textContent = v.name + ' · v' + v.version;
      status('Showing v' + v.version);
    }
    this.hasSavedDraft = Boolean(saved);
    await this.validate(!!saved);
  }

  /** Whether the server keeps a draft of the open workflow; the Discard button follows it. */
  get hasSavedDraft() {
    return this.#savedDraft;
  }

  set hasSavedDraft(saved) {
    this.#savedDraft = saved;
    byId('btn-discard').disabled = !saved;
  }

  /** The top bar's title for a draft: what it started from, and whether the server has it yet. */
  title(saving) {
    const from = this.base.version ? 'draft (from v' + this.base.version + ')' : 'draft, not published';
    const state = { saved: 'saved', pending: 'not saved yet', failed: 'NOT SAVED' }[saving];
    const el = byId('wf-title');
    el.textContent = this.base.name + ' · ' + from + ' · ' + state;
    el.dataset.draft = saving;
  }

  /** Saves the draft on the server now if an edit is waiting; never throws (a failure shows in the title). */
  async saveNow() {
    if (!this.unsaved) return;
    this.saveSoon.cancel();
    await this.saveDraft();
  }

  async saveDraft() {
    if (!this.unsaved || !this.workflowId) return;
    this.unsaved = false;
    const id = this.workflowId;
    try {
      this.inflight = admin.saveDraft(id, this.draft, this.base.version || 0);
      await this.inflight;
      // The workflows list marks drafted workflows; a first save adds the mark.
      const first = !this.hasSavedDraft;
      if (id === this.workflowId) this.hasSavedDraft = true;
      if (id === this.workflowId && !this.unsaved) this.title('saved');
      if (first) await this.onPublished();
    } catch (err) {
      this.unsaved = true;
      if (id === this.workflowId) this.title('failed');
      status('The draft could not be saved: ' + err.message, 'error');
    } finally {
      this.inflight = null;
    }
  }

  /** Forgets the draft saved on the server, once what it held is published; quiet when there is none. */
  async dropSavedDraft() {
    this.saveSoon.cancel();
    this.unsaved = false;
    if (this.inflight) await this.inflight.catch(() => {});
    if (!this.hasSavedDraft) return;
    this.hasSavedDraft = false;
    await admin.deleteDraft(this.workflowId).catch(() => {});
  }

  /** Throws the saved draft away and shows the latest version again. */
  async discard() {
    if (!this.workflowId) return;
    if (!window.confirm('Discard the draft of ' + this.workflowId + ' and go back to the published version?')) return;
    this.saveSoon.cancel();
    this.unsaved = false;
    if (this.inflight) await this.inflight.catch(() => {});
    this.hasSavedDraft = false;
    try {
      await admin.deleteDraft(this.workflowId);
    } catch (err) {
      status(err.message, 'error');
      return;
    }
    await this.open(this.workflowId);
    await this.onPublished();
  }

  /** Replaces the draft and redraws it; what was drawn before (a trace, a selection) is gone. */
  load(doc) {
    this.draft = clone(doc);
    delete this.draft.version;
    this.canvas = new Canvas(this.host, (nodeId) => this.inspect(nodeId), (from, to) => this.connect(from, to));
    this.canvas.draw(this.draft);
    this.canvas.fit();
    this.canvas.pin(this.byNode());
    this.host.append(this.adder());
  }

  /** The "add a node" control over the canvas: a type and a button, so it works by keyboard too. */
  adder() {
    const type = h('select', { id: 'add-type', 'aria-label': 'Type of node to add' },
      ...ADDABLE.map((t) => h('option', { value: t }, TYPES[t].name)));
    return h('div', { class: 'add-node' }, type, h('button', { type: 'button', id: 'add-node', onclick: () => {
      const node = newNode(type.value, this.draft);
      if (!Array.isArray(this.draft.nodes)) this.draft.nodes = [];
      this.draft.nodes.push(node);
      this.changedStructure();
      this.inspect(node.id);
    } }, 'Add node'));
  }

  /** Nodes or edges were added, removed or re-pointed: a new layout, keeping the zoom and position. */
  changedStructure() {
    this.canvas.draw(this.draft);
    this.canvas.pin(this.byNode());
    const open = this.inspector && this.inspector.element.dataset.inspects;
    if (open) {
      this.canvas.select(open);
      returnFocusTo(this.canvas.element(open));
    }
    this.edited(null);
  }

  /** Adds an edge dragged on the canvas, on the next free branch of a node with several outputs. */
  connect(from, to) {
    const node = this.node(from);
    if (!node) return;
    if (!Array.isArray(this.draft.edges)) this.draft.edges = [];
    const branch = nextBranch(node, this.draft.edges);
    if (this.draft.edges.some((e) => e.from === from && e.to === to && e.branch === branch)) {
      status(from + ' is already connected to ' + to);
      return;
    }
    this.draft.edges.push(branch === undefined ? { from, to } : { from, to, branch });
    this.changedStructure();
    if (this.inspector && this.inspector.element.dataset.inspects === from) this.inspect(from);
    status('Connected ' + from + (branch ? ' (' + branch + ')' : '') + ' → ' + to + '; checking…');
  }

  deleteNode(nodeId) {
    this.draft.nodes = (this.draft.nodes || []).filter((n) => n.id !== nodeId);
    this.draft.edges = (this.draft.edges || []).filter((e) => e.from !== nodeId && e.to !== nodeId);
    closePanel();
    this.changedStructure();
    this.canvas.viewport.focus();
    status('Deleted ' + nodeId + '; checking…');
  }

  node(nodeId) {
    return (this.draft.nodes || []).find((n) => n && n.id === nodeId);
  }

  inspect(nodeId) {
    const node = this.node(nodeId);
    if (!node) return;
    this.canvas.select(nodeId);
    this.inspector = inspector(node, () => this.edited(node), this);
    openPanel('inspector', node.label || node.id, this.inspector.element, () => {
      this.inspector = null;
      this.canvas.select(null);
    });
    returnFocusTo(this.canvas.element(nodeId));
    this.canvas.reveal(nodeId);
    this.inspector.showProblems(this.problemsOf(nodeId));
    const first = this.inspector.element.querySelector('input, textarea');
    if (first) first.focus();
  }

  /** Drops a validation still to come or under way: its answer would be about a draft that is gone. */
  forgetValidations() {
    this.validateSoon.cancel();
    this.sequence++;
  }

  edited(node) {
    // An answer already on its way is about the draft before this edit.
    this.sequence++;
    this.dirty = true;
    this.unsaved = true;
    byId('btn-publish').disabled = false;
    if (node) this.canvas.refresh(node);
    this.title('pending');
    status('Checking…');
    this.validateSoon();
    this.saveSoon();
  }

  /** @param quiet keep the status line (it says which draft was opened) unless there is something to fix */
  async validate(quiet = false) {
    const mine = ++this.sequence;
    let report;
    try {
      report = await admin.validate(this.draft);
    } catch (err) {
      if (mine === this.sequence) status(err.message, 'error');
      return;
    }
    // An answer to an older draft must not overwrite the answer to a newer one.
    if (mine !== this.sequence) return;
    this.show(report, quiet);
  }

  show(report, quiet = false) {
    this.problems = { errors: report.errors || [], warnings: report.warnings || [] };
    this.canvas.pin(this.byNode());
    if (this.inspector) this.inspector.showProblems(this.problemsOf(this.inspector.element.dataset.inspects));
    const e = this.problems.errors.length, w = this.problems.warnings.length;
    const whole = this.problems.errors.filter((p) => !p.node_id);
    const summary = e ? e + ' error' + (e === 1 ? '' : 's') + (w ? ', ' + w + ' warning' + (w === 1 ? '' : 's') : '')
      : w ? 'Valid, ' + w + ' warning' + (w === 1 ? '' : 's') : 'Valid';
    if (!quiet || e) status(summary + (whole.length ? ': ' + whole[0].message : ''), e ? 'error' : 'ok');
    this.host.dataset.errors = String(e);
  }

  byNode() {
    const map = new Map();
    const add = (p, kind) => {
      if (!p.node_id) return;
      if (!map.has(p.node_id)) map.set(p.node_id, { errors: [], warnings: [] });
      map.get(p.node_id)[kind].push(p);
    };
    this.problems.errors.forEach((p) => add(p, 'errors'));
    this.problems.warnings.forEach((p) => add(p, 'warnings'));
    return map;
  }

  problemsOf(nodeId) {
    return [...this.problems.errors.filter((p) => p.node_id === nodeId).map((p) => ({ ...p, severity: 'error' })),
      ...this.problems.warnings.filter((p) => p.node_id === nodeId).map((p) => ({ ...p, severity: 'warning' }))];
  }

  /** Publishes the draft as the newest version; a refusal pins its errors like a validation does. */
  async publish(doc = this.draft, what = 'the draft') {
    this.forgetValidations();
    status('Publishing ' + what + '…');
    let res;
    try {
      res = await admin.publish(doc);
    } catch (err) {
      status(err.message, 'error');
      return null;
    }
    if (res.status === 422) {
      this.show({ errors: res.body.error.errors, warnings: res.body.error.warnings });
      status('Not published: ' + res.body.error.message, 'error');
      return null;
    }
    const version = res.body.version;
    const kind = panelKind();
    this.dirty = false;
    // What was drafted is now a version; a draft kept would reopen as unpublished work.
    await this.dropSavedDraft();
    await this.open(this.workflowId, version);
    status('Published v' + version, 'ok');
    await this.onPublished();
    if (kind === 'versions') await showVersions(this);
    return version;
  }
}

export function status(text, kind = '') {
  const el = byId('status');
  el.textContent = text;
  el.dataset.kind = kind;
}

export { h };
