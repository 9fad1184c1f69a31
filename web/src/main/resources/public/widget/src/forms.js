// Widget form controls (ChatKit's Input, Textarea, Select, Checkbox, RadioGroup, DatePicker and Label) and the
// collection of their values. Controls are real form elements, so the browser's own constraint checks (required,
// pattern, min/max) decide validity; an invalid control is marked and described in words before anything is sent.

import { h } from './dom.js';

let uid = 0;
const nextId = (prefix) => prefix + '-' + (++uid);

/** Input types ChatKit's Input accepts; anything else is a plain text field. */
const INPUT_TYPES = ['text', 'email', 'number', 'tel', 'url', 'password', 'date', 'time'];

/**
 * Builds the control for a form component, or null when `node.type` is not one. `onChange(action, control)` runs a
 * Select's, Checkbox's, RadioGroup's or DatePicker's `onChangeAction`, with the new value added to its payload.
 */
export function formControl(node, onChange) {
  const str = (v) => (v == null ? '' : String(v));
  const name = str(node.name);
  switch (node.type) {
    case 'Label':
      return h('label.w-label', { text: str(node.value), 'data-for-name': node.fieldName ? str(node.fieldName) : null });
    case 'Input': {
      const type = INPUT_TYPES.includes(node.inputType) ? node.inputType : 'text';
      const input = h('input.w-input', { type, name, id: nextId('w-in'), placeholder: node.placeholder || null,
        pattern: node.pattern || null, required: !!node.required, disabled: !!node.disabled,
        minlength: node.minLength != null ? str(node.minLength) : null, maxlength: node.maxLength != null ? str(node.maxLength) : null,
        min: node.min != null ? str(node.min) : null, max: node.max != null ? str(node.max) : null,
        autocomplete: node.allowAutofillExtensions ? null : 'off' });
      if (node.defaultValue != null) input.value = str(node.defaultValue);
      if (node.autoFocus) queueMicrotask(() => input.focus());
      return field(input);
    }
    case 'Textarea': {
      const area = h('textarea.w-input', { name, id: nextId('w-ta'), rows: str(node.rows || 3),
        placeholder: node.placeholder || null, required: !!node.required, disabled: !!node.disabled,
        maxlength: node.maxLength != null ? str(node.maxLength) : null });
      if (node.defaultValue != null) area.value = str(node.defaultValue);
      return field(area);
    }
    case 'Select': {
      const select = h('select.w-input', { name, id: nextId('w-sel'), required: !!node.required, disabled: !!node.disabled },
        h('option', { value: '', text: str(node.placeholder || '—'), disabled: !node.clearable }));
      for (const o of Array.isArray(node.options) ? node.options : []) {
        select.appendChild(h('option', { value: str(o.value), text: str(o.label != null ? o.label : o.value), disabled: !!o.disabled }));
      }
      select.value = node.defaultValue != null ? str(node.defaultValue) : '';
      if (node.onChangeAction) select.addEventListener('change', () => onChange(withValue(node.onChangeAction, name, select.value), select));
      return field(select);
    }
    case 'DatePicker': {
      const date = h('input.w-input', { type: 'date', name, id: nextId('w-date'), required: !!node.required,
        disabled: !!node.disabled, min: dateOnly(node.min), max: dateOnly(node.max) });
      if (node.defaultValue != null) date.value = dateOnly(node.defaultValue) || '';
      if (node.onChangeAction) date.addEventListener('change', () => onChange(withValue(node.onChangeAction, name, date.value), date));
      return field(date);
    }
    case 'Checkbox': {
      const box = h('input', { type: 'checkbox', name, required: !!node.required, disabled: !!node.disabled });
      box.checked = !!node.defaultChecked;
      if (node.onChangeAction) box.addEventListener('change', () => onChange(withValue(node.onChangeAction, name, box.checked), box));
      return field(h('label.w-check', null, box, h('span', { text: str(node.label) })), box);
    }
    case 'RadioGroup': {
      const group = h('div.w-radios', { role: 'radiogroup', 'aria-label': node.ariaLabel || null, 'data-name': name,
        'data-required': node.required ? '' : null });
      if (node.direction === 'row') group.classList.add('row');
      for (const o of Array.isArray(node.options) ? node.options : []) {
        const radio = h('input', { type: 'radio', name: name + '::' + uid, value: str(o.value), disabled: !!(o.disabled || node.disabled),
          required: !!node.required });
        radio.dataset.field = name;
        radio.checked = node.defaultValue != null && str(node.defaultValue) === str(o.value);
        if (node.onChangeAction) radio.addEventListener('change', () => onChange(withValue(node.onChangeAction, name, radio.value), radio));
        group.appendChild(h('label.w-check', null, radio, h('span', { text: str(o.label != null ? o.label : o.value) })));
      }
      uid += 1;
      return field(group, group);
    }
    default:
      return null;
  }
}

