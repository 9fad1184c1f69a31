// The difference between two workflow documents, node by node: nodes added and removed, and for each node in
// both, the paths of the fields that changed ("categories[0].name"), in the validator's path style.

const MAX_PATHS = 30;

/** @returns {{ added: node[], removed: node[], changed: [{id, type, fields: [{path, before, after}]}], edges: {added, removed}, top: [] }} */
export function diffWorkflows(before, after) {
  const index = (doc) => new Map((doc.nodes || []).filter((n) => n && n.id).map((n) => [n.id, n]));
  const a = index(before), b = index(after);
  const added = [...b.values()].filter((n) => !a.has(n.id));
  const removed = [...a.values()].filter((n) => !b.has(n.id));
  const changed = [];
  for (const [id, nb] of b) {
    const na = a.get(id);
    if (!na) continue;
    const fields = [];
    paths(na, nb, '', fields);
    if (fields.length) changed.push({ id, type: nb.type, fields });
  }
  const key = (e) => e.from + ' → ' + e.to + (e.branch ? ' [' + e.branch + ']' : '');
  const ea = new Set((before.edges || []).map(key)), eb = new Set((after.edges || []).map(key));
  const top = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (k === 'nodes' || k === 'edges' || k === 'version') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) top.push(k);
  }
  return {
    added, removed, changed, top,
    edges: { added: [...eb].filter((k) => !ea.has(k)), removed: [...ea].filter((k) => !eb.has(k)) },
  };
}

function paths(x, y, at, out) {
  if (out.length >= MAX_PATHS) return;
  if (JSON.stringify(x) === JSON.stringify(y)) return;
  const bothObjects = x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y);
  if (!bothObjects) {
    out.push({ path: at || '(node)', before: x, after: y });
    return;
  }
  if (Array.isArray(x)) {
    for (let i = 0; i < Math.max(x.length, y.length); i++) paths(x[i], y[i], at + '[' + i + ']', out);
    return;
  }
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) paths(x[k], y[k], at ? at + '.' + k : k, out);
}

export function isEmpty(d) {
  return !d.added.length && !d.removed.length && !d.changed.length && !d.top.length
    && !d.edges.added.length && !d.edges.removed.length;
}
