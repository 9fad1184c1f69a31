// Conversations: the threads of every user, newest first, optionally only those with negative feedback; one
// thread's messages with their feedback; and from an assistant message, the run that produced it drawn on the
// canvas (the canvas switches to the workflow version the run used, as the runs panel does).

import { h } from './dom.js';
import { admin, call } from './api.js';
import { openPanel } from './panel.js';
import { status } from './editor.js';
import { pathOf, traceView } from './trace.js';

const PAGE = 50;
const threads = (query) => call('GET', '/admin/threads?' + new URLSearchParams(query));
const thread = (id) => call('GET', '/admin/threads/' + encodeURIComponent(id));

let negativeOnly = false;

/** Opens the panel on the list of threads. */
export async function showConversations(editor) {
  const filter = h('input', { type: 'checkbox', id: 'conv-negative', checked: negativeOnly });
  const list = h('ol', { class: 'conv-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'small conv-more', hidden: true }, 'More');
  const body = h('div', { class: 'conversations' },
    h('label', { class: 'conv-filter' }, filter, ' Negative feedback only'), list, more);
  let after = null;
  const load = async (reset) => {
    if (reset) {
      after = null;
      list.replaceChildren();
    }
    const query = { limit: PAGE };
    if (after) query.after = after;
    if (negativeOnly) query.feedback = 'negative';
    let res;
    try {
      res = await threads(query);
    } catch (err) {
      list.append(h('li', { class: 'error', text: err.message }));
      return;
    }
    if (reset && !res.data.length) {
      list.append(h('li', { class: 'muted', text: negativeOnly ? 'No thread has negative feedback.' : 'No conversations yet.' }));
    }
    for (const t of res.data) list.append(row(editor, t));
    after = res.after;
    more.hidden = !res.has_more;
  };
  filter.addEventListener('change', () => {
    negativeOnly = filter.checked;
    load(true);
  });
  more.addEventListener('click', () => load(false));
  openPanel('conversations', 'Conversations', body);
  await load(true);
  filter.focus();
}

function row(editor, t) {
  const when = new Date(t.last_item_at || t.created_at).toLocaleString();
  return h('li', { dataset: { threadId: t.thread_id } },
    h('button', { type: 'button', class: 'conv', onclick: () => showThread(editor, t.thread_id) },
      h('span', { class: 'conv-title', text: t.title || '(untitled)' }),
      t.negative_feedback ? h('span', { class: 'conv-negative', title: t.negative_feedback + ' negative feedback',
        text: '👎 ' + t.negative_feedback }) : null,
      h('span', { class: 'muted conv-meta', text: t.user_id + ' · ' + when })));
}

async function showThread(editor, id) {
  let res;
  try {
    res = await thread(id);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  const back = h('button', { type: 'button', class: 'small conv-back', onclick: () => showConversations(editor) },
    '← All conversations');
  const items = h('ol', { class: 'conv-items' }, ...res.items.map((entry) => item(editor, id, entry)));
  const body = h('div', { class: 'conversation', dataset: { threadId: id } }, back,
    h('p', { class: 'muted', text: res.thread.user_id + ' · ' + new Date(res.thread.created_at).toLocaleString() }),
    items,
    res.items_truncated ? h('p', { class: 'muted', text: 'Only the first ' + res.items.length + ' items are shown.' }) : null);
  openPanel('conversations', res.thread.title || '(untitled)', body);
  back.focus();
}

function item(editor, threadId, entry) {
  const it = entry.item;
  const role = it.type === 'user_message' ? 'user' : it.type === 'assistant_message' ? 'assistant' : 'other';
  const text = (it.content || []).map((c) => c.text || '').filter(Boolean).join('\n');
  const negative = entry.feedback.filter((k) => k === 'negative').length;
  const positive = entry.feedback.length - negative;
  return h('li', { class: 'conv-item ' + role, dataset: { itemId: it.id, role } },
    h('p', { class: 'who' }, h('span', { class: 'role', text: role === 'other' ? it.type.replaceAll('_', ' ') : role }),
      negative ? h('span', { class: 'conv-negative', text: ' 👎 negative' }) : null,
      positive ? h('span', { class: 'conv-positive', text: ' 👍 positive' }) : null),
    text ? h('p', { class: 'conv-text', text }) : null,
    entry.run_id ? h('button', { type: 'button', class: 'small show-run', dataset: { runId: entry.run_id },
      onclick: () => showRun(editor, threadId, entry.run_id) }, 'Show run') : null);
}

/** Draws the run on the graph it went through: the workflow version the run used, opened unless already shown. */
async function showRun(editor, threadId, runId) {
  let trace;
  try {
    trace = await admin.trace(runId);
  } catch (err) {
    status(err.message, 'error');
    return;
  }
  const shown = editor.workflowId === trace.workflow_id && editor.base && editor.base.version === trace.version;
  // Opening asks before discarding a draft with unsaved changes; declined, the canvas stays as it was.
  if (!shown) await editor.open(trace.workflow_id, trace.version);
  const back = h('button', { type: 'button', class: 'small conv-back', onclick: () => showThread(editor, threadId) },
    '← Back to the conversation');
  const body = h('div', { class: 'trace' }, back);
  if (editor.workflowId !== trace.workflow_id || editor.base.version !== trace.version) {
    body.append(h('p', { class: 'error', text: 'This run used ' + trace.workflow_id + ' v' + trace.version
      + '; keep the canvas\'s unsaved changes or open that version to see the run on its graph.' }));
  } else {
    editor.canvas.highlight(pathOf(trace));
  }
  body.append(traceView(trace, 'Run ' + runId));
  openPanel('conversations', 'Run of a conversation', body, () => editor.canvas && editor.canvas.highlight([]));
  back.focus();
}
