// The meet client's behaviour against the real packaged server (LIVESTATE_JAR or
// server/target/livestate.jar), as a suite run twice: on src/ (src.test.mjs) and on the bundle the
// server ships at /js/meet/ (dist.test.mjs), so that what users load is what was tested.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, until } from '../../../../e2e/lib/server.mjs';
import { startProxy } from '../../../../e2e/lib/proxy.mjs';

const PASSWORD = 'a long enough password';
const FAST = ['--meet-scrypt-log2n', '10'];
// the runtime's own WebSocket where it has one (as in a browser; Node 22), else the ws package
const NativeOrWs = globalThis.WebSocket ?? WebSocket;

/** Defines every test for one build of the client: { MeetClient, formatMeetId }. */
export function meetClientSuite({ MeetClient, formatMeetId }) {
  const servers = [];
  const clients = [];

  async function server(opts = {}) {
    const s = await startServer({ args: FAST, ...opts });
    servers.push(s);
    return s;
  }

  function client(s, options = {}) {
    const c = new MeetClient(s.wsUrl + '/meet', { WebSocket: NativeOrWs, minDelay: 50, maxDelay: 200, ...options });
    c.on('error', () => {});
    clients.push(c);
    return c;
  }

  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) {
      await s.stop();
      s.cleanup();
    }
  });

  const endpoints = [
    { locationName: 'hq', priority: 3 },
    { locationName: 'low', priority: 1 },
    { locationName: 'high', priority: 5 },
  ];

  async function meetOfThree(s) {
    const hq = client(s);
    const created = await hq.createMeet({ locationName: 'hq', password: PASSWORD, endpoints });
    const low = client(s);
    await low.joinMeet({ meetId: created.meetIdDisplay, password: PASSWORD, locationName: 'low' });
    const high = client(s);
    await high.joinMeet({ meetId: created.meetId, password: PASSWORD, locationName: 'high' });
    return { created, hq, low, high };
  }

  const same = (a, b) => JSON.stringify(Object.entries(a.values()).sort()) === JSON.stringify(Object.entries(b.values()).sort());

  test('updates are acked into the canonical log and relayed to the other clients', async () => {
    const s = await server();
    const { created, hq, low } = await meetOfThree(s);
    assert.match(created.meetId, /^\d{9}$/);
    assert.equal(formatMeetId(created.meetId), created.meetIdDisplay);
    const local = hq.update('registration.lifters[0].name', 'Ann');
    assert.equal(hq.pending.length, 1);
    await until(() => hq.pending.length === 0, 'ack');
    const log = hq.canonicalLog();
    assert.equal(log.length, 1);
    assert.equal(log[0].updateKey, 'registration.lifters[0].name');
    assert.ok(local > 0);
    await until(() => low.get('registration.lifters[0].name') === 'Ann', 'relay');
    assert.equal(low.lastServerSeq, 1);
  });

  test('a client offline keeps buffering, then sends its changes and pulls what it missed', async () => {
    const s = await server();
    const { hq, low } = await meetOfThree(s);
    hq.update('meet.name', 'Spring Open');
    await until(() => low.get('meet.name') === 'Spring Open');
    low.goOffline();
    await until(() => !low.online);
    for (let i = 0; i < 10; i++) hq.update('platform.1.attempt', i);
    low.update('weighin.lifter.9.bodyweight', 82.4);
    low.update('weighin.lifter.10.bodyweight', 90.1);
    assert.equal(low.pending.length, 2);
    assert.equal(low.needResync, true);
    await until(() => hq.pending.length === 0);
    await low.goOnline();
    await until(() => low.pending.length === 0 && !low.needResync, 'resync');
    await until(() => same(low, hq), 'convergence');
    assert.equal(low.get('platform.1.attempt'), 9);
    assert.equal(hq.get('weighin.lifter.10.bodyweight'), 90.1);
  });

  test('offline conflicts: lower priority loses, higher priority wins, everyone converges', async () => {
    const s = await server();
    const { hq, low, high } = await meetOfThree(s);
    hq.update('lifter.7.squat1', 180);
    await until(() => low.get('lifter.7.squat1') === 180 && high.get('lifter.7.squat1') === 180);
    low.goOffline();
    high.goOffline();
    await until(() => !low.online && !high.online);
    hq.update('lifter.7.squat1', 185);
    low.update('lifter.7.squat1', 182.5);
    high.update('lifter.7.squat1', 190);
    await until(() => hq.pending.length === 0);
    const rejected = [];
    low.on('rejected', (r) => rejected.push(r));
    await low.goOnline();
    await until(() => low.pending.length === 0 && low.get('lifter.7.squat1') === 185, 'low loses');
    assert.equal(rejected[0].conflict, true);
    await high.goOnline();
    await until(() => high.pending.length === 0, 'high acked');
    await until(() => [hq, low, high].every((c) => c.get('lifter.7.squat1') === 190), 'high wins everywhere');
    assert.ok(same(hq, low) && same(low, high));
  });

  test('a location that loses a conflict is relayed the standing value right after its rejection', async () => {
    const s = await server();
    const { hq, low } = await meetOfThree(s);
    hq.update('lifter.3.bench1', 100);
    await until(() => low.get('lifter.3.bench1') === 100);
    low.goOffline();
    await until(() => !low.online);
    hq.update('lifter.3.bench1', 102.5);
    await until(() => hq.pending.length === 0);
    low.update('lifter.3.bench1', 105);
    const seen = [];
    low.on('message', (m) => seen.push(m));
    await low.goOnline();
    await until(() => seen.some((m) => m.msgType === 'UPDATE_REJECTED'), 'rejected');
    await until(() => seen.length > seen.findIndex((m) => m.msgType === 'UPDATE_REJECTED') + 1, 'next');
    const next = seen[seen.findIndex((m) => m.msgType === 'UPDATE_REJECTED') + 1];
    assert.equal(next.msgType, 'UPDATE_RELAY');
    assert.equal(next.pulled, undefined, 'pushed, not the answer to the pull');
    assert.deepEqual(next.updatesRelayed.map((u) => [u.updateKey, u.updateValue, u.locationName]),
      [['lifter.3.bench1', 102.5, 'hq']]);
    await until(() => low.get('lifter.3.bench1') === 102.5 && same(low, hq), 'convergence');
  });

  test('a display-only client follows the meet and cannot write', async () => {
    const s = await server();
    const { created, hq } = await meetOfThree(s);
    const display = client(s);
    const joined = await display.joinMeet({ meetId: created.meetId, password: PASSWORD, displayOnly: true });
    assert.equal(joined.displayOnly, true);
    hq.update('lights', 'good lift');
    await until(() => display.get('lights') === 'good lift');
    assert.throws(() => display.update('lights', 'no lift'));
    const late = client(s);
    await late.resume({ sessionToken: joined.sessionToken, displayOnly: true });
    await until(() => late.get('lights') === 'good lift', 'a token alone catches up');
  });

  test('a wiped server (new data directory) recovers the meet from the clients through SERVER_PULL', async () => {
    const s1 = await server();
    const { created, hq, low } = await meetOfThree(s1);
    hq.update('lifter.1.name', 'Ann');
    hq.update('lifter.1.total', 500);
    low.update('lifter.2.name', 'Bob');
    await until(() => same(hq, low) && hq.pending.length === 0 && low.pending.length === 0 && Object.keys(hq.values()).length === 3);
    hq.goOffline();
    low.goOffline();
    await s1.kill();
    // Offline, low changes a value hq also holds: hq has the higher priority and wins the rebuild.
    low.update('lifter.1.total', 480);
    low.update('lifter.3.name', 'Cy');
    const s2 = await server(); // a fresh data directory: the server knows nothing
    hq.url = s2.wsUrl + '/meet';
    low.url = s2.wsUrl + '/meet';
    const pulls = [];
    hq.on('serverPull', (p) => pulls.push(['hq', p]));
    low.on('serverPull', (p) => pulls.push(['low', p]));
    await hq.createMeet({ meetId: created.meetId, locationName: 'hq', password: PASSWORD, endpoints });
    await until(() => pulls.length === 1 && hq.pending.length === 0, 'hq re-submitted');
    await low.joinMeet({ meetId: created.meetId, password: PASSWORD, locationName: 'low' });
    await until(() => pulls.length === 2 && low.pending.length === 0, 'low re-submitted');
    await until(() => same(hq, low) && hq.get('lifter.3.name') === 'Cy', 'converged');
    assert.equal(hq.get('lifter.1.total'), 500);
    assert.equal(low.get('lifter.1.total'), 500);
    assert.equal(low.get('lifter.2.name'), 'Bob');
    const viewer = client(s2);
    await viewer.joinMeet({ meetId: created.meetId, password: PASSWORD, displayOnly: true });
    await until(() => same(viewer, hq), 'a new client sees the rebuilt meet');
  });

  test('exportState holds the session, the canonical log and offline changes as plain JSON', async () => {
    const s = await server();
    const hq = client(s);
    const created = await hq.createMeet({ locationName: 'hq', password: PASSWORD, endpoints });
    const low = client(s);
    const joined = await low.joinMeet({ meetId: created.meetId, password: PASSWORD, locationName: 'low' });
    hq.update('meet.name', 'Spring Open');
    hq.update('lifter.1.name', 'Ann');
    await until(() => low.lastServerSeq === 2, 'both relayed');
    low.goOffline();
    await until(() => !low.online);
    const firstLocal = low.nextLocalSeq;
    low.update('lifter.1.bodyweight', 82.4);
    low.update('lifter.1.name', 'Anna');
    hq.update('platform.1.attempt', 1); // missed while offline
    await until(() => hq.pending.length === 0);

    const state = low.exportState();
    assert.deepEqual(JSON.parse(JSON.stringify(state)), state, 'survives JSON as it is');
    assert.equal(state.meetId, created.meetId);
    assert.equal(state.sessionToken, joined.sessionToken);
    assert.equal(state.locationName, 'low');
    assert.equal(state.displayOnly, false);
    assert.ok(state.serverEpoch, 'the server epoch, to detect a lost meet');
    assert.equal(state.serverEpoch, hq.serverEpoch);
    assert.equal(state.lastServerSeq, 2);
    assert.deepEqual(state.canonical, [
      { serverSeqNum: 1, updateKey: 'meet.name', updateValue: 'Spring Open' },
      { serverSeqNum: 2, updateKey: 'lifter.1.name', updateValue: 'Ann' },
    ]);
    assert.deepEqual(state.pending.map((u) => [u.updateKey, u.updateValue, u.afterServerSeqNum]),
      [['lifter.1.bodyweight', 82.4, 2], ['lifter.1.name', 'Anna', 2]]);
    const locals = state.pending.map((u) => u.localSeqNum);
    assert.ok(locals[0] >= firstLocal && locals[1] > locals[0] && state.nextLocalSeq > locals[1]);
  });

  test('a client built from exportState (a page reload) shows the same values, sends its offline changes once and catches up', async () => {
    const s = await server();
    const { hq, low } = await meetOfThree(s);
    hq.update('meet.name', 'Spring Open');
    await until(() => low.lastServerSeq === 1);
    low.goOffline();
    await until(() => !low.online);
    low.update('lifter.1.bodyweight', 82.4);
    low.update('lifter.2.bodyweight', 90.1);
    hq.update('platform.1.attempt', 1);
    await until(() => hq.pending.length === 0);
    const saved = JSON.stringify(low.exportState());
    const shown = low.values();
    low.close();

    const reloaded = client(s, { state: JSON.parse(saved) });
    assert.equal(reloaded.online, false);
    assert.deepEqual(reloaded.values(), shown, 'the same view before it is even online');
    assert.equal(reloaded.pending.length, 2);
    await reloaded.connect();
    await until(() => reloaded.pending.length === 0 && !reloaded.needResync && reloaded.lastServerSeq === 4, 'resynced');
    await until(() => same(hq, reloaded), 'converged');
    assert.equal(reloaded.get('platform.1.attempt'), 1);
    assert.equal(hq.get('lifter.2.bodyweight'), 90.1);
    assert.deepEqual(reloaded.canonicalLog().map((u) => u.updateKey),
      ['meet.name', 'platform.1.attempt', 'lifter.1.bodyweight', 'lifter.2.bodyweight']);
    assert.deepEqual(hq.canonicalLog().map((u) => u.serverSeqNum), [1, 2, 3, 4], 'each offline change stored once');
    const after = reloaded.exportState();
    assert.deepEqual(after.pending, []);
    assert.equal(after.lastServerSeq, 4);
    assert.equal(after.canonical.length, 4);
  });

  test('a client cut off from the server keeps retrying, then reconnects and catches up by itself', async () => {
    const s = await server();
    const proxy = await startProxy(s.port);
    try {
      const hq = client(s);
      const created = await hq.createMeet({ locationName: 'hq', password: PASSWORD, endpoints });
      const low = new MeetClient(`ws://127.0.0.1:${proxy.port}/meet`, { WebSocket: NativeOrWs, minDelay: 50, maxDelay: 200 });
      low.on('error', () => {});
      clients.push(low);
      await low.joinMeet({ meetId: created.meetId, password: PASSWORD, locationName: 'low' });
      proxy.cut();
      await until(() => !low.online, 'low notices the cut');
      hq.update('meet.name', 'while away');
      low.update('lifter.1.name', 'Lo');
      await until(() => hq.pending.length === 0);
      await until(() => proxy.refused >= 2, 'reconnect attempts refused');
      proxy.restore();
      await until(() => low.online && low.pending.length === 0 && !low.needResync, 'low back and resynced');
      await until(() => low.get('meet.name') === 'while away' && hq.get('lifter.1.name') === 'Lo', 'both ways');
    } finally {
      proxy.close();
    }
  });
}
