import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SharedStateClient, normalisePath } from '../dist/sharedstate.es.js';
import { startServer, startProxy, until } from './helpers.mjs';

let server;
let n = 0;
const clients = [];
const fresh = () => `/app${Date.now()}x${++n}/items/coll`;

function client(url = server.wsUrl + '/sharedstate', options = {}) {
  const c = new SharedStateClient(url, { minDelay: 50, maxDelay: 400, ...options });
  clients.push(c);
  return c;
}

const ids = (ds) => ds.get_items().map((i) => i.id).sort();
const snapshot = (ds) => JSON.stringify(ds.get_items().slice().sort((a, b) => (a.id < b.id ? -1 : 1)));

before(async () => {
  // a client writes 5,000 items in five updates back to back: more than a connection's default
  // allowance (limits.changes-per-second, 1,000 items a second in bursts of 2,000): the server
  // slows such a client down and takes every update
  server = await startServer();
});

after(async () => {
  clients.forEach((c) => c.close());
  await server.stop();
  server.cleanup();
});

test('paths are normalised', () => {
  assert.equal(normalisePath('app/items/c/'), '/app/items/c');
  assert.equal(normalisePath('//app//items/c'), '/app/items/c');
});

test('server answers GET / and GET /clock', async () => {
  const c = client();
  await c.connect();
  assert.deepEqual((await c.get('/')).data, ['items', 'mitems']);
  const clock = (await c.get('/clock')).data;
  assert.ok(Math.abs(clock - Date.now() / 1000) < 5, `clock ${clock}`);
});

test('a path naming no service is answered with the original\'s reply data, "no service"', async () => {
  const c = client();
  await c.connect();
  assert.deepEqual(await c.get('/app/nosuch/coll'), { ok: false, data: 'no service' });
  assert.deepEqual(await c.update('/app/nosuch/coll', { insert: [{ id: 'a' }] }),
    { ok: false, data: 'no service' });
  assert.equal((await c.get('/')).ok, true, 'the connection carries on');
});

test('two clients converge through insert, replace, remove and reset, with exact diffs', async () => {
  const path = fresh();
  const a = client();
  const b = client();
  await Promise.all([a.connect(), b.connect()]);
  const [, dsA] = a.acquire(path);
  const [, dsB] = b.acquire(path + '/');
  const diffsB = [];
  dsB.add_callback((d) => diffsB.push(...d));
  await until(() => dsA.synced && dsB.synced, 'both synced');

  let r = await dsA.update({ insert: [{ id: 'x', v: 1 }, { id: 'y', v: 2 }] });
  assert.deepEqual(r, { ok: true, data: 2 });
  await until(() => dsB.size === 2, 'insert reaches b');
  assert.deepEqual(diffsB.splice(0), [
    { id: 'x', new: { id: 'x', v: 1 }, old: undefined },
    { id: 'y', new: { id: 'y', v: 2 }, old: undefined },
  ]);
  // the writer's own notification follows its reply on its own connection: nothing orders it
  // against b's, which travels on another socket
  await until(() => dsA.size === 2, 'the writer gets its own update');

  await dsB.update({ insert: [{ id: 'x', v: 10 }] });
  await until(() => dsA.get_item('x').v === 10, 'replace reaches a');
  await until(() => diffsB.length === 1, 'b sees its own replace');
  assert.deepEqual(diffsB.splice(0), [{ id: 'x', new: { id: 'x', v: 10 }, old: { id: 'x', v: 1 } }]);

  await dsA.update({ remove: ['y'] });
  await until(() => !dsB.has_item('y'), 'remove reaches b');
  assert.deepEqual(diffsB.splice(0), [{ id: 'y', new: undefined, old: { id: 'y', v: 2 } }]);

  await dsA.update({ reset: true, insert: [{ id: 'z', v: 3 }] });
  await until(() => dsB.has_item('z'), 'reset reaches b');
  assert.deepEqual(ids(dsB), ['z']);
  assert.deepEqual(diffsB.splice(0).sort((p, q) => (p.id < q.id ? -1 : 1)), [
    { id: 'x', new: undefined, old: { id: 'x', v: 10 } },
    { id: 'z', new: { id: 'z', v: 3 }, old: undefined },
  ]);

  await dsB.update({ reset: true });
  await until(() => dsA.size === 0 && dsB.size === 0, 'reset empties both');
  assert.equal(snapshot(dsA), snapshot(dsB));
});

