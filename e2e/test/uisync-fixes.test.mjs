// UI sync: the original's faults fixed without breaking real clients, and its configuration.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, until } from '../lib/server.mjs';
import { UiClient, leaderPayload, roomState } from '../lib/uisync-client.mjs';

let n = 0;
const site = (name) => `${name}-${++n}`;

describe('default configuration', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server.stop(); server.cleanup(); });

  test('only the current leader may send ui_change; others get an error and nothing is applied', async () => {
    const s = site('guard');
    const leader = await UiClient.connect(server.url);
    const intruder = await UiClient.connect(server.url);
    const follower = await UiClient.connect(server.url);
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      leader.emit('new_leader', leaderPayload(s, { k: 'leader' }));
      await leader.next('confirm_leader_start');
      intruder.emit('ui_change', { site: s, mutation_name: 'k', new_val: 'intruder' });
      const err = await intruder.next('error');
      assert.equal(err.event, 'ui_change');
      assert.equal(err.reason, 'not_leader');
      assert.equal(err.site, s);
      leader.emit('ui_change', { site: s, mutation_name: 'k', new_val: 'leader2' });
      assert.equal((await follower.next('new_state')).new_val, 'leader2');
      assert.deepEqual(await roomState(server, s), { k: 'leader2' });
      assert.equal(follower.all('new_state').length, 1);
    } finally {
      [leader, intruder, follower].forEach((c) => c.close());
    }
  });

  test('remove_leader from a non-leader is refused', async () => {
    const s = site('rm');
    const leader = await UiClient.connect(server.url);
    const other = await UiClient.connect(server.url);
    try {
      leader.emit('new_leader', leaderPayload(s, {}));
      await leader.next('confirm_leader_start');
      other.emit('remove_leader', { site: s });
      const err = await other.next('error');
      assert.equal(err.reason, 'not_leader');
      const check = await UiClient.connect(server.url);
      assert.equal(check.events[0].payload.leaders[s], 'Ann Leader');
      check.close();
    } finally {
      leader.close();
      other.close();
    }
  });

  test('new_leader at a led site takes over; the old leader gets confirm_leader_end', async () => {
    const s = site('take');
    const first = await UiClient.connect(server.url);
    const second = await UiClient.connect(server.url);
    const follower = await UiClient.connect(server.url);
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      first.emit('new_leader', leaderPayload(s, { v: 1 }, { name: 'First' }));
      await first.next('confirm_leader_start');
      await follower.next('full_state_snapshot');
      second.emit('new_leader', leaderPayload(s, { v: 2 }, { name: 'Second' }));
      await second.next('confirm_leader_start');
      assert.deepEqual(await first.next('confirm_leader_end'), { site: s });
      const snap = await follower.next('full_state_snapshot');
      assert.deepEqual(snap, { state_snapshot: { v: 2 }, leader: { name: 'Second' } });
      await first.next('all_leaders', (p) => p.leaders[s] === 'Second');
      first.emit('ui_change', { site: s, mutation_name: 'v', new_val: 'old' });
      assert.equal((await first.next('error')).reason, 'not_leader');
    } finally {
      [first, second, follower].forEach((c) => c.close());
    }
  });

  test('malformed payloads get an error event and never disturb other clients', async () => {
    const s = site('bad');
    const bad = await UiClient.connect(server.url);
    const leader = await UiClient.connect(server.url);
    const follower = await UiClient.connect(server.url);
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      leader.emit('new_leader', leaderPayload(s, {}));
      await leader.next('confirm_leader_start');

      bad.emit('join_room', {});
      assert.equal((await bad.next('error')).event, 'join_room');
      bad.emit('join_room');
      assert.equal((await bad.next('error')).reason, 'invalid_payload');
      bad.emit('new_leader', '{not json');
      assert.match((await bad.next('error')).message, /JSON/);
      bad.emit('new_leader', JSON.stringify({ site: s, full_state_snapshot: {}, leader: { id: 'x' } }));
      assert.match((await bad.next('error')).message, /name/);
      bad.emit('new_leader', JSON.stringify({ site: s, full_state_snapshot: {} }));
      assert.equal((await bad.next('error')).event, 'new_leader');
      bad.emit('ui_change', { mutation_name: 'x', new_val: 1 });
      assert.equal((await bad.next('error')).event, 'ui_change');
      bad.emit('leave_room', 42);
      assert.equal((await bad.next('error')).event, 'leave_room');
      bad.emit('something_else', { site: s });
      await bad.ping();

      // ui_change without new_val (JavaScript undefined) is relayed as null
      leader.emit('ui_change', { site: s, mutation_name: 'gone', new_val: undefined });
      assert.deepEqual(await follower.next('new_state'), { key: 'gone', new_val: null });
      leader.emit('ui_change', { site: s, mutation_name: 'still', new_val: 'works' });
      assert.equal((await follower.next('new_state')).new_val, 'works');
      assert.ok(bad.socket.connected && leader.socket.connected && follower.socket.connected);
    } finally {
      [bad, leader, follower].forEach((c) => c.close());
    }
  });

  test('an object payload for new_leader is accepted as well as the original JSON string', async () => {
    const s = site('obj');
    const leader = await UiClient.connect(server.url);
    try {
      leader.emit('new_leader', { site: s, full_state_snapshot: { a: 1 }, leader: { name: 'Obj' } });
      await leader.next('confirm_leader_start');
      assert.deepEqual(await roomState(server, s), { a: 1 });
    } finally {
      leader.close();
    }
  });

  test('the site state is readable through the native HTTP API', async () => {
    const s = site('http');
    const leader = await UiClient.connect(server.url, { transports: ['websocket'] });
    try {
      leader.emit('new_leader', leaderPayload(s, { 'command_params/mount_ra': 12.34 }));
      await leader.next('confirm_leader_start');
      leader.emit('ui_change', { site: s, mutation_name: 'user_interface/tab', new_val: 'camera' });
      await until(async () => (await roomState(server, s))?.['user_interface/tab'] === 'camera', 'state');
      assert.deepEqual(await roomState(server, s),
        { 'command_params/mount_ra': 12.34, 'user_interface/tab': 'camera' });
    } finally {
      leader.close();
    }
  });
});

