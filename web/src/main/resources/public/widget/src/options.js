// The element's settings: attributes for the common cases, JavaScript options (ChatKit's names) for the rest,
// and the defaults under both.

// The script's own origin is the default server: the two-line embed works on any site without configuration.
// Read while the script runs: document.currentScript is null once it has finished.
export const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(document.currentScript.src).origin;
  } catch (e) {
    return location.origin;
  }
})();

export const ATTRIBUTES = ['api-url', 'session-url', 'greeting', 'placeholder', 'color-scheme', 'locale', 'open'];

/** The options in force: defaults, then what `attr(name)` reads from the attributes, then `jsOptions`. */
export function resolveOptions(attr, jsOptions) {
  const fromAttributes = {
    api: { url: attr('api-url') || undefined, sessionUrl: attr('session-url') || undefined },
    startScreen: { greeting: attr('greeting') || undefined },
    composer: { placeholder: attr('placeholder') || undefined },
    theme: { colorScheme: attr('color-scheme') || undefined },
    locale: attr('locale') || undefined,
  };
  const opts = merge(merge({
    api: {},
    theme: {},
    startScreen: { greeting: '', prompts: [] },
    composer: { placeholder: '', attachments: { enabled: false }, tools: [], models: [], dictation: { enabled: false } },
    threadItemActions: { feedback: true, retry: true },
    history: { enabled: true },
    header: {},
    thread: { autoScroll: true },
    frameTitle: '',
    disclaimer: null,
    entities: {},
    commands: [],
  }, fromAttributes), jsOptions);
  opts.locale = opts.locale || document.documentElement.lang || navigator.language || 'en';
  return opts;
}

/** A deep merge of plain objects; arrays and functions are replaced whole, and undefined leaves `base` alone. */
function merge(base, over) {
  const out = Object.assign({}, base);
  for (const [k, v] of Object.entries(over || {})) {
    if (v === undefined) continue;
    const isPlain = v && typeof v === 'object' && !Array.isArray(v) && typeof v !== 'function';
    out[k] = isPlain && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k]) ? merge(base[k], v) : v;
  }
  return out;
}
