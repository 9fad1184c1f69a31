// A small layered ("Sugiyama") layout, left to right: break cycles, rank by longest path, order each rank to
// cut crossings (barycentres, best of several sweeps), then place nodes near their neighbours. Workflows are
// tens of nodes, so the simple quadratic steps are fast enough; docs/console.md says why it is not a library.

export const NODE_W = 210;
export const NODE_H = 64;
const GAP_X = 170;
const GAP_Y = 26;
const DUMMY_H = 12;
const SWEEPS = 12;

/**
 * @param nodes [{id}], in document order (which breaks ties, so the drawing is stable)
 * @param edges [{from, to, branch?}]
 * @returns {{ positions: Map<id,{x,y}>, routes: Array<{edge, points: [{x,y}]}>, width, height }}
 */
export function layout(nodes, edges, roots = []) {
  const ids = nodes.map((n) => n.id);
  const known = new Set(ids);
  const valid = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const connected = new Set(valid.flatMap((e) => [e.from, e.to]));
  const graphIds = ids.filter((id) => connected.has(id));
  const loose = ids.filter((id) => !connected.has(id));

  const reversed = breakCycles(graphIds, valid, roots);
  const dag = valid.map((e) => (reversed.has(e) ? { from: e.to, to: e.from, edge: e } : { from: e.from, to: e.to, edge: e }));
  const rank = rankNodes(graphIds, dag);

  // Long edges get a chain of virtual nodes, one per rank they cross, so they bend around real nodes.
  const succ = new Map(), pred = new Map(), height = new Map();
  const vertices = [...graphIds];
  for (const id of graphIds) height.set(id, NODE_H);
  const link = (a, b) => {
    if (!succ.has(a)) succ.set(a, []);
    if (!pred.has(b)) pred.set(b, []);
    succ.get(a).push(b);
    pred.get(b).push(a);
  };
  const chains = [];
  dag.forEach((d, i) => {
    const chain = [d.from];
    for (let r = rank.get(d.from) + 1; r < rank.get(d.to); r++) {
      const v = '\u0000' + i + ':' + r;
      rank.set(v, r);
      height.set(v, DUMMY_H);
      vertices.push(v);
      chain.push(v);
    }
    chain.push(d.to);
    for (let k = 0; k + 1 < chain.length; k++) link(chain[k], chain[k + 1]);
    chains.push({ edge: d.edge, chain, reversed: d.edge !== undefined && reversed.has(d.edge) });
  });

  const layers = order(vertices, rank, succ, pred);
  const y = place(layers, height, succ, pred);
  const positions = new Map();
  let maxRank = -1;
  layers.forEach((layer, r) => {
    maxRank = Math.max(maxRank, r);
    for (const v of layer) positions.set(v, { x: r * (NODE_W + GAP_X), y: y.get(v) });
  });
  let bottom = 0;
  for (const v of vertices) bottom = Math.max(bottom, y.get(v) + height.get(v));

  // Nodes on no edge (notes, strays) wait in a row under the graph rather than among its ranks.
  const rowY = vertices.length ? bottom + GAP_Y * 3 : 0;
  loose.forEach((id, i) => positions.set(id, { x: i * (NODE_W + GAP_Y), y: rowY }));
  if (loose.length) bottom = rowY + NODE_H;

  const routes = chains.map(({ edge, chain, reversed: back }) => {
    const path = back ? [...chain].reverse() : chain;
    const points = path.map((v, k) => {
      const p = positions.get(v), hgt = height.get(v);
      const cy = p.y + hgt / 2;
      if (!known.has(v) || v.startsWith('\u0000')) return { x: p.x + NODE_W / 2, y: cy };
      // A back edge (a loop) leaves and enters through the tops, so it arcs over instead of doubling the
      // forward edge between the same two nodes.
      if (back && (k === 0 || k === path.length - 1)) return { x: p.x + NODE_W / 2, y: p.y };
      if (k === 0) return { x: p.x + NODE_W, y: cy };
      if (k === path.length - 1) return { x: p.x, y: cy };
      return { x: p.x + NODE_W / 2, y: cy };
    });
    return { edge, points, back };
  });
  const width = Math.max((maxRank + 1) * (NODE_W + GAP_X) - GAP_X, loose.length * (NODE_W + GAP_Y) - GAP_Y, 0);
  return { positions, routes, width, height: bottom };
}

/** Depth first from the roots (start first): an edge back to a node still on the stack closes a cycle. */
function breakCycles(ids, edges, roots) {
  const out = new Map(ids.map((id) => [id, []]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const e of edges) {
    out.get(e.from).push(e);
    indegree.set(e.to, indegree.get(e.to) + 1);
  }
  const reversed = new Set();
  const state = new Map();
  const visit = (start) => {
    const stack = [[start, 0]];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = out.get(top[0])[top[1]++];
      if (!next) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next.to) === 1) {
        reversed.add(next);
      } else if (!state.has(next.to)) {
        state.set(next.to, 1);
        stack.push([next.to, 0]);
      }
    }
  };
  const firsts = [...roots.filter((id) => out.has(id)), ...ids.filter((id) => indegree.get(id) === 0), ...ids];
  for (const id of firsts) if (!state.has(id)) visit(id);
  return reversed;
}

