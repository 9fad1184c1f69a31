// The Node ChatKit port under the same load as Parley (bench/sidebyside.sh): chatkit-node-backend-sdk behind
// Express, threads and items kept in memory, answering every message the way Parley's `echo` provider does
// ("You said: " and the message, streamed word by word as text deltas), and titling a new thread as Parley does.
// Not a product: it exists so that both servers do the same work per turn in one benchmark run.
import express from 'express';
import { ChatKitServer, Store } from 'chatkit-node-backend-sdk';

const WORD = /\S+\s*|\s+/g;
let counter = 0;
const id = (prefix) => `${prefix}_${process.pid.toString(16)}${(++counter).toString(16).padStart(12, '0')}`;

/** Threads and items in memory, per user, newest thread last. */
class MemoryStore extends Store {
  threads = new Map();   // thread id → { user, thread }
  byUser = new Map();    // user → [thread ids], oldest first
  items = new Map();     // thread id → [items], oldest first

  generateThreadId() { return id('thr'); }
  generateItemId() { return id('msg'); }

  #owned(threadId, context) {
    const row = this.threads.get(threadId);
    if (!row || row.user !== context.userId) throw new Error(`thread ${threadId} not found`);
    return row;
  }
  async loadThread(threadId, context) { return this.#owned(threadId, context).thread; }
  async saveThread(thread, context) {
    const row = this.threads.get(thread.id);
    if (row) { row.thread = thread; return; }
    this.threads.set(thread.id, { user: context.userId, thread });
    if (!this.byUser.has(context.userId)) this.byUser.set(context.userId, []);
    this.byUser.get(context.userId).push(thread.id);
    this.items.set(thread.id, []);
  }
  async deleteThread(threadId, context) {
    this.#owned(threadId, context);
    this.threads.delete(threadId);
    this.items.delete(threadId);
    const ids = this.byUser.get(context.userId);
    ids.splice(ids.indexOf(threadId), 1);
  }
  async loadThreads(limit, after, order, context) {
    const ids = this.byUser.get(context.userId) ?? [];
    const ofIds = page(ids, (t) => t, after, limit, order);
    return { ...ofIds, data: ofIds.data.map((t) => this.threads.get(t).thread) };
  }
  async loadThreadItems(threadId, after, limit, order) {
    return page(this.items.get(threadId) ?? [], (i) => i.id, after, limit, order);
  }
  async addThreadItem(threadId, item) { this.items.get(threadId).push(item); }
  async saveItem(threadId, item) {
    const items = this.items.get(threadId);
    const at = items.findIndex((i) => i.id === item.id);
    if (at >= 0) items[at] = item; else items.push(item);
  }
  async loadItem(threadId, itemId) {
    const item = (this.items.get(threadId) ?? []).find((i) => i.id === itemId);
    if (!item) throw new Error(`item ${itemId} not found`);
    return item;
  }
  async deleteThreadItem(threadId, itemId) {
    const items = this.items.get(threadId) ?? [];
    const at = items.findIndex((i) => i.id === itemId);
    if (at >= 0) items.splice(at, 1);
  }
  async saveAttachment() { throw new Error('attachments are not part of the benchmark'); }
  async loadAttachment() { throw new Error('attachments are not part of the benchmark'); }
  async deleteAttachment() { throw new Error('attachments are not part of the benchmark'); }
}

// A page of `rows` (oldest first) in the given order after the row whose key is `after`, without copying the rest:
// a first page costs O(limit), as a database index would make it.
function page(rows, key, after, limit, order) {
  const desc = order === 'desc';
  let at = desc ? rows.length - 1 : 0;
  if (after) {
    const found = rows.findLastIndex((r) => key(r) === after);
    at = found < 0 ? (desc ? -1 : rows.length) : (desc ? found - 1 : found + 1);
  }
  const data = [];
  for (; data.length < limit && at >= 0 && at < rows.length; at += desc ? -1 : 1) data.push(rows[at]);
  const more = desc ? at >= 0 : at < rows.length;
  return { data, has_more: more, after: data.length ? key(data[data.length - 1]) : null };
}

class EchoServer extends ChatKitServer {
  async *respond(thread, input) {
    const said = (input?.content ?? []).filter((c) => c.type === 'input_text').map((c) => c.text).join(' ').trim();
    const reply = said ? `You said: ${said}` : 'Nothing to echo.';
    const item = { type: 'assistant_message', id: this.store.generateItemId('message', thread), thread_id: thread.id,
      created_at: new Date().toISOString(), content: [] };
    yield { type: 'thread.item.added', item };
    yield { type: 'thread.item.updated', item_id: item.id,
      update: { type: 'assistant_message.content_part.added', content_index: 0, content: { type: 'output_text', text: '', annotations: [] } } };
    for (const piece of reply.match(WORD) ?? []) {
      yield { type: 'thread.item.updated', item_id: item.id,
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: piece } };
    }
    const content = { type: 'output_text', text: reply, annotations: [] };
    yield { type: 'thread.item.updated', item_id: item.id,
      update: { type: 'assistant_message.content_part.done', content_index: 0, content } };
    yield { type: 'thread.item.done', item: { ...item, content: [content] } };
    // Parley's title: the first words of the first message.
    if (!thread.title) thread.title = said.split(/\s+/).slice(0, 10).join(' ') + (said.split(/\s+/).length > 10 ? '…' : '');
  }
}

const server = new EchoServer(new MemoryStore());
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/chatkit', async (req, res) => {
  const context = { userId: req.get('authorization') ?? 'anonymous' };
  const result = await server.process(JSON.stringify(req.body), context);
  if (result.isStreaming) {
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    for await (const chunk of result) res.write(chunk);
    res.end();
  } else {
    res.json(result.toJSON());
  }
});
app.get('/healthz', (req, res) => res.json({ status: 'ok' }));
const port = Number(process.env.PORT ?? 18082);
app.listen(port, '127.0.0.1');
