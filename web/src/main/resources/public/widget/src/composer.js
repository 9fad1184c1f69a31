// The text field, the send/stop button and the attachments. A file uploads as soon as it is picked
// (attachments.create, then its bytes), so pressing Send waits only for uploads still in flight. The draft
// is kept in localStorage until the server has the message, so nothing typed is lost to a failure or a reload.

import { h, icon } from './dom.js';
import { local } from './storage.js';

export class Composer {
  #state;
  #alerts;
  #onStop;
  /** {file, id, failed}: id is set once the server has the bytes. */
  #uploads = [];

  /** `onStop` cancels the reply in progress; the send button turns into it while a reply may be cancelled. */
  constructor(state, alerts, onStop) {
    this.#state = state;
    this.#alerts = alerts;
    this.#onStop = onStop;
  }

  /** Applies the options: labels, attachment settings, the stop button (`stop`), a saved draft. */
  configure(stop) {
    const { ui, options: o, t } = this.#state;
    const attachments = o.composer.attachments || {};
    ui.attach.hidden = !attachments.enabled;
    ui.attach.setAttribute('aria-label', t('attach'));
    if (attachments.accept) ui.file.setAttribute('accept', [].concat(attachments.accept).join(','));
    this.setSendMode(stop);
    if (!ui.input.value) {
      const draft = local(this.#state.key('draft'));
      if (draft) ui.input.value = draft;
    }
  }

  setSendMode(stop) {
    const { ui, t } = this.#state;
    const send = ui.send;
    send.replaceChildren(icon(stop ? 'stop' : 'send'));
    send.setAttribute('aria-label', t(stop ? 'stop' : 'send'));
    send.type = stop ? 'button' : 'submit';
    send.onclick = stop ? () => this.#onStop() : null;
  }

  focus() {
    if (this.#state.ui) this.#state.ui.input.focus();
  }

  setText(text) {
    this.#state.ui.input.value = text;
    this.saveDraft();
    this.autosize();
  }

  autosize() {
    const input = this.#state.ui.input;
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 160) + 'px';
  }

  saveDraft() {
    local(this.#state.key('draft'), this.#state.ui.input.value || null);
  }

  /** {@return what Send would send now, {text, uploads}, or null while there is nothing or an upload is unfinished} */
  ready(hasTags) {
    if (this.#uploads.some((u) => !u.id && !u.failed)) return null;
    const text = this.#state.ui.input.value;
    const uploads = this.#uploads.filter((u) => u.id);
    if (!text.trim() && !uploads.length && !hasTags) return null;
    return { text, uploads };
  }

  /**
   * Empties the field and the attachments for a message being sent and returns the attachments. The draft is
   * left saved: it goes only once the server has the message.
   */
  takeAll() {
    const sent = this.#uploads;
    this.#state.ui.input.value = '';
    this.autosize();
    this.#uploads = [];
    this.#renderChips();
    return sent;
  }

  /** Puts an unsent message back: its text unless something new was typed meanwhile, and its attachments. */
  giveBack(text, uploads) {
    const input = this.#state.ui.input;
    if (!input.value) input.value = text;
    this.saveDraft();
    this.autosize();
    this.#uploads = uploads.concat(this.#uploads);
    this.#renderChips();
  }

  /** Empties the field if it still holds `text`: the server turned out to have that message after all. */
  discard(text) {
    const input = this.#state.ui.input;
    if (input.value !== text) return;
    input.value = '';
    this.saveDraft();
    this.autosize();
  }

  pickFiles() {
    const ui = this.#state.ui;
    const files = Array.from(ui.file.files || []);
    ui.file.value = '';
    const limits = this.#state.options.composer.attachments || {};
    for (const file of files) {
      if (limits.maxCount && this.#uploads.length >= limits.maxCount) break;
      const upload = { file, id: null, failed: false };
      this.#uploads.push(upload);
      if (limits.maxSize && file.size > limits.maxSize) {
        upload.failed = true;
        continue;
      }
      this.#upload(upload);
    }
    this.#renderChips();
  }

  async #upload(upload) {
    upload.failed = false;
    this.#renderChips();
    try {
      const file = upload.file;
      const created = await this.#state.api.request('attachments.create',
        { name: file.name, size: file.size, mime_type: file.type || 'application/octet-stream' });
      if (created.upload_descriptor) await this.#state.api.upload(created.upload_descriptor, file);
      upload.id = created.id;
    } catch (e) {
      upload.failed = true;
      this.#alerts.showError(e, () => this.#upload(upload));
    }
    this.#renderChips();
  }

  #renderChips() {
    const { ui, t } = this.#state;
    ui.chips.hidden = !this.#uploads.length;
    ui.chips.replaceChildren(...this.#uploads.map((u) => h('span.chip' + (u.failed ? '.failed' : ''), null,
      icon('file'),
      h('span', { text: u.file.name + (u.failed ? ' — ' + t('uploadFailed') : u.id ? '' : ' — ' + t('uploading')) }),
      h('button.icon-btn', { type: 'button', 'aria-label': t('removeAttachment') + ' ' + u.file.name,
        onclick: () => this.#remove(u) }, icon('close')))));
    ui.send.disabled = this.#uploads.some((u) => !u.id && !u.failed);
  }

  #remove(upload) {
    this.#uploads = this.#uploads.filter((u) => u !== upload);
    if (upload.id) this.#state.api.request('attachments.delete', { attachment_id: upload.id }).catch(() => {});
    this.#renderChips();
    this.focus();
  }
}
