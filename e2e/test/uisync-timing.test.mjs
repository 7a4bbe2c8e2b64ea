// UI sync timing settings with the real socket.io-client 4.6.2: the Engine.IO heartbeat
// (uisync.ping-interval, uisync.ping-timeout) and the pacing of followers (uisync.write-delay).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, until } from '../lib/server.mjs';
import { UiClient, RawEio, TRANSPORTS, leaderPayload } from '../lib/uisync-client.mjs';

let n = 0;
const site = (name) => `${name}-${++n}`;

describe('uisync.ping-interval=500ms, uisync.ping-timeout=400ms', () => {
  // far from the defaults (25 s, 20 s) and from each other
  const INTERVAL = 500;
  const TIMEOUT = 400;
  const LATE = 2500; // how late a timer may fire on a busy machine
  let server;
  before(async () => {
    server = await startServer({ args: ['--uisync-ping-interval', `${INTERVAL}ms`, '--uisync-ping-timeout', `${TIMEOUT}ms`] });
  });
  after(async () => { await server.stop(); server.cleanup(); });

  for (const [label, transports] of TRANSPORTS) {
    test(`over ${label}: socket.io-client is told the heartbeat, is pinged at that interval and stays`, async () => {
      const c = await UiClient.connect(server.url, { transports });
      try {
        const engine = c.socket.io.engine;
        assert.equal(engine.pingInterval, INTERVAL);
        assert.equal(engine.pingTimeout, TIMEOUT);
        const pings = [];
        engine.on('ping', () => pings.push(Date.now()));
        await until(() => pings.length >= 3, 'three pings', 3 * (INTERVAL + LATE));
        for (let i = 1; i < pings.length; i++) {
          const gap = pings[i] - pings[i - 1];
          assert.ok(gap >= INTERVAL - 100 && gap <= INTERVAL + LATE, `ping gap ${gap} ms`);
        }
        // answered pings over longer than interval + timeout: still connected
        assert.ok(c.socket.connected);
        await c.ping();
      } finally {
        c.close();
      }
    });
  }

  test('a leader that stops answering pings is dropped after interval + timeout; its followers get no_more_leader', async () => {
    const s = site('silent');
    const follower = await UiClient.connect(server.url);
    const leader = await RawEio.connect(server, { answerPings: false });
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      leader.emit('new_leader', leaderPayload(s, { a: 1 }, { name: 'Quiet' }));
      await leader.next((f) => f.startsWith('42["confirm_leader_start"'));
      await follower.next('full_state_snapshot');
      const { at } = await leader.closedWithin(INTERVAL + TIMEOUT + LATE);
      const lived = at - leader.openedAt;
      assert.ok(lived >= INTERVAL + TIMEOUT - 150, `dropped after only ${lived} ms`);
      assert.deepEqual(await follower.next('no_more_leader'), { site: s, leader_name: 'Quiet' });
      assert.ok(follower.socket.connected);
      await follower.ping();
    } finally {
      leader.close();
      follower.close();
    }
  });
});

describe('uisync.write-delay', () => {
  // long, so that scheduling noise cannot pass for it
  const DELAY = 600;
  let server;
  before(async () => { server = await startServer({ args: ['--uisync-write-delay', `${DELAY}ms`] }); });
  after(async () => { await server.stop(); server.cleanup(); });

  test('a quiet follower gets a change at once; changes right after it wait out the delay and come together', async () => {
    const s = site('paced');
    const follower = await UiClient.connect(server.url, { transports: ['websocket'] });
    const leader = await UiClient.connect(server.url, { transports: ['websocket'] });
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      leader.emit('new_leader', leaderPayload(s, {}));
      await leader.next('confirm_leader_start');
      await follower.next('full_state_snapshot');
      await new Promise((r) => setTimeout(r, DELAY)); // the snapshot was a write: let it go quiet

      const sent = Date.now();
      leader.emit('ui_change', { site: s, mutation_name: 'a', new_val: 1 });
      const first = await follower.nextArrival('new_state', (p) => p.key === 'a');
      assert.ok(first.at - sent < DELAY / 2, `a quiet follower waits for nothing, took ${first.at - sent} ms`);

      leader.emit('ui_change', { site: s, mutation_name: 'b', new_val: 2 });
      leader.emit('ui_change', { site: s, mutation_name: 'c', new_val: 3 });
      const second = await follower.nextArrival('new_state', (p) => p.key === 'b');
      const third = await follower.nextArrival('new_state', (p) => p.key === 'c');
      assert.ok(second.at - first.at >= DELAY - 50, `held for the delay, came after ${second.at - first.at} ms`);
      assert.ok(third.at - second.at < DELAY / 4, 'changes held together leave together');

      // the follower's own request is answered at once, and a held change goes ahead of the answer
      leader.emit('ui_change', { site: s, mutation_name: 'd', new_val: 4 });
      await leader.ping(); // the change has reached the server before the follower asks
      const asked = Date.now();
      follower.emit('my_ping');
      const pong = await follower.nextArrival('my_pong');
      assert.ok(pong.at - asked < DELAY / 2, `an answer is not held, took ${pong.at - asked} ms`);
      const fourth = await follower.nextArrival('new_state', (p) => p.key === 'd');
      assert.ok(fourth.index < pong.index, 'the held change came first');
    } finally {
      follower.close();
      leader.close();
    }
  });
});

