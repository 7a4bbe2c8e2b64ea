// The SDK (src/) against the real packaged server, in token mode, over the `ws` package.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { JAR, SECRET, startServer } from '../../../../e2e/lib/server.mjs';
import { startProxy } from '../../../../e2e/lib/proxy.mjs';
import { LivestateClient, fileStorage } from '../src/index.js';
import { token, opsOf, until, WebSocket } from './helpers.mjs';

const servers = [];
const clients = [];
after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) {
    await s.stop().catch(() => {});
    s.cleanup();
  }
});

async function server(opts) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

function client(url, sub, options = {}) {
  const { role, priority, ...rest } = options;
  const c = new LivestateClient(url + '/ws', { token: token(sub, { role, priority }), WebSocket, minDelay: 50, maxDelay: 300, ...rest });
  clients.push(c);
  return c;
}

const settled = (...rooms) => rooms.every((r) => r.joined && r.pendingCount === 0);

test('two clients converge after 1,000 interleaved changes', async () => {
  const s = await server();
  const alice = client(s.wsUrl, 'alice');
  const bob = client(s.wsUrl, 'bob');
  const a = alice.room('sdk-converge', { create: { policy: 'last-writer-wins' } });
  await a.ready;
  const b = bob.room('sdk-converge');
  await b.ready;
  const answers = [];
  for (let i = 0; i < 500; i++) {
    answers.push(a.set(`k${i % 40}`, { by: 'alice', i }));
    answers.push(i % 7 === 0 ? b.delete(`k${(i + 3) % 40}`) : b.set(`k${(i + 3) % 40}`, { by: 'bob', i }));
  }
  const seqs = await Promise.all(answers);
  assert.equal(new Set(seqs.map((r) => r.seq)).size, 1000, 'every change acked with its own seq');
  await until(() => settled(a, b) && a.seq === 1000 && b.seq === 1000, 'both rooms at seq 1000', 30000);
  assert.deepEqual(a.state(), b.state());
  const { state } = await opsOf(s, 'sdk-converge');
  assert.deepEqual(a.state(), state, 'what the server holds');
  assert.deepEqual(Object.keys(a.state()), Object.keys(state), 'in the room\'s key order');
});

test('changes written while the server is down land exactly once after it restarts, from a client restarted on its file', async () => {
  const s = await server();
  const proxy = await startProxy(s.port);
  const url = `ws://127.0.0.1:${proxy.port}`;
  const file = join(mkdtempSync(join(tmpdir(), 'livestate-sdk-')), 'client.json');
  const first = client(url, 'writer', { storage: fileStorage(file) });
  const room = first.room('sdk-offline', { create: { policy: 'last-writer-wins', durable: true } });
  await room.ready;
  await room.set('before', 1);
  // decided and committed, but the answers never reach the client: the server dies after them
  proxy.deafen();
  for (let i = 0; i < 5; i++) room.set(`racing${i}`, i);
  await until(async () => (await opsOf(s, 'sdk-offline')).seq === 6, 'the racing changes committed');
  assert.equal(room.pendingCount, 5, 'unanswered');
  await s.kill();
  proxy.cut();
  await until(() => first.status === 'offline', 'the client offline');
  for (let i = 0; i < 50; i++) room.set(`offline${i}`, i);
  assert.equal(room.get('offline49'), 49, 'applied locally at once');
  await first.flush();
  first.close();

  const again = await server({ dataDir: s.dataDir });
  proxy.retarget(again.port);
  proxy.restore();
  const second = client(url, 'writer', { storage: fileStorage(file) });
  const back = second.room('sdk-offline');
  await back.restored;
  assert.equal(back.get('offline49'), 49, 'the queue came back from the file');
  assert.ok(back.pendingCount >= 50);
  await back.ready;
  await until(() => settled(back), 'every change answered', 20000);

  const { ops, state } = await opsOf(again, 'sdk-offline');
  for (const key of [...Array(50).keys()].map((i) => `offline${i}`).concat([...Array(5).keys()].map((i) => `racing${i}`))) {
    assert.equal(ops.filter((op) => op.set && key in op.set).length, 1, `${key} written once`);
  }
  assert.equal(ops.length, 56);
  assert.deepEqual(back.state(), state);
  assert.equal(back.seq, 56);
  proxy.close();
});

