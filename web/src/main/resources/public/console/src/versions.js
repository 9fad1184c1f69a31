// The versions panel: every published version, a diff of any two, opening one, and rolling back (publishing an
// old version's document again, so it becomes the newest and history is never rewritten).

import { h, clone } from './dom.js';
import { admin } from './api.js';
import { openPanel } from './panel.js';
import { diffWorkflows, isEmpty } from './diff.js';
import { status } from './editor.js';

export async function showVersions(editor) {
  let res;
  try {
    res = await admin.versions(editor.workflowId);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  const versions = [...res.data].sort((a, b) => b.version - a.version);
  const options = (selected) => versions.map((v) => h('option', { value: v.version, selected: v.version === selected },
    'v' + v.version + ' · ' + new Date(v.published_at).toLocaleDateString()));
  const from = h('select', { id: 'diff-from', 'aria-label': 'Older version' },
    ...options(versions.length > 1 ? versions[1].version : versions[0].version));
  const to = h('select', { id: 'diff-to', 'aria-label': 'Newer version' }, ...options(versions[0].version));
  const result = h('div', { class: 'diff', 'aria-live': 'polite' });
  const list = h('ol', { class: 'versions' }, ...versions.map((v) => h('li', { dataset: { version: v.version } },
    h('span', { class: 'v-name', text: 'v' + v.version }),
    h('span', { class: 'muted', text: new Date(v.published_at).toLocaleString() }),
    h('span', { class: 'v-actions' },
      h('button', { type: 'button', class: 'small', onclick: () => editor.open(editor.workflowId, v.version) }, 'Open'),
      v.version === versions[0].version ? null
        : h('button', { type: 'button', class: 'small', onclick: () => rollBack(editor, v.version) },
          'Roll back to v' + v.version)))));
  const body = h('div', { class: 'versions-panel' }, list,
    h('h3', { text: 'Compare' }),
    h('div', { class: 'diff-pick' }, from, h('span', { text: '→' }), to,
      h('button', { type: 'button', id: 'diff-run', onclick: () => compare(editor, +from.value, +to.value, result) }, 'Diff')),
    result);
  openPanel('versions', 'Versions of ' + editor.workflowId, body);
  list.querySelector('button')?.focus();
}

async function rollBack(editor, version) {
  const old = await admin.version(editor.workflowId, version);
  const doc = clone(old.document);
  delete doc.version;
  await editor.publish(doc, 'v' + version + ' again');
}

async function compare(editor, a, b, out) {
  out.replaceChildren(h('p', { class: 'muted', text: 'Comparing…' }));
  let va, vb;
  try {
    [va, vb] = await Promise.all([admin.version(editor.workflowId, a), admin.version(editor.workflowId, b)]);
  } catch (err) {
    out.replaceChildren(h('p', { class: 'error', text: err.message }));
    return;
  }
  const d = diffWorkflows(va.document, vb.document);
  out.replaceChildren(h('h4', { text: 'v' + a + ' → v' + b }));
  if (isEmpty(d)) {
    out.append(h('p', { class: 'muted', text: 'The two versions are the same.' }));
    return;
  }
  const section = (title, items) => (items.length ? [h('h5', { text: title }), h('ul', {}, ...items)] : []);
  out.append(
    ...section('Workflow fields changed', d.top.map((k) => h('li', {}, h('code', { text: k })))),
    ...section('Nodes added', d.added.map((n) => h('li', { dataset: { diffNode: n.id } }, h('code', { text: n.id }), ' (' + n.type + ')'))),
    ...section('Nodes removed', d.removed.map((n) => h('li', { dataset: { diffNode: n.id } }, h('code', { text: n.id }), ' (' + n.type + ')'))),
    ...section('Nodes changed', d.changed.map((c) => h('li', { class: 'changed-node', dataset: { diffNode: c.id } },
      h('code', { text: c.id }), ' (' + c.type + ')',
      h('ul', { class: 'fields' }, ...c.fields.map((f) => h('li', { class: 'changed-field', dataset: { field: f.path } },
        h('code', { text: f.path }), ': ', h('span', { class: 'before', text: show(f.before, f.after) }), ' → ',
        h('span', { class: 'after', text: show(f.after, f.before) }))))))),
    ...section('Edges added', d.edges.added.map((k) => h('li', { text: k }))),
    ...section('Edges removed', d.edges.removed.map((k) => h('li', { text: k }))));
}

/** A value as JSON; of two long texts, the part from a little before where they differ, so the change shows. */
function show(value, other) {
  if (value === undefined) return '(none)';
  let text = JSON.stringify(value);
  if (typeof value === 'string' && typeof other === 'string') {
    const o = JSON.stringify(other);
    let same = 0;
    while (same < text.length && text[same] === o[same]) same++;
    if (same > 40) text = '…' + text.slice(same - 30);
  }
  return text.length > 120 ? text.slice(0, 117) + '…' : text;
}
