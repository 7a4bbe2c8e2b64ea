// The SDK's identity in open mode, large rooms joined in parts, presence, streams and leadership,
// against the real packaged server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, within } from '../../../../e2e/lib/server.mjs';
import { LivestateClient, fileStorage } from '../src/index.js';
import { token, until, WebSocket } from './helpers.mjs';

const servers = [];
const clients = [];
after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) {
    await s.stop();
    s.cleanup();
  }
});

async function server(opts) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

function client(url, options) {
  const c = new LivestateClient(url + '/ws', { WebSocket, minDelay: 50, maxDelay: 300, ...options });
  clients.push(c);
  return c;
}

/** A hello from a raw connection: the server's answer. */
async function hello(s, fields) {
  const ws = new WebSocket(s.wsUrl + '/ws');
  await within(new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject)), 10000, 'a raw connection');
  const answer = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
  ws.send(JSON.stringify({ type: 'hello', id: 1, ...fields }));
  try {
    return await within(answer, 10000, 'the answer to hello');
  } finally {
    ws.close();
  }
}

test('in open mode the client keeps its id and resume secret in its storage, and only it may write as that id', async () => {
  const s = await server({ open: true });
  const file = join(mkdtempSync(join(tmpdir(), 'livestate-sdk-')), 'client.json');
  const first = client(s.wsUrl, { storage: fileStorage(file) });
  const room = first.room('notes', { create: true });
  await room.ready;
  await room.set('a', 1);
  await first.flush();
  first.close();
  const stored = JSON.parse(readFileSync(file, 'utf8'));
  assert.match(stored.clientId, /^u-/);
  assert.ok(stored.resume, 'the resume secret is stored');

  const impostor = await hello(s, { clientId: stored.clientId });
  assert.equal(impostor.code, 'unauthorized', 'the id without its secret is refused');

  const second = client(s.wsUrl, { storage: fileStorage(file) });
  const again = second.room('notes');
  await again.ready;
  assert.equal(second.clientId, stored.clientId);
  assert.deepEqual(await again.set('b', 2), { seq: 2 });
  const fresh = client(s.wsUrl, {}).room('notes');
  await fresh.ready;
  assert.deepEqual(fresh.state(), { a: 1, b: 2 });
});

test('a room larger than a part is joined in parts, snapshot and catch-up alike', async () => {
  const s = await server();
  const big = (c) => c.repeat(700 * 1024);
  const writer = client(s.wsUrl, { token: token('big-writer') });
  const w = writer.room('sdk-big', { create: true });
  await w.ready;
  await Promise.all([w.set('one', big('a')), w.set('two', big('b')), w.set('three', big('c'))]);

  const file = join(mkdtempSync(join(tmpdir(), 'livestate-sdk-')), 'reader.json');
  const reader = client(s.wsUrl, { token: token('big-reader'), storage: fileStorage(file) });
  const r = reader.room('sdk-big');
  await r.ready;
  assert.deepEqual(Object.keys(r.state()), ['one', 'two', 'three'], 'every part of the snapshot');
  assert.equal(r.get('three').length, 700 * 1024);
  assert.equal(r.seq, 3);
  await reader.flush();
  reader.close();

  await Promise.all([w.set('four', big('d')), w.set('five', big('e')), w.set('one', 'small')]);
  const back = client(s.wsUrl, { token: token('big-reader'), storage: fileStorage(file) });
  const b = back.room('sdk-big');
  await b.ready;
  await until(() => back.status === 'online');
  assert.equal(b.seq, 6, 'every part of the catch-up');
  assert.deepEqual(b.state(), w.state());
  w.set('six', 6);
  await until(() => b.get('six') === 6, 'live ops after the parts');
});

test('presence, the room\'s stream and leadership', async () => {
  const s = await server();
  const ada = client(s.wsUrl, { token: token('ada', { role: 'leader' }) });
  const bob = client(s.wsUrl, { token: token('bob') });
  const a = ada.room('sdk-meeting', { create: true });
  await a.ready;
  const b = bob.room('sdk-meeting');
  await b.ready;

  const seen = [];
  b.on('presence', (others) => seen.push(others));
  a.presence.set({ name: 'Ada' });
  await until(() => b.presence.get().ada?.name === 'Ada', 'bob sees ada');
  assert.deepEqual(seen.at(-1), { ada: { name: 'Ada' } });

  const leaders = [];
  b.on('leader', (e) => leaders.push(e));
  assert.equal((await a.lead()).granted, true);
  await until(() => b.leader === 'ada');
  assert.deepEqual(leaders, [{ leader: 'ada', previous: null }]);
  assert.equal((await a.unlead()).released, true);
  await until(() => b.leader === null);

  const messages = [];
  b.on('message', (m) => messages.push(m));
  const published = await a.publish({ text: 'minutes are up' }, 1700000000000);
  assert.equal(published.time, 1700000000000);
  await until(() => messages.length === 1);
  assert.deepEqual(messages[0].body, { text: 'minutes are up' });
  assert.deepEqual((await b.history({ from: 0, to: Date.now() })).map((m) => m.body), [{ text: 'minutes are up' }]);

  ada.close();
  await until(() => !('ada' in b.presence.get()), 'ada gone when she leaves');
});
