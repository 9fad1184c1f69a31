// ChatKit widget items (Card, ListView and what goes inside them) as DOM. Widgets come from the server, so
// they are built with createElement and textContent only; Markdown components go through the same gate as
// replies. Unknown component types render their children, so a newer server degrades instead of breaking.

import { renderChart } from './chart.js';
import { h, icon } from './dom.js';
import { collectValues, formControl, linkLabels } from './forms.js';
import { markdown } from './markdown.js';

export const SAFE_IMAGE = /^(?:https?:|\/(?!\/)|data:image\/(?:png|jpeg|gif|webp);)/i;

/**
 * Renders a widget root. `onAction(actionConfig, element)` is called for button and list-item clicks, Card
 * confirm/cancel, form submits and controls' change actions; it returns a promise so the control can show it is
 * busy. An action fired inside a Form (or a Card with `asForm`) carries the form's values in its payload, keyed by
 * each control's `name`, and is not sent while a control is invalid. `t` looks up the validation messages.
 */
export function renderWidget(root, onAction, t = (key) => key) {
  // Inside a form, every action first collects and checks the values; outside, it goes as it is.
  const fire = (action, control) => {
    const form = control.closest('form.w-form');
    if (!form || action.type == null) return onAction(action, control);
    const values = collectValues(form, t);
    if (!values) return Promise.resolve();
    return onAction(Object.assign({}, action, { payload: Object.assign({}, action.payload || {}, values) }), control);
  };
  const asForm = (el, submitAction) => {
    const form = h('form.w-form', { novalidate: true }, el);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (submitAction) fire(submitAction, e.submitter || form);
    });
    queueMicrotask(() => linkLabels(form));
    return form;
  };
  const build = (node) => {
    if (!node || typeof node !== 'object') return null;
    const kids = () => (Array.isArray(node.children) ? node.children.map(build) : []);
    const gap = (el) => {
      if (node.gap != null) el.style.gap = typeof node.gap === 'number' ? node.gap * 4 + 'px' : String(node.gap);
      if (node.align) el.style.alignItems = flexWord(node.align);
      if (node.justify) el.style.justifyContent = flexWord(node.justify);
      return el;
    };
    switch (node.type) {
      case 'Card': {
        const card = h('div.w-card', { part: 'widget-card' }, kids());
        if (node.status && node.status.text) card.prepend(h('div.w-status', { text: node.status.text }));
        const actions = [node.cancel, node.confirm].filter((a) => a && a.action);
        if (actions.length) {
          card.appendChild(h('div.w-row.w-actions', null, actions.map((a, i) =>
            actionButton(a.label || '', a.action, i === actions.length - 1 ? 'primary' : 'secondary', fire))));
        }
        return node.asForm ? asForm(card, null) : card;
      }
      case 'ListView':
        return h('ul.w-list', { role: 'list' }, kids().map((k) => k));
      case 'ListViewItem': {
        const li = gap(h('li.w-list-item', null, kids()));
        if (node.onClickAction) {
          li.tabIndex = 0;
          li.setAttribute('role', 'button');
          const click = () => fire(node.onClickAction, li);
          li.addEventListener('click', click);
          li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); click(); } });
        }
        return li;
      }
      case 'Row':
        return gap(h('div.w-row', null, kids()));
      case 'Form': {
        const box = gap(h('div.w-col', null, kids()));
        if (node.direction === 'row') box.className = 'w-row';
        return asForm(box, node.onSubmitAction);
      }
      case 'Col':
      case 'Box':
      case 'Basic':
      case 'Transition':
        return gap(h('div.w-col', null, kids()));
      case 'Title':
        return h('div.w-title', { text: stringValue(node.value) });
      case 'Caption':
        return h('div.w-caption', { text: stringValue(node.value) });
      case 'Text': {
        const el = h('p.w-text', { text: stringValue(node.value) });
        if (node.weight === 'semibold' || node.weight === 'bold') el.style.fontWeight = '600';
        if (node.italic) el.style.fontStyle = 'italic';
        return el;
      }
      case 'Markdown': {
        const el = h('div.w-markdown.md');
        el.appendChild(markdown.render(stringValue(node.value)));
        return el;
      }
      case 'Badge':
        return h('span.w-badge', { text: stringValue(node.label) });
      case 'Divider':
        return h('hr.w-divider');
      case 'Spacer':
        return h('div.w-spacer');
      case 'Icon':
        return icon(node.name);
      case 'Image': {
        const src = stringValue(node.src);
        return SAFE_IMAGE.test(src) ? h('img.w-image', { src, alt: stringValue(node.alt) }) : null;
      }
      case 'Button':
        if (node.submit) {
          return h('button.btn.' + (node.style === 'secondary' ? 'secondary' : 'primary'), { type: 'submit', disabled: !!node.disabled },
            node.iconStart ? icon(node.iconStart) : null, stringValue(node.label));
        }
        return node.onClickAction
          ? actionButton(stringValue(node.label), node.onClickAction, node.style || 'primary', fire, node.iconStart)
          : h('button.btn.secondary', { type: 'button', disabled: true, text: stringValue(node.label) });
      case 'Chart':
        return renderChart(node);
      case 'Table':
        return table(node, build);
      case 'Label':
      case 'Input':
      case 'Textarea':
      case 'Select':
      case 'Checkbox':
      case 'RadioGroup':
      case 'DatePicker':
        return formControl(node, fire);
      default:
        return Array.isArray(node.children) ? h('div.w-col', null, kids()) : null;
    }
  };
  return h('div.w-root', null, build(root));
}

