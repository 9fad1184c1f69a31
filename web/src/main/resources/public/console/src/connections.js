// The inspector's "Connections" section (a node's outgoing edges, each a branch name and a target) and the
// defaults of a newly added node. Connecting by form rather than by dragging keeps it usable by keyboard.

import { h } from './dom.js';

let serial = 0;

/**
 * @param graph { draft, changedStructure() } — the editor: edges live in draft.edges, and every change here
 *     alters the graph's shape, so the canvas is laid out again
 */
export function connections(node, graph) {
  const box = h('fieldset', { class: 'list connections', dataset: { field: 'edges' } },
    h('legend', { text: 'Connections (outgoing edges)' }));
  const render = () => {
    const edges = (graph.draft.edges || []).filter((e) => e.from === node.id);
    const targets = (graph.draft.nodes || []).map((n) => n.id).filter((id) => id !== node.id);
    box.replaceChildren(box.firstChild);
    edges.forEach((edge, i) => {
      const branchId = 'c' + ++serial, targetId = 'c' + ++serial;
      const branch = h('input', { id: branchId, type: 'text', placeholder: 'none (single output)', spellcheck: 'false' });
      branch.value = edge.branch || '';
      branch.addEventListener('change', () => {
        if (branch.value.trim()) edge.branch = branch.value.trim();
        else delete edge.branch;
        graph.changedStructure();
      });
      const target = h('select', { id: targetId }, ...targets.map((id) => h('option', { value: id, selected: id === edge.to }, id)));
      target.addEventListener('change', () => {
        edge.to = target.value;
        graph.changedStructure();
      });
      box.append(h('div', { class: 'list-item connection', dataset: { edgeTo: edge.to } },
        h('label', { for: branchId, text: 'Branch' }), branch,
        h('label', { for: targetId, text: 'To' }), target,
        h('button', { type: 'button', class: 'small', onclick: () => {
          graph.draft.edges.splice(graph.draft.edges.indexOf(edge), 1);
          graph.changedStructure();
          render();
        } }, 'Remove connection ' + (i + 1))));
    });
    if (!targets.length) return;
    box.append(h('button', { type: 'button', class: 'small add-connection', onclick: () => {
      if (!Array.isArray(graph.draft.edges)) graph.draft.edges = [];
      graph.draft.edges.push({ from: node.id, to: targets[0] });
      graph.changedStructure();
      render();
      box.querySelector('.connection:last-of-type select')?.focus();
    } }, 'Add connection'), h('div', { class: 'problems' }));
  };
  render();
  return box;
}

const DEFAULTS = {
  agent: () => ({ instructions: '' }),
  classifier: () => ({ instructions: '', categories: [{ name: 'category_1', description: '', examples: [] }] }),
  if_else: () => ({ conditions: [{ id: 'branch_1', expression: 'true' }] }),
  end: () => ({ schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
    values: { message: '""' } }),
  transform: () => ({ expression: 'input' }),
  set_state: () => ({ assignments: [] }),
  while: () => ({ condition: 'false', max_iterations: 3 }),
  user_approval: () => ({ message: '' }),
  guardrails: () => ({ checks: [] }),
  file_search: () => ({ knowledge_bases: [] }),
  mcp: () => ({ server_label: '', server_url: '', tool: '' }),
  note: () => ({ text: '' }),
};

export const ADDABLE = Object.keys(DEFAULTS);

/** {@return a new node of the type with an id no node of the draft has} */
export function newNode(type, draft) {
  const taken = new Set((draft.nodes || []).map((n) => n.id));
  let n = 1;
  while (taken.has(type + '_' + n)) n++;
  return { id: type + '_' + n, type, ...DEFAULTS[type]() };
}