/** A control with the slot its error message goes in; `control` is what validity is read from. */
function field(el, control) {
  const error = h('div.w-error', { hidden: true, role: 'alert' });
  const wrap = h('div.w-field', null, el, error);
  wrap.__control = control || el;
  // A message about a value the visitor has since changed would mislead: it goes with the first edit.
  const clear = () => {
    if (!wrap.classList.contains('invalid')) return;
    wrap.classList.remove('invalid');
    for (const bad of wrap.querySelectorAll('[aria-invalid]')) bad.removeAttribute('aria-invalid');
    error.hidden = true;
  };
  wrap.addEventListener('input', clear);
  wrap.addEventListener('change', clear);
  return wrap;
}

function withValue(action, name, value) {
  return Object.assign({}, action, { payload: Object.assign({}, action.payload || {}, name ? { [name]: value } : {}) });
}

function dateOnly(v) {
  if (v == null || v === '') return null;
  const s = String(v);
  return /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
}

/** Labels point at their field by `fieldName`; done once the whole form exists. */
export function linkLabels(form) {
  for (const label of form.querySelectorAll('label[data-for-name]')) {
    const target = form.querySelector('[name="' + CSS.escape(label.getAttribute('data-for-name')) + '"]');
    if (target && target.id) label.htmlFor = target.id;
  }
}

/**
 * {@return the values of the named controls inside `form` by name, or null when one is invalid} Invalid fields are
 * marked (`aria-invalid`) and get a message saying what to fix; the first of them takes the focus.
 */
export function collectValues(form, t) {
  const values = {};
  let firstBad = null;
  for (const wrap of form.querySelectorAll('.w-field')) {
    const control = wrap.__control;
    const error = wrap.querySelector('.w-error');
    let name;
    let value;
    let problem = '';
    if (control.getAttribute('role') === 'radiogroup') {
      name = control.getAttribute('data-name');
      const chosen = control.querySelector('input:checked');
      value = chosen ? chosen.value : null;
      if (control.hasAttribute('data-required') && !chosen) problem = t('fieldRequired');
    } else {
      name = control.name;
      value = control.type === 'checkbox' ? control.checked : control.value;
      if (!control.checkValidity()) problem = describe(control, t);
    }
    wrap.classList.toggle('invalid', !!problem);
    const focusable = control.getAttribute('role') === 'radiogroup' ? control.querySelector('input') : control;
    if (problem) {
      focusable.setAttribute('aria-invalid', 'true');
      error.textContent = problem;
      error.hidden = false;
      if (!firstBad) firstBad = focusable;
    } else {
      focusable.removeAttribute('aria-invalid');
      error.hidden = true;
    }
    if (name) values[name] = value;
  }
  if (firstBad) {
    firstBad.focus();
    return null;
  }
  return values;
}

function describe(control, t) {
  const v = control.validity;
  if (v.valueMissing) return t('fieldRequired');
  if (v.typeMismatch) return t('fieldType', { type: control.type });
  if (v.patternMismatch) return t('fieldPattern');
  if (v.rangeUnderflow) return t('fieldMin', { min: control.min });
  if (v.rangeOverflow) return t('fieldMax', { max: control.max });
  if (v.tooShort || v.tooLong) return t('fieldLength');
  return control.validationMessage;
}
