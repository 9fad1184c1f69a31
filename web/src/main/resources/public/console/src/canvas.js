// The graph on screen: nodes are buttons (focusable, Enter opens them) laid over one SVG of edges, all inside a
// stage that is moved and scaled with a CSS transform for pan and zoom.

import { h, svg, clear } from './dom.js';
import { layout, NODE_W, NODE_H } from './layout.js';
import { typeOf, title, detail } from './nodes.js';
import { port, wireDragConnect } from './dragconnect.js';

const MIN_SCALE = 0.2;
const MAX_SCALE = 2;
const PAD = 40;
/** How far above its nodes a loop's back edge arcs. */
const LOOP_RISE = 48;

export class Canvas {
  /**
   * @param onOpen called with a node id when a node is clicked or Enter is pressed on it
   * @param onConnect called with two node ids when a node's handle is dragged onto another node
   */
  constructor(host, onOpen, onConnect) {
    this.host = host;
    this.onOpen = onOpen;
    this.view = { x: 0, y: 0, k: 1 };
    this.nodeEls = new Map();
    this.edgeEls = [];
    clear(host);
    this.viewport = h('div', { class: 'viewport', tabindex: '0', role: 'group',
      'aria-label': 'Workflow graph. Arrow keys pan, plus and minus zoom, 0 fits the graph.' });
    this.stage = h('div', { class: 'stage' });
    this.viewport.append(this.stage);
    this.controls = h('div', { class: 'zoom-controls' },
      h('button', { type: 'button', 'aria-label': 'Zoom out', onclick: () => this.zoomBy(1 / 1.2) }, '−'),
      h('button', { type: 'button', 'aria-label': 'Zoom in', onclick: () => this.zoomBy(1.2) }, '+'),
      h('button', { type: 'button', class: 'fit', onclick: () => this.fit() }, 'Fit'));
    host.append(this.viewport, this.controls);
    if (onConnect) wireDragConnect(this, onConnect);
    this.wire();
  }

