// Form fields of the inspector. Each field's wrapper carries data-field with the path the validator uses in
// its problems (such as "conditions[0].expression"), which is how a problem finds its field.

import { h } from './dom.js';

let serial = 0;

/** A labelled text input or textarea bound to get/set; change() runs after every keystroke. */
export function textField(label, field, get, set, change, { multiline = false, rows = 4, placeholder } = {}) {
  const id = 'f' + ++serial;
  const input = multiline
    ? h('textarea', { id, rows, placeholder, spellcheck: 'false' })
    : h('input', { id, type: 'text', placeholder, spellcheck: 'false', autocomplete: 'off' });
  input.value = get() ?? '';
  input.addEventListener('input', () => {
    set(input.value);
    change();
  });
  return wrap(field, h('label', { for: id, text: label }), input);
}

/** A checkbox for a boolean field. */
export function checkField(label, field, get, set, change) {
  const id = 'f' + ++serial;
  const input = h('input', { id, type: 'checkbox' });
  input.checked = !!get();
  input.addEventListener('change', () => {
    set(input.checked);
    change();
  });
  return wrap(field, h('label', { for: id, class: 'check' }, input, ' ' + label));
}

/**
 * The fields the inspector has no form for, as JSON. The node changes only when the text parses; until
 * then the field says why it does not.
 */
export function jsonField(label, node, shown, change) {
  const id = 'f' + ++serial;
  const text = () => {
    const rest = {};
    for (const [k, v] of Object.entries(node)) if (!shown.has(k)) rest[k] = v;
    return JSON.stringify(rest, null, 2);
  };
  const input = h('textarea', { id, rows: Math.min(16, Math.max(4, text().split('\n').length)), spellcheck: 'false',
    class: 'code' });
  input.value = text();
  const note = h('p', { class: 'local-error', hidden: true });
  input.addEventListener('input', () => {
    let parsed;
    try {
      parsed = JSON.parse(input.value || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it must be an object');
    } catch (e) {
      note.textContent = 'Not applied: the text is not a JSON object (' + e.message + ').';
      note.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    note.hidden = true;
    input.removeAttribute('aria-invalid');
    for (const k of Object.keys(node)) if (!shown.has(k) && !(k in parsed)) delete node[k];
    for (const [k, v] of Object.entries(parsed)) if (!shown.has(k)) node[k] = v;
    change();
  });
  const field = wrap('*', h('label', { for: id, text: label }), input, note);
  // Another field can change what this one shows (an End value kept in its schema's default, say); without this,
  // the next edit here would write back the text as it was before.
  field.refresh = () => {
    if (document.activeElement !== input && note.hidden) input.value = text();
  };
  return field;
}

export function wrap(field, ...children) {
  return h('div', { class: 'field', dataset: { field } }, ...children, h('div', { class: 'problems' }));
}

/** A repeated group (categories, conditions) with remove buttons and an add button. */
export function listField(legend, field, items, renderItem, add, remove, rerender, itemName) {
  const box = h('fieldset', { class: 'list', dataset: { field } }, h('legend', { text: legend }));
  items.forEach((item, i) => {
    const group = h('div', { class: 'list-item', dataset: { field: field + '[' + i + ']' } },
      ...renderItem(item, i),
      h('div', { class: 'problems' }),
      h('button', { type: 'button', class: 'small', onclick: () => { remove(i); rerender(); } },
        'Remove ' + itemName + ' ' + (i + 1)));
    box.append(group);
  });
  box.append(h('button', { type: 'button', class: 'small', onclick: () => { add(); rerender(); } }, 'Add ' + itemName),
    h('div', { class: 'problems' }));
  return box;
}

/**
 * Puts each problem under the field it names: that exact field, else the first field inside it (the problem is
 * about a whole category, say), else the nearest field that contains it, else the box at the top.
 */
export function pinProblems(root, problems, general) {
  for (const box of root.querySelectorAll('.problems')) box.replaceChildren();
  general.replaceChildren();
  const wrappers = [...root.querySelectorAll('[data-field]')];
  for (const p of problems) {
    const f = p.field || '';
    let target = f && wrappers.find((w) => w.dataset.field === f);
    if (!target && f) target = wrappers.find((w) => w.dataset.field.startsWith(f + '.') || w.dataset.field.startsWith(f + '['));
    if (!target && f) {
      target = wrappers.filter((w) => f.startsWith(w.dataset.field + '.') || f.startsWith(w.dataset.field + '['))
        .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    }
    const box = (target && target.querySelector(':scope > .problems')) || general;
    box.append(problemNote(p));
    if (target) {
      const input = target.querySelector('input, textarea');
      if (input && p.severity === 'error') input.setAttribute('aria-invalid', 'true');
    }
  }
  for (const w of wrappers) {
    const input = w.querySelector(':scope > input, :scope > textarea');
    if (input && !w.querySelector(':scope > .problems .problem.error') && !w.querySelector('.local-error:not([hidden])')) {
      input.removeAttribute('aria-invalid');
    }
  }
}

export function problemNote(p) {
  return h('div', { class: 'problem ' + p.severity },
    h('p', { class: 'message', text: p.message }),
    p.fix ? h('p', { class: 'fix', text: 'Fix: ' + p.fix }) : null);
}
