// What the console knows about each node type: a glyph, a name, the line of detail shown under the label, and
// the branch handles it may have. Types it does not know are drawn and edited generically.

export const TYPES = {
  start: { glyph: '▶', name: 'Start' },
  agent: { glyph: '✦', name: 'Agent', detail: (n) => n.model || 'default model' },
  classifier: { glyph: '≡', name: 'Classifier', detail: (n) => count(n.categories, 'category', 'categories') },
  if_else: { glyph: '◇', name: 'If / else', detail: (n) => count(n.conditions, 'condition', 'conditions') },
  end: { glyph: '■', name: 'End' },
  transform: { glyph: 'ƒ', name: 'Transform' },
  set_state: { glyph: '≔', name: 'Set state' },
  while: { glyph: '↻', name: 'While', detail: (n) => (n.max_iterations ? 'at most ' + n.max_iterations + '×' : '') },
  user_approval: { glyph: '✋', name: 'Approval' },
  guardrails: { glyph: '⛨', name: 'Guardrails' },
  file_search: { glyph: '⌕', name: 'File search', detail: (n) => (n.knowledge_bases || []).join(', ') },
  mcp: { glyph: '⚙', name: 'MCP tool', detail: (n) => [n.server_label, n.tool].filter(Boolean).join(' · ') },
  note: { glyph: '✎', name: 'Note', detail: (n) => (n.text || '').slice(0, 60) },
};

function count(list, one, many) {
  const n = Array.isArray(list) ? list.length : 0;
  return n + ' ' + (n === 1 ? one : many);
}

export function typeOf(node) {
  return TYPES[node.type] || { glyph: '?', name: node.type || 'node' };
}

export function title(node) {
  return node.label || node.id;
}

export function detail(node) {
  const t = typeOf(node);
  const extra = t.detail ? t.detail(node) : '';
  return extra ? t.name + ' · ' + extra : t.name;
}