describe('uisync.takeover=refuse, a leader grace period and leader secrets', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--uisync-takeover', 'refuse', '--uisync-leader-grace', '2s',
      '--uisync-leader-secrets', 'locked=s3cret'] });
  });
  after(async () => { await server.stop(); server.cleanup(); });

  test('refuse: a second leader gets an error and the first keeps the site', async () => {
    const s = site('refuse');
    const first = await UiClient.connect(server.url);
    const second = await UiClient.connect(server.url);
    try {
      first.emit('new_leader', leaderPayload(s, {}, { name: 'First', id: 'u1' }));
      await first.next('confirm_leader_start');
      second.emit('new_leader', leaderPayload(s, {}, { name: 'Second', id: 'u2' }));
      const err = await second.next('error');
      assert.equal(err.reason, 'leader_exists');
      assert.match(err.message, /First/);
      first.emit('ui_change', { site: s, mutation_name: 'k', new_val: 1 });
      await until(async () => (await roomState(server, s))?.k === 1, 'first still leads');
    } finally {
      first.close();
      second.close();
    }
  });

  test('grace: a reconnecting leader keeps its site; followers hear nothing of the gap', async () => {
    const s = site('grace');
    const follower = await UiClient.connect(server.url);
    let leader = await UiClient.connect(server.url);
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      leader.emit('new_leader', leaderPayload(s, { v: 1 }, { name: 'Gus', id: 'gus' }));
      await leader.next('confirm_leader_start');
      leader.close();
      const intruder = await UiClient.connect(server.url);
      assert.equal(intruder.events[0].payload.leaders[s], 'Gus', 'still listed during the grace period');
      intruder.emit('new_leader', leaderPayload(s, {}, { name: 'Ivy', id: 'ivy' }));
      assert.equal((await intruder.next('error')).reason, 'leader_exists');
      intruder.close();
      leader = await UiClient.connect(server.url);
      leader.emit('new_leader', leaderPayload(s, { v: 2 }, { name: 'Gus', id: 'gus' }));
      await leader.next('confirm_leader_start');
      leader.emit('ui_change', { site: s, mutation_name: 'v', new_val: 3 });
      assert.equal((await follower.next('new_state')).new_val, 3);
      await new Promise((r) => setTimeout(r, 2500)); // past the old socket's grace period
      await follower.ping();
      assert.equal(follower.all('no_more_leader').length, 0);
      const check = await UiClient.connect(server.url);
      assert.equal(check.events[0].payload.leaders[s], 'Gus');
      check.close();
    } finally {
      follower.close();
      leader.close();
    }
  });

  test('grace: a leader that does not come back is released when it ends', async () => {
    const s = site('gone');
    const follower = await UiClient.connect(server.url);
    const leader = await UiClient.connect(server.url);
    try {
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      leader.emit('new_leader', leaderPayload(s, {}, { name: 'Gone', id: 'gone' }));
      await leader.next('confirm_leader_start');
      leader.close();
      assert.deepEqual(await follower.next('no_more_leader', () => true, 6000), { site: s, leader_name: 'Gone' });
      await follower.next('all_leaders', (p) => !(s in p.leaders));
    } finally {
      follower.close();
    }
  });

  test('a site with a leader secret needs it, in the payload or as the Socket.IO auth token', async () => {
    const noSecret = await UiClient.connect(server.url);
    const wrong = await UiClient.connect(server.url);
    const viaAuth = await UiClient.connect(server.url, { auth: { token: 's3cret' } });
    try {
      noSecret.emit('new_leader', leaderPayload('locked', {}));
      assert.equal((await noSecret.next('error')).reason, 'unauthorized');
      wrong.emit('new_leader', JSON.stringify({ site: 'locked', full_state_snapshot: {}, leader: { name: 'W' }, secret: 'nope' }));
      assert.equal((await wrong.next('error')).reason, 'unauthorized');
      viaAuth.emit('new_leader', leaderPayload('locked', {}, { name: 'Key Holder' }));
      await viaAuth.next('confirm_leader_start');
      viaAuth.emit('remove_leader', { site: 'locked' });
      await viaAuth.next('confirm_leader_end');
      wrong.emit('new_leader', JSON.stringify({ site: 'locked', full_state_snapshot: {}, leader: { name: 'W' }, secret: 's3cret' }));
      await wrong.next('confirm_leader_start');
      // other sites stay open
      noSecret.emit('new_leader', leaderPayload(site('open'), {}));
      await noSecret.next('confirm_leader_start');
    } finally {
      [noSecret, wrong, viaAuth].forEach((c) => c.close());
    }
  });
});

test('site state survives a server restart on the same data directory', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'livestate-uisync-'));
  try {
    let server = await startServer({ dataDir });
    const s = site('durable');
    try {
      const leader = await UiClient.connect(server.url);
      leader.emit('new_leader', leaderPayload(s, { a: 1 }));
      await leader.next('confirm_leader_start');
      leader.emit('ui_change', { site: s, mutation_name: 'b', new_val: 'kept' });
      await until(async () => (await roomState(server, s))?.b === 'kept', 'change applied');
      leader.close();
    } finally {
      await server.stop();
    }
    server = await startServer({ dataDir });
    try {
      assert.deepEqual(await roomState(server, s), { a: 1, b: 'kept' });
      // the next leader starts from its own snapshot, as in the original
      const leader = await UiClient.connect(server.url);
      const follower = await UiClient.connect(server.url);
      follower.emit('join_room', { site: s });
      await follower.next('confirm_follower_start');
      assert.equal(follower.all('full_state_snapshot').length, 0, 'no leader, no snapshot');
      leader.emit('new_leader', leaderPayload(s, { fresh: true }));
      assert.deepEqual((await follower.next('full_state_snapshot')).state_snapshot, { fresh: true });
      leader.close();
      follower.close();
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
