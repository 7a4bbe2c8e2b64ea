// The web console in headless Chromium: it loads with an operator's token, a write by another
// client shows in the room's state and op log within a second, and the ops/s chart moves.
// Keeps a screenshot in e2e/target/console.png. In cluster mode (two nodes on the machine's Redis and
// PostgreSQL, each run under a key prefix and a schema of its own) the page lists the nodes and the
// rooms each owns; skipped without those services, except when CI=true.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startServer, adminToken, mintToken, until, within } from '../lib/server.mjs';
import { NO_BROWSER, launchChromium } from '../lib/browser.mjs';
import { UiClient } from '../lib/uisync-client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let server;
let browser;

before(async () => {
  if (NO_BROWSER) return;
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  await within(browser?.close(), 20000, 'chromium to close');
  await server?.stop();
  server?.cleanup();
});

/** A native client of `to` with a token for console-* rooms; request() resolves with the reply. */
async function nativeClient(to = server) {
  const ws = new WebSocket(to.wsUrl + '/ws');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map();
  ws.on('message', (data) => {
    const m = JSON.parse(data);
    waiting.get(m.id)?.(m);
  });
  let next = 0;
  const request = (body) => new Promise((resolve) => {
    const id = ++next;
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ ...body, id }));
  });
  const welcome = await request({ type: 'hello', token: mintToken({ sub: 'writer', rooms: ['console-*'] }) });
  assert.equal(welcome.type, 'welcome', JSON.stringify(welcome));
  return { ws, request, clientId: welcome.clientId };
}

test('the console shows rooms, a write within a second, and a moving chart', { skip: NO_BROWSER }, async () => {
  const writer = await nativeClient();
  const joined = await writer.request({ type: 'join', room: 'console-demo', create: true });
  assert.equal(joined.type, 'joined', JSON.stringify(joined));

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const refused = await page.goto(server.url + '/console');
  assert.equal(refused.status(), 401, 'no token, no console');
  await page.goto(`${server.url}/console?token=${adminToken()}&room=console-demo`);
  await until(() => page.evaluate(() => document.getElementById('status').textContent === 'live'),
    'the console is live');
  await until(() => page.evaluate(() => [...document.querySelectorAll('#room-rows tr')]
    .some((r) => r.dataset.room === 'console-demo')), 'the room is listed');
  // the writer among the connected clients: its id, surface, address and room
  const writerRow = () => page.evaluate(() => [...document.querySelectorAll('#client-rows tr')]
    .map((r) => [...r.cells].map((c) => c.textContent))
    .find((cells) => cells[3].split(', ').includes('console-demo')));
  await until(async () => (await writerRow()) !== undefined, 'the writer is listed among the clients');
  const [clientId, surface, address] = await writerRow();
  assert.equal(clientId, writer.clientId);
  assert.equal(surface, 'native');
  assert.match(address, /^(127\.0\.0\.1|::1|0:0:0:0:0:0:0:1)$/);
  // a UI sync (Socket.IO) client, listed by its Socket.IO id with the site it follows
  const follower = await UiClient.connect(server.url, { transports: ['websocket'] });
  follower.emit('join_room', { site: 'console-site' });
  await follower.next('confirm_follower_start');
  const followerRow = () => page.evaluate((id) => [...document.querySelectorAll('#client-rows tr')]
    .map((r) => [...r.cells].map((c) => c.textContent)).find((cells) => cells[0] === id), follower.socket.id);
  await until(async () => (await followerRow()) !== undefined, 'the UI sync client is listed');
  const [, uiSurface, uiAddress, uiRooms] = await followerRow();
  assert.equal(uiSurface, 'ui-sync');
  assert.match(uiAddress, /^(127\.0\.0\.1|::1|0:0:0:0:0:0:0:1)$/);
  assert.match(uiRooms, /console-site/);
  follower.close();

  let localSeq = 0;
  const write = (key, value) => writer.request({ type: 'submit', room: 'console-demo',
    changes: [{ localSeq: ++localSeq, baseSeq: 0, set: { [key]: value } }] });
  const acked = await write('greeting', 'hello from another client');
  assert.equal(acked.acks.length, 1, JSON.stringify(acked));
  const wrote = Date.now();
  await until(() => page.evaluate(() => document.getElementById('room-state').textContent
    .includes('hello from another client')), 'the write in the room state', 1000);
  const shownAfter = Date.now() - wrote;
  assert.ok(await page.evaluate(() => document.getElementById('room-ops').textContent
    .includes('hello from another client')), 'and in its op log');

  const pointsBefore = await page.evaluate(() => Number(document.getElementById('chart').dataset.points || 0));
  for (let i = 0; i < 60; i++) {
    await write('counter', i);
    await new Promise((r) => setTimeout(r, 40));
  }
  await until(() => page.evaluate(() => Number(document.getElementById('chart').dataset.points) > 0
    && [...document.querySelectorAll('#room-rows tr')].length > 0), 'the chart has points');
  await until(async () => {
    const points = await page.evaluate(() => Number(document.getElementById('chart').dataset.points));
    return points > pointsBefore;
  }, 'the chart moves on');
  const seconds = await page.evaluate(async () => (await (await fetch('/console/api/overview',
    { headers: { Authorization: 'Bearer ' + new URLSearchParams(location.search).get('token') } })).json()).seconds);
  assert.ok(seconds.some((s) => s.ops > 0), 'ops per second rose: ' + JSON.stringify(seconds.slice(-5)));
  await until(() => page.evaluate(() => document.getElementById('room-head').textContent.startsWith('seq 61')),
    'the room head follows the writes');

  mkdirSync(join(here, '..', 'target'), { recursive: true });
  await page.screenshot({ path: join(here, '..', 'target', 'console.png'), fullPage: true });
  console.log(`# the write showed in the console ${shownAfter} ms after its ack`);
  writer.ws.close();
  await until(async () => (await writerRow()) === undefined, 'a client gone leaves the list');
});

