// Forms for the structured parts of nodes: model settings, output schemas, tools, knowledge bases, guardrail
// checks, MCP calls and state assignments. Each field's data-field is the path the validator names in its
// problems (such as "tools[1].url" or "model_settings.temperature"), so problems land under the field they are about.

import { h } from './dom.js';
import { call } from './api.js';
import { textField, checkField, listField, wrap } from './fields.js';

let serial = 0;

function setOrDelete(obj, key, value) {
  if (value === '' || value === undefined || value === null) delete obj[key];
  else obj[key] = value;
}

/** A select over fixed values; the first option may stand for "not set" (value ''). */
export function selectField(label, field, options, get, set, change) {
  const id = 'g' + ++serial;
  const select = h('select', { id }, ...options.map(([value, text]) => h('option', { value }, text)));
  select.value = get() ?? '';
  select.addEventListener('change', () => {
    set(select.value);
    change();
  });
  return wrap(field, h('label', { for: id, text: label }), select);
}

/** A number, or nothing; text that is not a number is not applied and says so. */
export function numberField(label, field, get, set, change, { min, max, step = 'any', placeholder } = {}) {
  const id = 'g' + ++serial;
  const input = h('input', { id, type: 'number', min, max, step, placeholder });
  input.value = get() ?? '';
  input.addEventListener('input', () => {
    if (input.value !== '' && !Number.isFinite(input.valueAsNumber)) return;
    set(input.value === '' ? undefined : input.valueAsNumber);
    change();
  });
  return wrap(field, h('label', { for: id, text: label }), input);
}

/** A JSON value (a schema, arguments, headers) edited as text; applied only when it parses to the expected kind. */
export function jsonValueField(label, field, get, set, change, { kind = 'object', rows = 6, placeholder } = {}) {
  const id = 'g' + ++serial;
  const value = get();
  const input = h('textarea', { id, rows, spellcheck: 'false', class: 'code', placeholder });
  input.value = value === undefined ? '' : JSON.stringify(value, null, 2);
  const note = h('p', { class: 'local-error', hidden: true });
  input.addEventListener('input', () => {
    let parsed;
    try {
      parsed = input.value.trim() === '' ? undefined : JSON.parse(input.value);
      const isKind = parsed === undefined || (kind === 'array' ? Array.isArray(parsed)
        : parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed));
      if (!isKind) throw new Error('it must be a JSON ' + kind);
    } catch (e) {
      note.textContent = 'Not applied: ' + e.message + '.';
      note.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    note.hidden = true;
    input.removeAttribute('aria-invalid');
    set(parsed);
    change();
  });
  return wrap(field, h('label', { for: id, text: label }), input, note);
}

/** A list of names edited as one comma-separated line. */
function namesField(label, field, get, set, change, placeholder) {
  return textField(label, field, () => (get() || []).join(', '),
    (v) => set(v.split(',').map((s) => s.trim()).filter(Boolean)), change, { placeholder });
}

export function modelSettings(node, shown, changed) {
  shown.add('model_settings');
  const s = () => node.model_settings || (node.model_settings = {});
  const done = () => {
    if (node.model_settings && !Object.keys(node.model_settings).length) delete node.model_settings;
    changed();
  };
  const num = (label, key, opts) => numberField(label, 'model_settings.' + key, () => node.model_settings?.[key],
    (v) => setOrDelete(s(), key, v), done, opts);
  return h('fieldset', { class: 'list', dataset: { field: 'model_settings' } }, h('legend', { text: 'Model settings' }),
    num('Temperature', 'temperature', { min: 0, max: 2, step: 0.1, placeholder: 'the model’s default' }),
    num('Top p', 'top_p', { min: 0, max: 1, step: 0.05, placeholder: 'the model’s default' }),
    num('Max output tokens', 'max_output_tokens', { min: 1, step: 1, placeholder: 'no limit' }),
    selectField('Reasoning effort', 'model_settings.reasoning_effort',
      [['', 'the model’s default'], ['minimal', 'minimal'], ['low', 'low'], ['medium', 'medium'], ['high', 'high']],
      () => node.model_settings?.reasoning_effort, (v) => setOrDelete(s(), 'reasoning_effort', v), done),
    h('div', { class: 'problems' }));
}