test('a lower-priority client\'s conflicting change rolls back to the winner\'s value, with a conflict event', async () => {
  const s = await server();
  const proxy = await startProxy(s.port);
  const high = client(s.wsUrl, 'high', { priority: 5 });
  const low = client(`ws://127.0.0.1:${proxy.port}`, 'low', { priority: 1 });
  const h = high.room('sdk-conflict', { create: { policy: 'priority' } });
  await h.ready;
  const l = low.room('sdk-conflict');
  await l.ready;
  await h.set('speaker', 'Ada');
  await until(() => l.get('speaker') === 'Ada');

  proxy.cut();
  await until(() => low.status === 'offline');
  await h.set('speaker', 'Grace');
  await h.set('agenda', ['budget']);
  const conflicts = [];
  const changes = [];
  l.on('conflict', (c) => conflicts.push(c));
  l.on('change', (c) => changes.push(c));
  const mine = l.set('speaker', 'Linus');
  assert.equal(l.get('speaker'), 'Linus', 'optimistic while offline');
  proxy.restore();
  await assert.rejects(mine, (e) => e.code === 'conflict' && e.winners.speaker.value === 'Grace');
  assert.equal(l.get('speaker'), 'Grace');
  assert.deepEqual(conflicts, [{ key: 'speaker', mine: 'Linus', winner: 'Grace', seq: 2, writer: 'high' }]);
  assert.deepEqual(changes.map((c) => [c.key, c.value, c.origin]),
    [['speaker', 'Linus', 'local'], ['agenda', ['budget'], 'remote'], ['speaker', 'Grace', 'rollback']],
    'what the catch-up brought, then the rollback');
  assert.equal(h.get('speaker'), 'Grace');
  proxy.close();
});

test('a reader\'s set rejects with forbidden and rolls back', async () => {
  const s = await server();
  const writer = client(s.wsUrl, 'editor');
  const w = writer.room('sdk-readonly', { create: true });
  await w.ready;
  await w.set('title', 'Minutes');
  const reader = client(s.wsUrl, 'viewer', { role: 'reader' });
  const r = reader.room('sdk-readonly', { role: 'reader' });
  await r.ready;
  assert.equal(r.get('title'), 'Minutes');
  const counts = [];
  r.on('pending', (n) => counts.push(n));
  const attempt = r.set('title', 'Mine now');
  assert.equal(r.get('title'), 'Mine now');
  await assert.rejects(attempt, (e) => e.code === 'forbidden');
  assert.equal(r.get('title'), 'Minutes');
  assert.equal(r.pendingCount, 0);
  assert.deepEqual(counts, [1, 0], 'pending events');
  const { state } = await opsOf(s, 'sdk-readonly');
  assert.deepEqual(state, { title: 'Minutes' });
});

test('after the server lost the room, the client re-submits what it holds and the room is rebuilt', async () => {
  const s = await server();
  const proxy = await startProxy(s.port);
  const c = client(`ws://127.0.0.1:${proxy.port}`, 'keeper');
  const room = c.room('sdk-lost', { create: { policy: 'last-writer-wins', durable: true } });
  await room.ready;
  await room.batch({ a: 1, b: 2 });
  await room.set('c', 3);
  proxy.cut();
  await until(() => c.status === 'offline');
  room.set('d', 4);
  const resubmits = [];
  c.on('resubmit', (e) => resubmits.push(e));
  const wiped = await server();
  proxy.retarget(wiped.port);
  proxy.restore();
  await until(() => resubmits.length === 1 && room.joined && room.pendingCount === 0, 'rebuilt', 15000);
  assert.notEqual(resubmits[0].epoch, undefined);
  const { state } = await opsOf(wiped, 'sdk-lost');
  assert.deepEqual(state, { a: 1, b: 2, c: 3, d: 4 });
  assert.deepEqual(room.state(), state);
  assert.equal(room.epoch, resubmits[0].epoch);
  proxy.close();
});

test('a token callback refreshes the token before it expires: the connection stays', async () => {
  const s = await server();
  let minted = 0;
  const started = Date.now();
  const shortLived = async () => {
    minted++;
    const { stdout } = await promisify(execFile)('java', ['-jar', JAR, 'token', '--sub', 'brief', '--room', 'sdk-*',
      '--ttl', '5s', '--auth-hmac-secret', SECRET]);
    return stdout.trim();
  };
  // minting runs a JVM (a second or more): refresh with room to spare
  const c = new LivestateClient(s.wsUrl + '/ws', { token: shortLived, WebSocket, refreshAhead: 4000 });
  clients.push(c);
  const room = c.room('sdk-refresh', { create: true });
  await room.ready;
  const statuses = [];
  c.on('status', (st) => statuses.push(st));
  // each token lives 5 s (plus the server's 5 s leeway): by the third the first has expired
  await until(() => minted >= 3, 'two refreshes', 40000);
  assert.ok(Date.now() - started > 10000, 'past the first token\'s end');
  assert.deepEqual(await room.set('still', 'here'), { seq: 1 });
  assert.deepEqual(statuses, [], 'never dropped');
});

test('changes the server refuses for their rate are sent again, and decided in the order they were made', async () => {
  const s = await server({ args: ['--limits-changes-per-second', '100'] });
  const c = client(s.wsUrl, 'hasty');
  const room = c.room('sdk-rate', { create: true });
  await room.ready;
  const acks = [];
  for (let i = 0; i < 500; i++) acks.push(room.set('counter', i));
  const seqs = (await Promise.all(acks)).map((a) => a.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'seqs follow the order of the changes');
  const { ops, state } = await opsOf(s, 'sdk-rate');
  assert.deepEqual(ops.map((op) => op.set.counter), [...Array(500).keys()]);
  assert.deepEqual(state, { counter: 499 });
});
