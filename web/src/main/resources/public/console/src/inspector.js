// The node inspector: a form per node type for each of its fields, and anything else in the node as JSON.
// Edits change the draft in place and tell the editor, which redraws the node's text and validates.

import { h } from './dom.js';
import { typeOf } from './nodes.js';
import { textField, checkField, jsonField, listField, pinProblems, wrap } from './fields.js';
import { connections } from './connections.js';
import { modelSettings, outputFormat, tools, knowledgeBases, listKnowledge, guardrailChecks, assignments, mcpCall,
  jsonValueField, numberField } from './forms.js';

const VAR = /^__VAR__(.*)__ENDVAR__$/;

/**
 * @param node the draft's node object, edited in place
 * @param changed called after every edit
 * @param graph the editor, for the edits that change the graph's shape: connections, deleting the node
 * @returns {{ element, showProblems(problems) }}
 */
export function inspector(node, changed, graph) {
  const root = h('form', { class: 'inspector', dataset: { inspects: node.id } });
  root.addEventListener('submit', (e) => e.preventDefault());
  const general = h('div', { class: 'problems general' });
  let problems = [];
  let json = null;
  let knowledge = null;
  // The server's knowledge bases, asked for once per inspector and only by the nodes that pick them.
  const kbs = () => knowledge || (knowledge = listKnowledge());
  const edited = () => {
    if (json) json.refresh();
    changed();
  };
  const render = () => {
    const shown = new Set(['id', 'type', 'label']);
    const sections = forType(node, shown, edited, render, kbs);
    json = jsonField('Other fields (JSON)', node, shown, changed);
    const wiring = graph && node.type !== 'note' && node.type !== 'end' ? connections(node, graph) : null;
    root.replaceChildren(
      h('p', { class: 'node-kind' }, h('span', { class: 'glyph', 'aria-hidden': 'true', text: typeOf(node).glyph }),
        ' ' + typeOf(node).name + ' ', h('code', { text: node.id })),
      general,
      textField('Label', 'label', () => node.label, (v) => set(node, 'label', v), edited),
      ...sections,
      ...(wiring ? [wiring] : []),
      json,
      graph ? h('button', { type: 'button', class: 'danger delete-node', onclick: () => graph.deleteNode(node.id) },
        'Delete node ' + node.id) : h('span'));
    pinProblems(root, problems, general);
  };
  render();
  return {
    element: root,
    showProblems(list) {
      problems = list;
      pinProblems(root, problems, general);
    },
  };
}

function set(obj, key, value) {
  if (value === '' || value === undefined) delete obj[key];
  else obj[key] = value;
}

function forType(node, shown, changed, rerender, kbs) {
  const text = (label, key, opts) => {
    shown.add(key);
    return textField(label, key, () => node[key], (v) => set(node, key, v), changed, opts);
  };
  const json = (label, key, opts) => {
    shown.add(key);
    return jsonValueField(label, key, () => node[key], (v) => set(node, key, v), changed, opts);
  };
  const number = (label, key, opts) => {
    shown.add(key);
    return numberField(label, key, () => node[key], (v) => set(node, key, v), changed, opts);
  };
  switch (node.type) {
    case 'agent':
      return [text('Model', 'model', { placeholder: 'the server’s default model' }),
        modelSettings(node, shown, changed),
        text('Instructions', 'instructions', { multiline: true, rows: 7 }),
        text('User prompt', 'user_prompt', { multiline: true, rows: 2, placeholder: 'the user’s message' }),
        historyField(node, shown, changed),
        ...outputFormat(node, shown, changed, rerender),
        tools(node, shown, changed, rerender, kbs())];
    case 'classifier':
      return [text('Model', 'model', { placeholder: 'the server’s default model' }),
        modelSettings(node, shown, changed),
        text('Instructions', 'instructions', { multiline: true, rows: 4 }),
        text('Input', 'input', { placeholder: '{{ workflow.input_as_text }}' }),
        historyField(node, shown, changed),
        categories(node, shown, changed, rerender)];
    case 'if_else':
      return [conditions(node, shown, changed, rerender)];
    case 'end':
      return [endValues(node, shown, changed), json('Result schema (JSON Schema of an object)', 'schema', { rows: 8 })];
    case 'note':
      return [text('Text', 'text', { multiline: true, rows: 5 })];
    case 'transform':
      return [text('Expression (CEL)', 'expression', { multiline: true, rows: 3 }),
        json('Output schema (JSON Schema; empty: untyped)', 'output_schema', { rows: 6 })];
    case 'set_state':
      return [assignments(node, shown, changed, rerender)];
    case 'while':
      return [text('Condition (CEL)', 'condition'),
        number('Max iterations', 'max_iterations', { min: 1, step: 1 })];
    case 'user_approval':
      return [text('Message', 'message', { multiline: true, rows: 3 })];
    case 'guardrails':
      return [text('Input', 'input', { placeholder: 'the user’s message' }), guardrailChecks(node, shown, changed, rerender)];
    case 'file_search':
      shown.add('knowledge_bases');
      return [knowledgeBases(node, '', kbs(), changed),
        text('Query', 'query', { placeholder: '{{ workflow.input_as_text }}' }),
        number('Max results', 'max_results', { min: 1, max: 20, step: 1, placeholder: '5' })];
    case 'mcp':
      return mcpCall(node, shown, changed);
    default:
      return [];
  }
}