/** Text or JSON output; with JSON, the schema that types `output_parsed` for later nodes. */
export function outputFormat(node, shown, changed, rerender) {
  shown.add('output_format');
  shown.add('output_schema');
  const parts = [selectField('Output', 'output_format', [['text', 'text'], ['json_schema', 'JSON with a schema']],
    () => node.output_format || 'text', (v) => {
      if (v === 'text') {
        delete node.output_format;
        delete node.output_schema;
      } else {
        node.output_format = v;
        node.output_schema = node.output_schema || { type: 'object', properties: { answer: { type: 'string' } },
          required: ['answer'], additionalProperties: false };
      }
    }, () => { rerender(); changed(); })];
  if (node.output_format === 'json_schema') {
    parts.push(jsonValueField('Output schema (JSON Schema)', 'output_schema', () => node.output_schema,
      (v) => setOrDelete(node, 'output_schema', v), changed, { rows: 8 }));
  }
  return parts;
}

const TOOL_TYPES = [['function', 'Function (webhook or client)'], ['file_search', 'File search'], ['mcp', 'MCP server'],
  ['web_search', 'Web search']];

function newTool(type, n) {
  switch (type) {
    case 'function': return { type, name: 'tool_' + n, runs_on: 'webhook', url: 'https://',
      parameters: { type: 'object', properties: {}, additionalProperties: false } };
    case 'file_search': return { type, knowledge_bases: [] };
    case 'mcp': return { type, server_label: 'server_' + n, server_url: 'https://' };
    default: return { type };
  }
}

export function tools(node, shown, changed, rerender, knowledge) {
  shown.add('tools');
  // Not written into the node until a tool is added: opening an agent must not change its document.
  const list = Array.isArray(node.tools) ? node.tools : [];
  const done = () => {
    if (list.length) node.tools = list;
    else delete node.tools;
    changed();
  };
  return listField('Tools', 'tools', list, (t, i) => {
    const at = 'tools[' + i + ']';
    const text = (label, key, opts) => textField(label, at + '.' + key, () => t[key], (v) => setOrDelete(t, key, v), changed, opts);
    const kind = selectField('Type', at + '.type', TOOL_TYPES, () => t.type, (v) => { list[i] = newTool(v, i + 1); },
      () => { rerender(); changed(); });
    switch (t.type) {
      case 'function':
        return [kind, text('Name', 'name'), text('Description (for the model)', 'description', { multiline: true, rows: 2 }),
          selectField('Runs on', at + '.runs_on', [['webhook', 'your backend (webhook)'], ['client', 'the visitor’s browser']],
            () => t.runs_on || 'webhook', (v) => {
              t.runs_on = v;
              if (v === 'client') { delete t.url; delete t.timeout_ms; } else t.url = t.url || 'https://';
            }, () => { rerender(); changed(); }),
          ...(t.runs_on === 'client' ? [] : [text('URL', 'url'),
            numberField('Timeout (ms)', at + '.timeout_ms', () => t.timeout_ms, (v) => setOrDelete(t, 'timeout_ms', v), changed,
              { min: 1, max: 60000, step: 1, placeholder: '10000' })]),
          jsonValueField('Parameters (JSON Schema)', at + '.parameters', () => t.parameters, (v) => setOrDelete(t, 'parameters', v), changed)];
      case 'file_search':
        return [kind, knowledgeBases(t, at, knowledge, changed),
          text('OpenAI vector store id (instead)', 'vector_store_id', { placeholder: 'vs_…' }),
          numberField('Max results', at + '.max_results', () => t.max_results, (v) => setOrDelete(t, 'max_results', v), changed,
            { min: 1, max: 20, step: 1, placeholder: '5' })];
      case 'mcp':
        return [kind, text('Server label', 'server_label'), text('Server URL', 'server_url'),
          namesField('Allowed tools (comma-separated; empty for all)', at + '.allowed_tools', () => t.allowed_tools,
            (v) => setOrDelete(t, 'allowed_tools', v.length ? v : undefined), changed),
          approvalField(t, at, changed),
          jsonValueField('Headers ({"Name": {"env": "VARIABLE"}})', at + '.headers', () => t.headers,
            (v) => setOrDelete(t, 'headers', v), changed, { rows: 3 })];
      default:
        return [kind];
    }
  }, () => list.push(newTool('function', list.length + 1)), (i) => list.splice(i, 1), () => { done(); rerender(); }, 'tool');
}

/** `require_approval`: one word for every tool, or per tool as JSON. */
function approvalField(t, at, changed) {
  const perTool = t.require_approval && typeof t.require_approval === 'object';
  if (perTool) {
    return jsonValueField('Require approval (per tool)', at + '.require_approval', () => t.require_approval,
      (v) => setOrDelete(t, 'require_approval', v), changed, { rows: 3 });
  }
  return selectField('Require approval', at + '.require_approval',
    [['', 'always (the default)'], ['never', 'never'], ['always', 'always']],
    () => t.require_approval, (v) => setOrDelete(t, 'require_approval', v), changed);
}

