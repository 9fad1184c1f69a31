// Connecting nodes by dragging: each node that can have outgoing edges has a handle on its right; dragging it onto
// another node asks the editor to connect the two. A line follows the pointer meanwhile. The inspector's
// Connections form does the same by keyboard.

import { h, svg } from './dom.js';

/** Node types whose runs end there: nothing leaves them. */
const SINKS = new Set(['end', 'note']);

/** {@return a handle for the node, or null when the node has no outputs} */
export function port(node) {
  if (SINKS.has(node.type)) return null;
  return h('span', { class: 'port', 'aria-hidden': 'true', title: 'Drag onto another node to connect' });
}

/**
 * Wires dragging from handles within the canvas.
 * @param canvas the Canvas (its viewport, stage, view and the node elements)
 * @param onConnect called with (fromId, toId) when a handle is dropped on another node
 */
export function wireDragConnect(canvas, onConnect) {
  let drag = null;
  const toStage = (e) => {
    const box = canvas.viewport.getBoundingClientRect();
    return { x: (e.clientX - box.left - canvas.view.x) / canvas.view.k, y: (e.clientY - box.top - canvas.view.y) / canvas.view.k };
  };
  canvas.viewport.addEventListener('pointerdown', (e) => {
    const handle = e.button === 0 && e.target.closest('.port');
    if (!handle) return;
    // Neither a pan of the canvas nor, on release over the same node, a click opening it.
    e.preventDefault();
    e.stopPropagation();
    const from = handle.closest('.node').dataset.nodeId;
    const start = toStage(e);
    const line = svg('path', { class: 'dragging-edge' });
    canvas.stage.querySelector('svg.edges').append(line);
    drag = { from, start, line, id: e.pointerId };
    canvas.viewport.setPointerCapture(e.pointerId);
    canvas.host.classList.add('connecting');
  }, { capture: true });
  canvas.viewport.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const p = toStage(e);
    const mx = (drag.start.x + p.x) / 2;
    drag.line.setAttribute('d', 'M' + drag.start.x + ',' + drag.start.y + ' C' + mx + ',' + drag.start.y + ' ' + mx + ','
      + p.y + ' ' + p.x + ',' + p.y);
    for (const el of canvas.nodeEls.values()) el.classList.toggle('drop-target', el === targetAt(e, drag.from));
  });
  const finish = (e, connect) => {
    if (!drag || e.pointerId !== drag.id) return;
    const target = connect ? targetAt(e, drag.from) : null;
    drag.line.remove();
    for (const el of canvas.nodeEls.values()) el.classList.remove('drop-target');
    canvas.host.classList.remove('connecting');
    const from = drag.from;
    drag = null;
    if (target) onConnect(from, target.dataset.nodeId);
  };
  canvas.viewport.addEventListener('pointerup', (e) => finish(e, true));
  canvas.viewport.addEventListener('pointercancel', (e) => finish(e, false));
}

/** The node under the pointer, other than the one the drag started from. */
function targetAt(e, from) {
  // Pointer capture sends every event to the viewport; the element under the pointer is found by position.
  const el = document.elementFromPoint(e.clientX, e.clientY);
  const node = el && el.closest('.node');
  return node && node.dataset.nodeId !== from ? node : null;
}

/**
 * The branch a new edge from this node takes: the first of the node's outputs with no edge yet (an if/else's
 * conditions then else, a loop's body then exit, …), or none for a node with a single output.
 */
export function nextBranch(node, edges) {
  const used = new Set(edges.filter((e) => e.from === node.id).map((e) => e.branch));
  const outputs = {
    if_else: () => [...(node.conditions || []).map((c) => c.id).filter(Boolean), 'else'],
    while: () => ['body', 'exit'],
    user_approval: () => ['approved', 'rejected'],
    guardrails: () => ['pass', 'fail'],
  }[node.type];
  if (!outputs) return undefined;
  const all = outputs();
  return all.find((b) => !used.has(b)) || all[all.length - 1];
}