function historyField(node, shown, changed) {
  shown.add('include_chat_history');
  return checkField('Include the chat history', 'include_chat_history', () => node.include_chat_history,
    (v) => { node.include_chat_history = v; }, changed);
}

function categories(node, shown, changed, rerender) {
  shown.add('categories');
  if (!Array.isArray(node.categories)) node.categories = [];
  const list = node.categories;
  return listField('Categories', 'categories', list, (c, i) => {
    const at = 'categories[' + i + ']';
    return [
      textField('Name', at + '.name', () => c.name, (v) => { c.name = v; }, changed),
      textField('Description', at + '.description', () => c.description, (v) => set(c, 'description', v), changed,
        { multiline: true, rows: 2 }),
      textField('Examples (one a line)', at + '.examples', () => (c.examples || []).join('\n'),
        (v) => { c.examples = v.split('\n').map((s) => s.trim()).filter(Boolean); }, changed, { multiline: true, rows: 3 }),
    ];
  }, () => list.push({ name: 'category_' + (list.length + 1), description: '', examples: [] }),
  (i) => list.splice(i, 1), () => { rerender(); changed(); }, 'category');
}

function conditions(node, shown, changed, rerender) {
  shown.add('conditions');
  if (!Array.isArray(node.conditions)) node.conditions = [];
  const list = node.conditions;
  return listField('Conditions (the first that is true wins; otherwise else)', 'conditions', list, (c, i) => {
    const at = 'conditions[' + i + ']';
    return [
      textField('Branch id', at + '.id', () => c.id, (v) => { c.id = v; }, changed),
      textField('Expression (CEL)', at + '.expression', () => c.expression, (v) => { c.expression = v; }, changed,
        { multiline: true, rows: 2 }),
    ];
  }, () => list.push({ id: 'branch_' + (list.length + 1), expression: 'true' }),
  (i) => list.splice(i, 1), () => { rerender(); changed(); }, 'condition');
}

/**
 * One row per property of the End's schema. A value lives in `values` (CEL) or, as Agent Builder writes it, in
 * the property's `default` as __VAR__path__ENDVAR__; an edit keeps it where it was.
 */
function endValues(node, shown, changed) {
  shown.add('values');
  const props = (node.schema && node.schema.properties) || {};
  const names = [...new Set([...Object.keys(props), ...Object.keys(node.values || {})])];
  const box = h('fieldset', { class: 'list', dataset: { field: 'values' } }, h('legend', { text: 'Values (CEL)' }));
  if (!names.length) box.append(h('p', { class: 'muted', text: 'The schema has no properties; add them under Other fields.' }));
  for (const name of names) {
    const prop = props[name] || {};
    const viaDefault = !(node.values && name in node.values) && typeof prop.default === 'string' && VAR.test(prop.default);
    box.append(textField(name, 'values.' + name,
      () => (node.values && name in node.values ? node.values[name] : viaDefault ? prop.default.match(VAR)[1] : ''),
      (v) => {
        if (viaDefault) prop.default = '__VAR__' + v + '__ENDVAR__';
        else {
          node.values = node.values || {};
          node.values[name] = v;
        }
      }, changed));
  }
  box.append(h('div', { class: 'problems' }));
  return box;
}

export { wrap };