/**
 * Checkboxes for the server's knowledge bases (listed once per inspector), keeping ids the server does not know
 * so the validator can name them; without the list, a comma-separated line.
 */
export function knowledgeBases(target, at, knowledge, changed) {
  const field = (at ? at + '.' : '') + 'knowledge_bases';
  const box = h('fieldset', { class: 'list kb', dataset: { field } }, h('legend', { text: 'Knowledge bases' }));
  const chosen = () => (Array.isArray(target.knowledge_bases) ? target.knowledge_bases : []);
  const draw = (ids) => {
    box.replaceChildren(h('legend', { text: 'Knowledge bases' }));
    if (!ids) {
      box.append(namesField('Ids (comma-separated)', field + '.ids', chosen, (v) => { target.knowledge_bases = v; }, changed));
    } else {
      for (const id of [...new Set([...ids, ...chosen()])]) {
        box.append(checkField(ids.includes(id) ? id : id + ' (not on this server)', field + '.' + id,
          () => chosen().includes(id), (on) => {
            const rest = chosen().filter((k) => k !== id);
            target.knowledge_bases = on ? [...rest, id] : rest;
          }, changed));
      }
      if (!ids.length) box.append(h('p', { class: 'muted', text: 'This server has no knowledge base.' }));
    }
    box.append(h('div', { class: 'problems' }));
  };
  draw(null);
  knowledge.then((ids) => { if (ids) draw(ids); });
  return box;
}

/** The ids of the server's knowledge bases, or null when they cannot be listed. */
export function listKnowledge() {
  return call('GET', '/admin/knowledge').then((r) => (r.data || []).map((k) => k.id), () => null);
}

const PII = ['email', 'phone', 'credit_card', 'iban', 'us_ssn'];

export function guardrailChecks(node, shown, changed, rerender) {
  shown.add('checks');
  if (!Array.isArray(node.checks)) node.checks = [];
  const list = node.checks;
  return listField('Checks (any that fails takes the fail branch)', 'checks', list, (c, i) => {
    const at = 'checks[' + i + ']';
    const parts = [selectField('Kind', at + '.kind', [['pii', 'personal data (PII)'], ['jailbreak', 'jailbreak attempt'],
      ['moderation', 'harmful content (moderation)']], () => c.kind, (v) => { list[i] = { kind: v }; },
      () => { rerender(); changed(); })];
    if (c.kind === 'pii') {
      const box = h('fieldset', { class: 'list', dataset: { field: at + '.entities' } },
        h('legend', { text: 'Entities (none ticked: all)' }));
      for (const e of PII) {
        box.append(checkField(e, at + '.entities.' + e, () => (c.entities || []).includes(e), (on) => {
          const rest = (c.entities || []).filter((k) => k !== e);
          const next = on ? [...rest, e] : rest;
          setOrDelete(c, 'entities', next.length ? next : undefined);
        }, changed));
      }
      box.append(h('div', { class: 'problems' }));
      parts.push(box);
    }
    return parts;
  }, () => list.push({ kind: 'pii' }), (i) => list.splice(i, 1), () => { rerender(); changed(); }, 'check');
}

export function assignments(node, shown, changed, rerender) {
  shown.add('assignments');
  if (!Array.isArray(node.assignments)) node.assignments = [];
  const list = node.assignments;
  return listField('Assignments', 'assignments', list, (a, i) => {
    const at = 'assignments[' + i + ']';
    return [textField('Variable', at + '.variable', () => a.variable, (v) => { a.variable = v; }, changed),
      textField('Expression (CEL)', at + '.expression', () => a.expression, (v) => { a.expression = v; }, changed)];
  }, () => list.push({ variable: '', expression: '' }), (i) => list.splice(i, 1), () => { rerender(); changed(); }, 'assignment');
}

/** An `mcp` node: which server and tool, its arguments as CEL by name, and header secrets by variable name. */
export function mcpCall(node, shown, changed) {
  const text = (label, key, opts) => {
    shown.add(key);
    return textField(label, key, () => node[key], (v) => setOrDelete(node, key, v), changed, opts);
  };
  shown.add('arguments');
  shown.add('headers');
  return [text('Server label', 'server_label'), text('Server URL', 'server_url'), text('Tool', 'tool'),
    jsonValueField('Arguments ({"name": "CEL expression"})', 'arguments', () => node.arguments,
      (v) => setOrDelete(node, 'arguments', v), changed, { rows: 4 }),
    jsonValueField('Headers ({"Name": {"env": "VARIABLE"}})', 'headers', () => node.headers,
      (v) => setOrDelete(node, 'headers', v), changed, { rows: 3 })];
}
