// What each kind of thread item looks like. Pure building: the list in messages.js decides when an item is
// shown, updated or revealed, and passes in what its controls do.

import { h, icon } from './dom.js';
import { markdown } from './markdown.js';
import { renderWidget, SAFE_IMAGE } from './widgets.js';

export function textOf(item) {
  return (item.content || []).map((c) => c.text || '').join('\n\n');
}

/**
 * {@return the element for `entry.item`, or null for a kind the widget does not show}. An assistant message
 * keeps its element across updates, since its reveal timer and reply actions live on it.
 * `onWidgetAction(config, control)` runs a widget's buttons.
 */
export function buildItem(entry, t, onWidgetAction) {
  const item = entry.item;
  switch (item.type) {
    case 'user_message': {
      const text = (item.content || []).filter((c) => c.type !== 'input_tag').map((c) => c.text || '').join('');
      const el = h('div.msg.user', { 'data-id': item.id }, text);
      for (const tag of (item.content || []).filter((c) => c.type === 'input_tag')) {
        el.appendChild(document.createTextNode(' '));
        el.appendChild(h('span.tag', { 'data-entity': tag.id, text: '@' + (tag.text || tag.id) }));
      }
      if (item.attachments && item.attachments.length) {
        el.appendChild(h('div.chips.attachments', null, item.attachments.map((a) => (a.type === 'image' && a.preview_url
          ? h('img.thumb', { src: a.preview_url, alt: a.name || '' })
          : h('span.chip', null, icon('file'), h('span', { text: a.name || a.id }))))));
      }
      return el;
    }
    case 'assistant_message': {
      if (entry.el && entry.el.classList.contains('assistant')) return entry.el;
      return h('div.msg.assistant', { 'data-id': item.id, 'aria-label': t('assistant') },
        h('div.md', { part: 'reply' }));
    }
    case 'widget': {
      const el = h('div.msg.widget', { 'data-id': item.id }, renderWidget(item.widget, onWidgetAction, t));
      return el;
    }
    case 'client_tool_call':
      return h('div.tool', { 'data-id': item.id, text: '⚙ ' + item.name });
    case 'workflow': {
      const wf = item.workflow || {};
      const tasks = (wf.tasks || []).map((task) => task.title || task.content || '').filter(Boolean);
      const summary = wf.summary && (wf.summary.title || (wf.summary.duration != null ? wf.summary.duration + ' s' : ''));
      return h('div.tool', { 'data-id': item.id }, [summary || ''].concat(tasks).filter(Boolean).join(' · '));
    }
    case 'task':
      return h('div.tool', { 'data-id': item.id, text: (item.task && (item.task.title || item.task.content)) || '' });
    case 'generated_image':
      return item.image && SAFE_IMAGE.test(item.image.url || '')
        ? h('div.msg', { 'data-id': item.id }, h('img.w-image', { src: item.image.url, alt: '' })) : null;
    default:
      return null;
  }
}

/** A `notice` stream event: shown in the conversation, but not a thread item. */
export function buildNotice(event) {
  const notice = h('div.notice.' + (event.level || 'info'), { role: 'note' });
  if (event.title) notice.appendChild(h('strong', { text: event.title }));
  notice.appendChild(markdown.render(event.message || ''));
  return notice;
}

/**
 * {@return the list of what a reply cites, or null when it cites nothing}. Entity sources that are `interactive`
 * call the `entities.onClick` option with the entity.
 */
export function sourceList(item, t, entities) {
  const labels = [];
  const rows = [];
  for (const part of item.content || []) {
    for (const a of part.annotations || []) {
      const s = a.source || {};
      const label = s.title || s.label || s.filename || s.url || '';
      if (!label || labels.includes(label)) continue;
      labels.push(label);
      const li = h('li', { text: label });
      if (s.type === 'entity' && s.interactive && entities && typeof entities.onClick === 'function') {
        li.className = 'entity';
        li.tabIndex = 0;
        li.setAttribute('role', 'button');
        const entity = { id: s.id, title: label, icon: s.icon, interactive: true, group: s.group, data: s.data || {} };
        li.addEventListener('click', () => entities.onClick(entity));
        li.addEventListener('keydown', (e) => { if (e.key === 'Enter') entities.onClick(entity); });
      }
      rows.push(li);
    }
  }
  return rows.length ? h('ul.sources', { 'aria-label': t('sources') }, rows) : null;
}

/**
 * The bar under a finished reply: copy, and (unless the options turn them off) thumbs up/down and "try again".
 * `on.feedback(kind, bar)` and `on.retry()` do the talking to the server.
 */
export function replyActions(entry, actions, t, on) {
  const o = actions || {};
  const bar = h('div.actions', { part: 'reply-actions' });
  const copy = h('button.icon-btn', { type: 'button', 'aria-label': t('copy'), title: t('copy') }, icon('copy'));
  copy.addEventListener('click', async () => {
    await copyText(textOf(entry.item));
    copy.setAttribute('aria-label', t('copied'));
    copy.title = t('copied');
    setTimeout(() => { copy.setAttribute('aria-label', t('copy')); copy.title = t('copy'); }, 1500);
  });
  bar.appendChild(copy);
  if (o.feedback !== false) {
    for (const [kind, label, name] of [['positive', 'good', 'thumbs-up'], ['negative', 'bad', 'thumbs-down']]) {
      const b = h('button.icon-btn', { type: 'button', 'aria-label': t(label), title: t(label),
        'aria-pressed': 'false', 'data-feedback': kind }, icon(name));
      b.addEventListener('click', () => on.feedback(kind, bar));
      bar.appendChild(b);
    }
  }
  if (o.retry !== false) {
    const r = h('button.icon-btn', { type: 'button', 'aria-label': t('retryReply'), title: t('retryReply'),
      'data-retry': '' }, icon('retry'));
    r.addEventListener('click', () => on.retry());
    bar.appendChild(r);
  }
  return bar;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Plain-HTTP pages have no clipboard API; a hidden textarea and the old command still work there.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.cssText = 'position:fixed;opacity:0;';
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}