const listening = (port) => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});
const psql = (sql) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-qc', sql],
  { stdio: 'pipe', env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } });

test('in cluster mode the console lists the nodes and the rooms each owns', { skip: NO_BROWSER }, async (t) => {
  const missing = [[6379, 'Redis'], [5432, 'PostgreSQL']];
  for (const [port, name] of missing) {
    if (await listening(port)) continue;
    assert.ok(process.env.CI !== 'true', `${name} is not listening on 127.0.0.1:${port}`);
    t.skip(`${name} is not listening on 127.0.0.1:${port}`);
    return;
  }
  const run = randomUUID().replaceAll('-', '').slice(0, 12);
  const schema = `e2e_console_${run}`;
  const prefix = `livestate-e2e-console-${run}:`;
  psql(`CREATE SCHEMA ${schema}`);
  const nodes = [];
  try {
    for (const name of ['a', 'b']) {
      nodes.push(await startServer({ args: ['--store', `jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${schema}`,
        '--store-user', 'postgres', '--cluster-redis', 'redis://127.0.0.1:6379', '--cluster-prefix', prefix,
        '--node-id', name, '--cluster-lease', '2s'] }));
    }
    const [a, b] = nodes;
    const writer = await nativeClient(a);
    const joined = await writer.request({ type: 'join', room: 'console-owned', create: true });
    assert.equal(joined.type, 'joined', JSON.stringify(joined));

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${b.url}/console?token=${adminToken()}`);
    const nodeRows = () => page.evaluate(() => [...document.querySelectorAll('#node-rows tr')]
      .map((r) => [r.dataset.node, r.cells[2].textContent.split(', ')]));
    await until(async () => (await nodeRows()).length === 2, 'both nodes listed on b\'s console');
    const owned = Object.fromEntries(await nodeRows());
    assert.ok(owned.a.includes('console-owned'), 'a owns the room it serves: ' + JSON.stringify(owned));
    assert.ok(!owned.b.includes('console-owned'), JSON.stringify(owned));
    assert.match(await page.evaluate(() => document.getElementById('cluster-self').textContent), /served by b/);
    writer.ws.close();
    await page.close();
  } finally {
    for (const n of nodes) {
      await n.stop();
      n.cleanup();
    }
    psql(`DROP SCHEMA ${schema} CASCADE`);
    execFileSync('redis-cli', ['-h', '127.0.0.1', 'EVAL',
      "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", '0', `${prefix}*`]);
  }
});
