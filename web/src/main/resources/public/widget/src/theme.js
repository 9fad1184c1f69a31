// The `theme` option as CSS custom properties on :host. Each one falls back to the matching --parley-* property
// first, so a page's stylesheet always beats the JavaScript option.

const RADII = { pill: '24px', round: '16px', soft: '10px', sharp: '3px' };
const DENSITY = { compact: '6px', normal: '8px', spacious: '10px' };

export function themeCss(theme) {
  const dark = theme.colorScheme === 'dark';
  const gray = (theme.color && theme.color.grayscale) || {};
  const hue = Number.isFinite(gray.hue) ? gray.hue : 220;
  const sat = Math.max(0, Math.min(9, Number.isFinite(gray.tint) ? gray.tint : 2)) * 4 + '%';
  const shade = Math.max(-4, Math.min(4, Number.isFinite(gray.shade) ? gray.shade : 0));
  const hsl = (l) => `hsl(${hue} ${sat} ${Math.max(0, Math.min(100, l))}%)`;
  const accent = (theme.color && theme.color.accent && theme.color.accent.primary) || (dark ? '#60a5fa' : '#2563eb');
  const vars = dark
    ? { bg: hsl(12 + shade), surface: hsl(19 + shade), border: hsl(28 + shade), text: hsl(94), muted: hsl(68),
      'error-bg': '#450a0a', 'error-text': '#fecaca' }
    : { bg: hsl(100 - Math.max(0, shade) * 2), surface: hsl(96 - shade), border: hsl(89 - shade), text: hsl(13),
      muted: hsl(40), 'error-bg': '#fef2f2', 'error-text': '#991b1b' };
  vars.accent = accent;
  vars['on-accent'] = readableOn(accent);
  const lines = Object.entries(vars).map(([k, v]) => `--_${k}: var(--parley-${k}, ${v});`);
  const font = theme.typography && theme.typography.fontFamily;
  return `:host { ${lines.join(' ')}` +
    (theme.radius && RADII[theme.radius] ? ` --_radius: var(--parley-radius, ${RADII[theme.radius]});` : '') +
    (theme.density && DENSITY[theme.density] ? ` --_space: var(--parley-space, ${DENSITY[theme.density]});` : '') +
    (font ? ` --_font: var(--parley-font, ${String(font).replace(/[;{}<>]/g, '')});` : '') +
    ` color-scheme: ${dark ? 'dark' : 'light'}; }`;
}

function readableOn(color) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color).trim());
  if (!m) return '#ffffff';
  const hex = m[1].length === 3 ? m[1].split('').map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111111' : '#ffffff';
}
