// The side panel shared by the inspector, the versions and the runs: one at a time, Escape or × closes it and
// gives focus back to whatever opened it.

import { byId, clear } from './dom.js';

let onClose = null;
let returnFocus = null;

export function openPanel(kind, titleText, body, closed) {
  const panel = byId('panel');
  const wasOpen = !panel.hidden;
  if (onClose) onClose();
  if (!wasOpen) returnFocus = document.activeElement;
  panel.dataset.kind = kind;
  byId('panel-title').textContent = titleText;
  clear(byId('panel-body')).append(body);
  panel.hidden = false;
  onClose = closed || null;
  document.body.classList.add('with-panel');
}

export function closePanel() {
  const panel = byId('panel');
  if (panel.hidden) return;
  panel.hidden = true;
  panel.dataset.kind = '';
  clear(byId('panel-body'));
  document.body.classList.remove('with-panel');
  const after = onClose;
  onClose = null;
  if (after) after();
  if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  returnFocus = null;
}

export function panelKind() {
  const panel = byId('panel');
  return panel.hidden ? '' : panel.dataset.kind;
}

export function wirePanel() {
  byId('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !byId('panel').hidden) {
      e.preventDefault();
      closePanel();
    }
  });
}

/** Sets where focus goes when the panel closes (the node the inspector edits, say). */
export function returnFocusTo(el) {
  returnFocus = el;
}