test('release stops updates; a dataset lives until its last handle is released', async () => {
  const path = fresh();
  const a = client();
  const b = client();
  await Promise.all([a.connect(), b.connect()]);
  const [, dsA] = a.acquire(path);
  const [h1, dsB] = b.acquire(path);
  const [h2, dsB2] = b.acquire(path);
  assert.equal(dsB, dsB2);
  let calls = 0;
  dsB.add_callback(() => calls++);
  await until(() => dsA.synced && dsB.synced, 'synced');
  b.release(h1);
  await dsA.update({ insert: [{ id: 'one' }] });
  await until(() => dsB.has_item('one'), 'still synced with one handle left');
  b.release(h2);
  await until(async () => (await b.get('/subs')).data.length === 0, 'unsubscribed');
  const before = calls;
  await dsA.update({ insert: [{ id: 'two' }] });
  await until(() => dsA.has_item('two'), 'a sees it');
  // a later request on b's connection is answered after any notification sent before it
  await b.get('/clock');
  assert.equal(dsB.has_item('two'), false);
  assert.equal(calls, before);
});

test('5,000-item collections converge', async () => {
  const path = fresh();
  const a = client();
  const b = client();
  await Promise.all([a.connect(), b.connect()]);
  const [, dsA] = a.acquire(path);
  const [, dsB] = b.acquire(path);
  await until(() => dsA.synced && dsB.synced, 'synced');
  const items = [];
  for (let i = 0; i < 5000; i++) items.push({ id: 'i' + i, n: i, text: 'item number ' + i });
  for (let i = 0; i < 5000; i += 1000) {
    await dsA.update({ insert: items.slice(i, i + 1000) });
  }
  await until(() => dsB.size === 5000, '5000 items at b', 20000);
  const removed = items.filter((_, i) => i % 3 === 0).map((i) => i.id);
  await dsB.update({ remove: removed, insert: [{ id: 'i1', n: -1 }] });
  await until(() => dsA.size === 5000 - removed.length && dsA.get_item('i1').n === -1, 'a converges', 20000);
  await until(() => snapshot(dsA) === snapshot(dsB), 'a and b converge', 20000);
  // a third client joining late gets the whole state
  const c = client();
  await c.connect();
  const [, dsC] = c.acquire(path);
  await until(() => dsC.synced, 'late joiner synced', 20000);
  assert.ok(snapshot(dsC) === snapshot(dsA), 'the late joiner has the same items');
});

test('a client whose connection is cut reconnects and converges on what changed while away', async () => {
  const path = fresh();
  const proxy = await startProxy(server.port);
  try {
    const away = client(`ws://127.0.0.1:${proxy.port}/sharedstate`);
    const stay = client();
    await Promise.all([away.connect(), stay.connect()]);
    const [, dsAway] = away.acquire(path);
    const [, dsStay] = stay.acquire(path);
    await until(() => dsAway.synced && dsStay.synced, 'synced');
    await dsStay.update({ insert: [{ id: 'keep', v: 1 }, { id: 'change', v: 1 }, { id: 'drop', v: 1 }] });
    await until(() => dsAway.size === 3, 'away has 3');
    const diffs = [];
    dsAway.add_callback((d) => diffs.push(...d));
    let disconnects = 0;
    away.on('disconnect', () => disconnects++);

    proxy.cut();
    await until(() => !away.connected, 'away notices the cut');
    await dsStay.update({ remove: ['drop'], insert: [{ id: 'change', v: 2 }, { id: 'new', v: 1 }] });
    await new Promise((r) => setTimeout(r, 300)); // let a reconnect attempt or two fail
    proxy.restore();

    await until(() => away.connected, 'away reconnects', 10000);
    await until(() => snapshot(dsAway) === snapshot(dsStay), 'away converges', 10000);
    assert.equal(disconnects, 1);
    assert.deepEqual(diffs.sort((p, q) => (p.id < q.id ? -1 : 1)), [
      { id: 'change', new: { id: 'change', v: 2 }, old: { id: 'change', v: 1 } },
      { id: 'drop', new: undefined, old: { id: 'drop', v: 1 } },
      { id: 'new', new: { id: 'new', v: 1 }, old: undefined },
    ]);
    // and it is live again, both ways
    await dsAway.update({ insert: [{ id: 'back', v: 1 }] });
    await until(() => dsStay.has_item('back'), 'stay sees the returned client write');
  } finally {
    proxy.close();
  }
});

test('updates made while disconnected are sent once the connection is back', async () => {
  const path = fresh();
  const proxy = await startProxy(server.port);
  try {
    const away = client(`ws://127.0.0.1:${proxy.port}/sharedstate`);
    const stay = client();
    await Promise.all([away.connect(), stay.connect()]);
    const [, dsAway] = away.acquire(path);
    const [, dsStay] = stay.acquire(path);
    await until(() => dsAway.synced && dsStay.synced, 'synced');
    proxy.cut();
    await until(() => !away.connected, 'cut');
    const pending = dsAway.update({ insert: [{ id: 'offline' }] });
    proxy.restore();
    assert.deepEqual(await pending, { ok: true, data: 1 });
    await until(() => dsStay.has_item('offline'), 'stay sees it');
  } finally {
    proxy.close();
  }
});