  /** Draws the document; returns how long the layout and drawing took, in milliseconds. */
  draw(doc) {
    const started = performance.now();
    const nodes = Array.isArray(doc.nodes) ? doc.nodes.filter((n) => n && typeof n.id === 'string') : [];
    const edges = Array.isArray(doc.edges) ? doc.edges.filter((e) => e && e.from && e.to) : [];
    const roots = nodes.filter((n) => n.type === 'start').map((n) => n.id);
    const g = layout(nodes, edges, roots);
    clear(this.stage);
    this.nodeEls.clear();
    this.size = { w: g.width, h: g.height };
    const edgeLayer = svg('svg', { class: 'edges', width: g.width + 20, height: g.height + 20, 'aria-hidden': 'true' },
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '8',
        markerHeight: '8', orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z' }))));
    this.edgeEls = g.routes.map((route) => this.edge(edgeLayer, route));
    this.stage.append(edgeLayer);
    for (const node of nodes) {
      const p = g.positions.get(node.id);
      const el = this.node(node);
      el.style.left = p.x + 'px';
      el.style.top = p.y + 'px';
      this.stage.append(el);
      this.nodeEls.set(node.id, el);
    }
    this.host.dataset.drawMs = String(Math.round(performance.now() - started));
    return performance.now() - started;
  }

  node(node) {
    const t = typeOf(node);
    const badge = h('span', { class: 'badge', hidden: true });
    const el = h('button', {
      type: 'button', class: 'node type-' + (node.type || 'unknown'),
      dataset: { nodeId: node.id, nodeType: node.type || '' },
      onclick: () => this.onOpen(node.id),
    },
    h('span', { class: 'glyph', 'aria-hidden': 'true', text: t.glyph }),
    h('span', { class: 'label' }, h('span', { class: 'title', text: title(node) }),
      h('span', { class: 'detail', text: detail(node) })),
    badge, port(node));
    el.setAttribute('aria-label', t.name + ' ' + title(node));
    return el;
  }

  /** Redraws one node's text after an edit, without a new layout (which would move things under the cursor). */
  refresh(node) {
    const el = this.nodeEls.get(node.id);
    if (!el) return;
    el.querySelector('.title').textContent = title(node);
    el.querySelector('.detail').textContent = detail(node);
    el.setAttribute('aria-label', typeOf(node).name + ' ' + title(node));
  }

  edge(layer, route) {
    const pts = route.points;
    let d = 'M' + pts[0].x + ',' + pts[0].y;
    if (route.back) {
      const a = pts[0], b = pts[pts.length - 1], top = Math.min(a.y, b.y) - LOOP_RISE;
      d += ' C' + a.x + ',' + top + ' ' + b.x + ',' + top + ' ' + b.x + ',' + b.y;
    }
    for (let i = 1; i < pts.length && !route.back; i++) {
      const a = pts[i - 1], b = pts[i];
      const mx = (a.x + b.x) / 2;
      d += ' C' + mx + ',' + a.y + ' ' + mx + ',' + b.y + ' ' + b.x + ',' + b.y;
    }
    const group = svg('g', { class: 'edge' + (route.back ? ' back' : ''), 'data-from': route.edge.from,
      'data-to': route.edge.to });
    group.append(svg('path', { d, 'marker-end': 'url(#arrow)' }));
    if (route.edge.branch) {
      // Just before the first bend's end, above the arrow: where a fan of branches has spread apart, so labels
      // never stack, and clear of the node the edge enters.
      const b = pts[1];
      const x = b.x - 14, y = b.y - 10;
      const text = route.edge.branch;
      const w = text.length * 6.4 + 10;
      group.append(svg('rect', { class: 'branch-bg', x: x - w, y: y - 9, width: w, height: 18, rx: 9 }),
        svg('text', { class: 'branch', x: x - 5, y: y + 4, 'text-anchor': 'end' }, text));
    }
    layer.append(group);
    return group;
  }

  element(nodeId) {
    return this.nodeEls.get(nodeId);
  }

  select(nodeId) {
    for (const [id, el] of this.nodeEls) el.classList.toggle('selected', id === nodeId);
  }

  /** Marks each node with its errors and warnings: a badge with the count, a class for the colour. */
  pin(problemsByNode) {
    for (const [id, el] of this.nodeEls) {
      const ps = problemsByNode.get(id) || { errors: [], warnings: [] };
      const badge = el.querySelector('.badge');
      const n = ps.errors.length || ps.warnings.length;
      el.classList.toggle('has-error', ps.errors.length > 0);
      el.classList.toggle('has-warning', !ps.errors.length && ps.warnings.length > 0);
      badge.hidden = n === 0;
      badge.textContent = n ? String(n) : '';
      badge.title = [...ps.errors, ...ps.warnings].map((p) => p.message).join('\n');
      el.dataset.problems = String(ps.errors.length + ps.warnings.length);
    }
  }

  /** Highlights a run's path: the nodes it ran, in order, and the edges between consecutive ones. */
  highlight(path) {
    const ran = new Set(path);
    for (const [id, el] of this.nodeEls) el.classList.toggle('ran', ran.has(id));
    const steps = new Set(path.slice(1).map((id, i) => path[i] + '\u0000' + id));
    for (const g of this.edgeEls) g.classList.toggle('ran', steps.has(g.dataset.from + '\u0000' + g.dataset.to));
    this.host.classList.toggle('tracing', path.length > 0);
  }

  // ---- pan and zoom --------------------------------------------------------------------------------

  apply() {
    this.stage.style.transform = 'translate(' + this.view.x + 'px,' + this.view.y + 'px) scale(' + this.view.k + ')';
    this.host.dataset.zoom = this.view.k.toFixed(3);
  }

  fit() {
    const box = this.viewport.getBoundingClientRect();
    if (!this.size || !box.width) return;
    const k = Math.min(1, (box.width - 2 * PAD) / Math.max(this.size.w, 1), (box.height - 2 * PAD) / Math.max(this.size.h, 1));
    this.view.k = Math.max(MIN_SCALE, k);
    this.view.x = (box.width - this.size.w * this.view.k) / 2;
    this.view.y = (box.height - this.size.h * this.view.k) / 2;
    this.apply();
  }

  /** Zooms about a point of the viewport (its centre by default), so what is under it stays put. */
  zoomBy(factor, cx, cy) {
    const box = this.viewport.getBoundingClientRect();
    const px = cx === undefined ? box.width / 2 : cx, py = cy === undefined ? box.height / 2 : cy;
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.view.k * factor));
    this.view.x = px - ((px - this.view.x) * k) / this.view.k;
    this.view.y = py - ((py - this.view.y) * k) / this.view.k;
    this.view.k = k;
    this.apply();
  }

  /** Pans just enough to bring a node into view, as when the panel opens over the part of the canvas it was on. */
  reveal(nodeId) {
    const el = this.nodeEls.get(nodeId);
    if (!el) return;
    const box = this.viewport.getBoundingClientRect(), r = el.getBoundingClientRect();
    const dx = r.left < box.left + PAD ? box.left + PAD - r.left : r.right > box.right - PAD ? box.right - PAD - r.right : 0;
    const dy = r.top < box.top + PAD ? box.top + PAD - r.top : r.bottom > box.bottom - PAD ? box.bottom - PAD - r.bottom : 0;
    if (dx || dy) this.panBy(dx, dy);
  }

  panBy(dx, dy) {
    this.view.x += dx;
    this.view.y += dy;
    this.apply();
  }

  wire() {
    this.viewport.addEventListener('wheel', (e) => {
      e.preventDefault();
      const box = this.viewport.getBoundingClientRect();
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
    let drag = null;
    this.viewport.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.target.closest('.node')) return;
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      this.viewport.setPointerCapture(e.pointerId);
      this.viewport.classList.add('panning');
    });
    this.viewport.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      this.panBy(e.clientX - drag.x, e.clientY - drag.y);
      drag.x = e.clientX;
      drag.y = e.clientY;
    });
    const end = () => {
      drag = null;
      this.viewport.classList.remove('panning');
    };
    this.viewport.addEventListener('pointerup', end);
    this.viewport.addEventListener('pointercancel', end);
    this.viewport.addEventListener('keydown', (e) => {
      if (e.target !== this.viewport) return;
      const step = 60;
      const keys = {
        ArrowLeft: () => this.panBy(step, 0), ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step), ArrowDown: () => this.panBy(0, -step),
        '+': () => this.zoomBy(1.2), '=': () => this.zoomBy(1.2), '-': () => this.zoomBy(1 / 1.2), 0: () => this.fit(),
      };
      if (keys[e.key]) {
        e.preventDefault();
        keys[e.key]();
      }
    });
  }
}

export { NODE_W, NODE_H };