function rankNodes(ids, dag) {
  const indegree = new Map(ids.map((id) => [id, 0]));
  const out = new Map(ids.map((id) => [id, []]));
  for (const d of dag) {
    out.get(d.from).push(d.to);
    indegree.set(d.to, indegree.get(d.to) + 1);
  }
  const rank = new Map(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  while (queue.length) {
    const v = queue.shift();
    for (const w of out.get(v)) {
      rank.set(w, Math.max(rank.get(w), rank.get(v) + 1));
      indegree.set(w, indegree.get(w) - 1);
      if (indegree.get(w) === 0) queue.push(w);
    }
  }
  return rank;
}

/** Barycentre sweeps down and up the ranks, keeping whichever ordering crossed least. */
function order(vertices, rank, succ, pred) {
  const layers = [];
  for (const v of vertices) {
    const r = rank.get(v);
    while (layers.length <= r) layers.push([]);
    layers[r].push(v);
  }
  const index = new Map();
  const reindex = () => layers.forEach((layer) => layer.forEach((v, i) => index.set(v, i)));
  reindex();
  let best = layers.map((l) => [...l]);
  let bestCrossings = crossings(layers, succ, index);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const range = down ? layers.map((_, r) => r).slice(1) : layers.map((_, r) => r).reverse().slice(1);
    for (const r of range) {
      const neighbours = down ? pred : succ;
      const weight = new Map(layers[r].map((v, i) => {
        const ns = neighbours.get(v) || [];
        return [v, ns.length ? ns.reduce((s, n) => s + index.get(n), 0) / ns.length : i];
      }));
      layers[r].sort((a, b) => weight.get(a) - weight.get(b) || index.get(a) - index.get(b));
      layers[r].forEach((v, i) => index.set(v, i));
    }
    const c = crossings(layers, succ, index);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => [...l]);
    }
  }
  return best;
}

function crossings(layers, succ, index) {
  let count = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    const segments = [];
    for (const v of layers[r]) for (const w of succ.get(v) || []) segments.push([index.get(v), index.get(w)]);
    for (let i = 0; i < segments.length; i++) {
      for (let j = i + 1; j < segments.length; j++) {
        const [a1, b1] = segments[i], [a2, b2] = segments[j];
        if ((a1 - a2) * (b1 - b2) < 0) count++;
      }
    }
  }
  return count;
}

/**
 * Vertical positions: each node wants the mean height of its neighbours in the rank before (then after); a
 * rank keeps its order and spacing, and is shifted as a block to sit where its nodes want to be on average.
 */
function place(layers, height, succ, pred) {
  const y = new Map();
  const stack = (layer, wanted) => {
    let next = -Infinity;
    const placed = layer.map((v) => {
      const top = Math.max(wanted(v), next);
      next = top + height.get(v) + GAP_Y;
      return top;
    });
    const centre = (v, t) => t + height.get(v) / 2;
    const want = layer.reduce((s, v) => s + wanted(v) + height.get(v) / 2, 0) / layer.length;
    const have = layer.reduce((s, v, i) => s + centre(v, placed[i]), 0) / layer.length;
    layer.forEach((v, i) => y.set(v, placed[i] + want - have));
  };
  let total = 0;
  for (const layer of layers) total = Math.max(total, layer.reduce((s, v) => s + height.get(v) + GAP_Y, -GAP_Y));
  for (const layer of layers) stack(layer, (() => {
    let at = (total - layer.reduce((s, v) => s + height.get(v) + GAP_Y, -GAP_Y)) / 2;
    const first = new Map(layer.map((v) => { const t = at; at += height.get(v) + GAP_Y; return [v, t]; }));
    return (v) => first.get(v);
  })());
  const mean = (v, ns) => ns.reduce((s, n) => s + y.get(n) + height.get(n) / 2, 0) / ns.length - height.get(v) / 2;
  for (let pass = 0; pass < 4; pass++) {
    const down = pass % 2 === 0;
    const range = down ? layers.slice(1) : [...layers].reverse().slice(1);
    for (const layer of range) {
      stack(layer, (v) => {
        const ns = (down ? pred : succ).get(v) || [];
        return ns.length ? mean(v, ns) : y.get(v);
      });
    }
  }
  let top = Infinity;
  for (const v of y.keys()) top = Math.min(top, y.get(v));
  for (const v of y.keys()) y.set(v, y.get(v) - top);
  return y;
}
