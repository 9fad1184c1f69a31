// The composer's optional parts, each off until its option is set: tool choice (`composer.tools`), the model
// picker (`composer.models`), dictation (`composer.dictation`), entity tags typed after "@" (`entities`) and
// commands typed after "/" (`commands`). What they select travels with the next message as `inference_options`
// and `input_tag` content, as ChatKit's composer sends them.

import { h, icon } from './dom.js';

export class ComposerExtras {
  #state;
  #alerts;
  #composer;
  #toolId = null;
  #modelId = null;
  /** Entities picked for the next message, shown as tags above the field. */
  #tags = [];
  #recorder = null;
  /** The suggestion list open now: {kind: 'tag'|'command', items, index}, or null. */
  #menu = null;
  /** Bumped per keystroke, so a tag search that answers late cannot show stale results. */
  #searchToken = 0;

  constructor(state, alerts, composer) {
    this.#state = state;
    this.#alerts = alerts;
    this.#composer = composer;
  }

  get toolId() {
    return this.#toolId;
  }

  /** Builds or refreshes the parts the options ask for; runs on every reconfiguration. */
  configure() {
    const { ui, options: o, t } = this.#state;
    if (!ui.tools) {
      ui.tools = h('div.composer-tools', { part: 'composer-tools' });
      ui.suggest = h('ul.suggest', { role: 'listbox', hidden: true });
      ui.tagChips = h('div.chips.tags', { hidden: true });
      ui.mic = h('button.icon-btn.mic', { type: 'button', 'aria-pressed': 'false', onclick: () => this.toggleDictation() }, icon('mic'));
      ui.composer.insertBefore(ui.suggest, ui.form);
      ui.composer.insertBefore(ui.tagChips, ui.form);
      ui.composer.insertBefore(ui.tools, ui.form);
      ui.form.insertBefore(ui.mic, ui.send);
      // entities.showComposerMenu: a button that starts a tag search, for visitors who do not know about "@".
      ui.tagBtn = h('button.icon-btn.tag-btn', { type: 'button', onclick: () => this.#startTag() }, icon('at'));
      ui.form.insertBefore(ui.tagBtn, ui.input);
      ui.input.addEventListener('input', () => this.#suggest());
      ui.input.addEventListener('keydown', (e) => this.#menuKey(e), true);
    }
    const tools = Array.isArray(o.composer.tools) ? o.composer.tools : [];
    if (this.#toolId && !tools.some((tool) => tool.id === this.#toolId)) this.#toolId = null;
    const models = (Array.isArray(o.composer.models) ? o.composer.models : []).filter((m) => m && m.id);
    if (!models.some((m) => m.id === this.#modelId && !m.disabled)) {
      const preferred = models.find((m) => m.default && !m.disabled) || models.find((m) => !m.disabled);
      this.#modelId = preferred ? preferred.id : null;
    }
    const pinnedFirst = tools.filter((tool) => tool.pinned).concat(tools.filter((tool) => !tool.pinned));
    ui.tools.replaceChildren(...pinnedFirst.map((tool) => h('button.tool-btn', { type: 'button', 'data-tool': tool.id,
      'aria-pressed': String(tool.id === this.#toolId), title: tool.label || tool.id,
      onclick: () => this.setTool(tool.id === this.#toolId ? null : tool.id) },
    icon(tool.icon), tool.id === this.#toolId && tool.shortLabel ? tool.shortLabel : (tool.label || tool.id))));
    if (models.length) {
      const select = h('select.model-select', { 'aria-label': t('model'),
        onchange: (e) => { this.#modelId = e.target.value; } },
      models.map((m) => h('option', { value: m.id, text: m.label || m.id, disabled: !!m.disabled, title: m.description || null })));
      select.value = this.#modelId || '';
      ui.tools.appendChild(select);
    }
    ui.tagBtn.hidden = !(o.entities && o.entities.showComposerMenu && typeof o.entities.onTagSearch === 'function');
    ui.tagBtn.setAttribute('aria-label', t('addTag'));
    const dictation = o.composer.dictation;
    ui.mic.hidden = !(dictation && dictation.enabled) || !(navigator.mediaDevices && window.MediaRecorder);
    ui.mic.setAttribute('aria-label', t(this.#recorder ? 'stopDictation' : 'dictate'));
    this.#applyPlaceholder();
  }

  /** Selects a composer tool (null for none) and announces `tool.change`. */
  setTool(id) {
    const tools = this.#state.options.composer.tools || [];
    const next = tools.some((tool) => tool.id === id) ? id : null;
    if (next === this.#toolId) return;
    this.#toolId = next;
    this.configure();
    this.#state.emit('tool.change', { toolId: next });
  }

  setModel(id) {
    const models = this.#state.options.composer.models || [];
    if (models.some((m) => m.id === id && !m.disabled)) this.#modelId = id;
    this.configure();
  }

  /** {@return the inference options for a message: the tool and model picked, unless `override` names others} */
  inference(override) {
    const o = override || {};
    const toolId = o.toolChoice !== undefined ? (o.toolChoice && (o.toolChoice.id || o.toolChoice)) : this.#toolId;
    const model = o.model !== undefined ? o.model : this.#modelId;
    const out = {};
    if (toolId) out.tool_choice = { id: String(toolId) };
    if (model) out.model = String(model);
    return out;
  }

  /** {@return the message content for `text` plus the picked tags; empties the tags} */
  takeContent(text) {
    const content = text.trim() ? [{ type: 'input_text', text }] : [];
    for (const e of this.#tags) {
      content.push({ type: 'input_tag', id: String(e.id), text: String(e.title || e.id), data: e.data || {},
        group: e.group || null, interactive: !!e.interactive });
    }
    this.#tags = [];
    this.#renderTags();
    return content;
  }

  get hasTags() {
    return this.#tags.length > 0;
  }

  // ---- dictation ----------------------------------------------------------------------------------------

  async toggleDictation() {
    if (this.#recorder) {
      this.#recorder.stop();
      return;
    }
    const { ui, t } = this.#state;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      this.#alerts.showMessage(t('micRefused'), null);
      this.#state.emit('error', { error: e });
      return;
    }
    const type = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4']
      .find((m) => MediaRecorder.isTypeSupported(m));
    const recorder = this.#recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const chunks = [];
    recorder.addEventListener('dataavailable', (e) => { if (e.data && e.data.size) chunks.push(e.data); });
    recorder.addEventListener('stop', async () => {
      stream.getTracks().forEach((track) => track.stop());
      this.#recorder = null;
      this.configure();
      ui.mic.setAttribute('aria-pressed', 'false');
      const mime = recorder.mimeType || type || 'audio/webm';
      await this.#transcribe(new Blob(chunks, { type: mime }), mime);
    });
    recorder.start();
    ui.mic.setAttribute('aria-pressed', 'true');
    ui.mic.setAttribute('aria-label', t('stopDictation'));
    this.#state.emit('log', { name: 'dictation.start', data: { mimeType: recorder.mimeType } });
  }

  async #transcribe(blob, mime) {
    const state = this.#state;
    state.ui.progress.textContent = state.t('transcribing');
    try {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      const res = await state.api.request('input.transcribe', { audio_base64: btoa(binary), mime_type: mime });
      const said = String(res.text || '').trim();
      if (said) {
        const current = state.ui.input.value;
        this.#composer.setText(current && !/\s$/.test(current) ? current + ' ' + said : current + said);
        this.#composer.focus();
      }
    } catch (e) {
      this.#alerts.showError(e, null, state.t('dictationFailed'));
    } finally {
      state.ui.progress.textContent = '';
    }
  }

  // ---- "@" tags and "/" commands ------------------------------------------------------------------------

  async #suggest() {
    const { ui, options: o } = this.#state;
    const before = ui.input.value.slice(0, ui.input.selectionEnd);
    const token = ++this.#searchToken;
    const tag = /(?:^|\s)@([^\s@]*)$/.exec(before);
    if (tag && o.entities && typeof o.entities.onTagSearch === 'function') {
      let found;
      try {
        found = await o.entities.onTagSearch(tag[1]);
      } catch (e) {
        found = [];
        this.#state.emit('error', { error: e });
      }
      if (token !== this.#searchToken) return;
      this.#openMenu('tag', (Array.isArray(found) ? found : []).filter((e) => e && e.id).slice(0, 8), tag[1].length + 1);
      return;
    }
    const command = /^\/(\S*)$/.exec(before);
    if (command && Array.isArray(o.commands) && o.commands.length) {
      const q = command[1].toLowerCase();
      this.#openMenu('command', o.commands.filter((c) => c && c.name && String(c.name).toLowerCase().startsWith(q)),
        command[0].length);
      return;
    }
    this.#closeMenu();
  }

  #startTag() {
    const input = this.#state.ui.input;
    const before = input.value;
    this.#composer.setText(before + (before && !/\s$/.test(before) ? ' @' : '@'));
    this.#composer.focus();
    input.selectionStart = input.selectionEnd = input.value.length;
    this.#suggest();
  }

  #openMenu(kind, items, replaceLength) {
    const ui = this.#state.ui;
    if (!items.length) {
      this.#closeMenu();
      return;
    }
    this.#menu = { kind, items, index: 0, replaceLength };
    ui.suggest.replaceChildren(...items.map((item, i) => h('li', { role: 'option', 'data-index': String(i),
      'aria-selected': String(i === 0), onmousedown: (e) => { e.preventDefault(); this.#pick(i); } },
    kind === 'tag' ? h('span', { text: item.title || item.id }) : h('span', { text: '/' + item.name }),
    h('small', { text: kind === 'tag' ? (item.group || '') : (item.description || '') }))));
    ui.suggest.hidden = false;
  }

  #closeMenu() {
    this.#menu = null;
    this.#state.ui.suggest.hidden = true;
  }

  #menuKey(e) {
    const menu = this.#menu;
    if (!menu) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      menu.index = (menu.index + (e.key === 'ArrowDown' ? 1 : menu.items.length - 1)) % menu.items.length;
      for (const li of this.#state.ui.suggest.children) li.setAttribute('aria-selected', String(Number(li.dataset.index) === menu.index));
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      e.stopImmediatePropagation();
      this.#pick(menu.index);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.#closeMenu();
    }
  }

  #pick(index) {
    const menu = this.#menu;
    const input = this.#state.ui.input;
    const item = menu.items[index];
    const end = input.selectionEnd;
    const head = input.value.slice(0, end - menu.replaceLength);
    const tail = input.value.slice(end);
    this.#closeMenu();
    if (menu.kind === 'tag') {
      if (!this.#tags.some((e) => e.id === item.id)) this.#tags.push(item);
      this.#renderTags();
      this.#composer.setText((head + tail).replace(/\s+$/, '') + (head || tail ? ' ' : ''));
    } else {
      this.#composer.setText(item.prompt != null ? String(item.prompt) : '/' + item.name + ' ');
      if (typeof item.onSelect === 'function') item.onSelect(item);
    }
    this.#composer.focus();
  }

  #renderTags() {
    const { ui, t } = this.#state;
    ui.tagChips.hidden = !this.#tags.length;
    ui.tagChips.replaceChildren(...this.#tags.map((e) => h('span.chip.tag', { 'data-entity': e.id }, h('span', { text: '@' + (e.title || e.id) }),
      h('button.icon-btn', { type: 'button', 'aria-label': t('removeTag') + ' ' + (e.title || e.id),
        onclick: () => { this.#tags = this.#tags.filter((x) => x !== e); this.#renderTags(); } }, icon('close')))));
  }

  #applyPlaceholder() {
    const { ui, options: o, t } = this.#state;
    const tool = (o.composer.tools || []).find((x) => x.id === this.#toolId);
    const placeholder = (tool && tool.placeholderOverride) || o.composer.placeholder || t('placeholder');
    ui.input.setAttribute('placeholder', placeholder);
    ui.input.setAttribute('aria-label', placeholder);
  }
}
