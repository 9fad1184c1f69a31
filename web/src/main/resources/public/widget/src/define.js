// The script's entry point: registers <parley-chat> and offers window.Parley for pages that mount the widget
// from script. Everything else stays inside the bundle.

import { ParleyChatElement } from './element.js';

ParleyChatElement.define();

const PARLEY = Object.freeze({
  __parley: true,
  /** Creates a <parley-chat> with these options and adds it to `options.container` (default: the body). */
  mount(options) {
    const opts = Object.assign({}, options || {});
    const container = opts.container || document.body;
    delete opts.container;
    const tag = opts.tag || 'parley-chat';
    delete opts.tag;
    if (tag !== 'parley-chat') ParleyChatElement.define(tag);
    const el = document.createElement(tag);
    el.setOptions(opts);
    container.appendChild(el);
    return el;
  },
  define: (tag, registry) => ParleyChatElement.define(tag, registry),
  Element: ParleyChatElement,
});

// A page's own `Parley` is left alone; the element still works, configured by attributes or setOptions.
if (window.Parley === undefined) window.Parley = PARLEY;
else console.warn('Parley: window.Parley is taken by the page; use <parley-chat> and its setOptions() instead');
