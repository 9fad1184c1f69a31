// chatkit-python's Chart widget drawn as inline SVG: bar, line and area series over categorical x values, with a
// y axis, a legend and native tooltips (<title>). No chart library and no CDN: a widget must render offline and
// inside the shadow root.

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2'];

function el(name, attrs, ...kids) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, String(v));
  for (const kid of kids) if (kid) node.appendChild(kid);
  return node;
}

function text(value, attrs) {
  const t = el('text', attrs);
  t.textContent = String(value);
  return t;
}

/** Only colours that cannot smuggle anything in: names, hex and rgb()/hsl() with plain numbers. */
function colour(value, fallback) {
  const v = String(value || '');
  return /^(#[0-9a-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%]+\))$/i.test(v) ? v : fallback;
}

/** {@return an element holding the chart described by `node` (a Chart component)} */
export function renderChart(node) {
  const data = Array.isArray(node.data) ? node.data.filter((d) => d && typeof d === 'object') : [];
  const series = (Array.isArray(node.series) ? node.series : []).filter((s) => s && s.dataKey);
  const xKey = typeof node.xAxis === 'string' ? node.xAxis : (node.xAxis && node.xAxis.dataKey) || 'x';
  const hideX = node.xAxis && typeof node.xAxis === 'object' && node.xAxis.hide;
  const width = 320;
  const height = Number(node.height) > 40 && Number(node.height) < 800 ? Number(node.height) : 180;
  const left = node.showYAxis === false ? 8 : 36;
  const bottom = hideX ? 8 : 24;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const values = data.flatMap((d) => series.map((s) => Number(d[s.dataKey]) || 0));
  // Four steps of a round size (1, 2 or 5 times a power of ten), so the axis reads 0, 10, 20 rather than 6.3, 12.5.
  const rough = (Math.max(1, ...values) - Math.min(0, ...values)) / 4;
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= rough);
  const min = Math.floor(Math.min(0, ...values) / step) * step;
  const max = Math.max(min + step * 4, Math.ceil(Math.max(1, ...values) / step) * step);
  const y = (v) => top + plotH - ((v - min) / (max - min)) * plotH;
  const band = data.length ? plotW / data.length : plotW;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'w-chart-svg',
    'aria-label': String(node.ariaLabel || series.map((s) => s.label || s.dataKey).join(', ')) });

  // Axes: four y ticks, and the x labels under their bands.
  if (node.showYAxis !== false) {
    for (let i = 0; i <= 4; i++) {
      const v = min + ((max - min) * i) / 4;
      const yy = y(v);
      svg.appendChild(el('line', { x1: left, x2: width - 8, y1: yy, y2: yy, class: 'grid' }));
      svg.appendChild(text(round(v), { x: left - 4, y: yy + 4, 'text-anchor': 'end', class: 'tick' }));
    }
  }
  if (!hideX) {
    data.forEach((d, i) => svg.appendChild(text(d[xKey] == null ? '' : d[xKey],
      { x: left + band * i + band / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' })));
  }

  const bars = series.filter((s) => (s.type || 'bar') === 'bar');
  series.forEach((s, si) => {
    const stroke = colour(s.color, PALETTE[si % PALETTE.length]);
    const label = String(s.label || s.dataKey);
    const type = ['bar', 'line', 'area'].includes(s.type) ? s.type : 'bar';
    if (type === 'bar') {
      const bi = bars.indexOf(s);
      const inner = band * 0.8;
      const w = inner / bars.length;
      data.forEach((d, i) => {
        const v = Number(d[s.dataKey]) || 0;
        const x = left + band * i + band * 0.1 + w * bi;
        const rect = el('rect', { x, y: Math.min(y(v), y(0)), width: Math.max(1, w - 2), height: Math.abs(y(0) - y(v)),
          fill: stroke, class: 'bar', 'data-series': s.dataKey });
        rect.appendChild(el('title')).textContent = `${label} · ${d[xKey] == null ? '' : d[xKey]}: ${v}`;
        svg.appendChild(rect);
      });
      return;
    }
    const points = data.map((d, i) => [left + band * i + band / 2, y(Number(d[s.dataKey]) || 0)]);
    if (!points.length) return;
    const path = points.map((p, i) => (i ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1)).join(' ');
    if (type === 'area') {
      const area = path + ` L${points[points.length - 1][0].toFixed(1)} ${y(0)} L${points[0][0].toFixed(1)} ${y(0)} Z`;
      svg.appendChild(el('path', { d: area, fill: stroke, 'fill-opacity': 0.2, stroke: 'none', class: 'area', 'data-series': s.dataKey }));
    }
    svg.appendChild(el('path', { d: path, fill: 'none', stroke, 'stroke-width': 2, class: 'line', 'data-series': s.dataKey }));
    points.forEach((p, i) => {
      const dot = el('circle', { cx: p[0], cy: p[1], r: 3, fill: stroke });
      dot.appendChild(el('title')).textContent = `${label} · ${data[i][xKey]}: ${Number(data[i][s.dataKey]) || 0}`;
      svg.appendChild(dot);
    });
  });

  const box = document.createElement('figure');
  box.className = 'w-chart';
  box.appendChild(svg);
  if (node.showLegend !== false && series.length) {
    const legend = document.createElement('figcaption');
    legend.className = 'w-legend';
    series.forEach((s, si) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = colour(s.color, PALETTE[si % PALETTE.length]);
      item.append(swatch, String(s.label || s.dataKey));
      legend.appendChild(item);
    });
    box.appendChild(legend);
  }
  return box;
}

function round(v) {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
}
