// One open workflow: its draft (a copy of the latest version), the canvas that draws it, the inspector, live
// validation through the admin API, and publishing.

import { byId, h, clone, debounce } from './dom.js';
import { admin } from './api.js';
import { Canvas } from './canvas.js';
import { inspector } from './inspector.js';
import { openPanel, closePanel, panelKind, returnFocusTo } from './panel.js';
import { showVersions } from './versions.js';
import { showRuns } from './runs.js';
import { showPreview } from './preview.js';
import { ADDABLE, newNode } from './connections.js';
import { TYPES } from './nodes.js';

const VALIDATE_AFTER_MS = 350;

export class Editor {
  constructor(host, onPublished) {
    this.host = host;
    this.onPublished = onPublished;
    this.workflowId = null;
    this.problems = { errors: [], warnings: [] };
    this.sequence = 0;
    this.validateSoon = debounce(() => this.validate(), VALIDATE_AFTER_MS);
    // Assigned, not added: a second sign-in makes a new editor, and the buttons must answer to it alone.
    byId('btn-publish').onclick = () => this.publish();
    byId('btn-versions').onclick = () => showVersions(this);
    byId('btn-runs').onclick = () => showRuns(this);
    byId('btn-preview').onclick = () => showPreview(this);
  }

  /** Opens the latest version of a workflow (or the given version) as the draft. */
  async open(id, version = 'latest') {
    // A modal question, but only when there is something to lose: the draft lives in this page alone.
    if (this.dirty && !window.confirm('Discard the unpublished changes to ' + this.workflowId + '?')) return;
    let v;
    try {
      v = await admin.version(id, version);
    } catch (err) {
      status(err.message, 'error');
      return;
    }
    closePanel();
    this.forgetValidations();
    this.workflowId = id;
    this.base = v;
    this.load(v.document);
    byId('wf-title').textContent = v.name + ' · v' + v.version;
    for (const b of ['btn-versions', 'btn-runs', 'btn-preview']) byId(b).disabled = false;
    // Publishing an unchanged version would only add a duplicate to the history; rolling back is the way to do that.
    byId('btn-publish').disabled = true;
    this.dirty = false;
    status('Showing v' + v.version);
    await this.validate();
  }

  /** Replaces the draft and redraws it; what was drawn before (a trace, a selection) is gone. */
  load(doc) {
    this.draft = clone(doc);
    delete this.draft.version;
    this.canvas = new Canvas(this.host, (nodeId) => this.inspect(nodeId));
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
    byId('btn-publish').disabled = false;
    if (node) this.canvas.refresh(node);
    byId('wf-title').textContent = this.base.name + ' · draft (from v' + this.base.version + ')';
    status('Checking…');
    this.validateSoon();
  }

  async validate() {
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
    this.show(report);
  }

  show(report) {
    this.problems = { errors: report.errors || [], warnings: report.warnings || [] };
    this.canvas.pin(this.byNode());
    if (this.inspector) this.inspector.showProblems(this.problemsOf(this.inspector.element.dataset.inspects));
    const e = this.problems.errors.length, w = this.problems.warnings.length;
    const whole = this.problems.errors.filter((p) => !p.node_id);
    const summary = e ? e + ' error' + (e === 1 ? '' : 's') + (w ? ', ' + w + ' warning' + (w === 1 ? '' : 's') : '')
      : w ? 'Valid, ' + w + ' warning' + (w === 1 ? '' : 's') : 'Valid';
    status(summary + (whole.length ? ': ' + whole[0].message : ''), e ? 'error' : 'ok');
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