/**
 * ChatKit's Table: rows (`Table.Row`) of cells (`Table.Cell`) whose children are widgets; a row with `header`
 * becomes the table's head. A cell may also carry a plain `value`.
 */
function table(node, build) {
  const head = h('thead');
  const body = h('tbody');
  for (const row of Array.isArray(node.children) ? node.children : []) {
    if (!row || typeof row !== 'object') continue;
    const isHead = !!row.header;
    const tr = h('tr');
    for (const cell of Array.isArray(row.children) ? row.children : []) {
      if (!cell || typeof cell !== 'object') continue;
      const td = h(isHead ? 'th' : 'td', { colspan: cell.colSpan ? String(cell.colSpan) : null });
      if (cell.align) td.style.textAlign = String(cell.align).replace(/[^a-z]/g, '');
      if (cell.value != null) td.textContent = String(cell.value);
      for (const kid of Array.isArray(cell.children) ? cell.children : []) {
        const built = build(kid);
        if (built) td.appendChild(built);
      }
      tr.appendChild(td);
    }
    (isHead ? head : body).appendChild(tr);
  }
  return h('div.w-table', null, h('table', null, head.childNodes.length ? head : null, body));
}

function actionButton(label, action, style, onAction, iconName) {
  const button = h('button.btn.' + (style === 'secondary' ? 'secondary' : 'primary'), { type: 'button' },
    iconName ? icon(iconName) : null, label);
  button.addEventListener('click', () => onAction(action, button));
  return button;
}

function stringValue(v) {
  return v == null ? '' : String(v);
}

function flexWord(v) {
  return { start: 'flex-start', end: 'flex-end', between: 'space-between', around: 'space-around',
    evenly: 'space-evenly' }[v] || String(v).replace(/[^a-z-]/gi, '');
}

/** Swaps the component with this id anywhere in the tree for `replace(component)`; false when there is none. */
export function replaceComponent(node, id, replace) {
  if (!node || typeof node !== 'object') return false;
  for (const key of ['children']) {
    const kids = node[key];
    if (!Array.isArray(kids)) continue;
    for (let i = 0; i < kids.length; i++) {
      if (kids[i] && kids[i].id === id) {
        kids[i] = replace(kids[i]);
        return true;
      }
      if (replaceComponent(kids[i], id, replace)) return true;
    }
  }
  return false;
}
