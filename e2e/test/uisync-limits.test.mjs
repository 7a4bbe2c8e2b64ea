// UI sync limits with the real socket.io-client 4.6.2: uisync.max-message (1 MB by default) and
// payloads nested too deeply close the offending connection with their documented code, and the
// site it was in carries on: its leader keeps leading and its other followers keep getting new_state.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, until } from '../lib/server.mjs';
import { UiClient, RawEio, leaderPayload, roomState, frameBytes, uiChangeOfBytes } from '../lib/uisync-client.mjs';

const MB = 1024 * 1024;
let n = 0;
const site = (name) => `${name}-${++n}`;

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); server.cleanup(); });

/** A led site with one follower that should never notice the offender. */
async function ledSite(s, transports = ['websocket']) {
  const leader = await UiClient.connect(server.url, { transports });
  const follower = await UiClient.connect(server.url, { transports });
  follower.emit('join_room', { site: s });
  await follower.next('confirm_follower_start');
  leader.emit('new_leader', leaderPayload(s, { before: 1 }));
  await leader.next('confirm_leader_start');
  await follower.next('full_state_snapshot');
  return { leader, follower };
}

/** The leader still leads: a change reaches the follower and the store, and nobody got an error. */
async function siteCarriesOn(s, { leader, follower }, key) {
  leader.emit('ui_change', { site: s, mutation_name: key, new_val: 'still here' });
  assert.deepEqual(await follower.next('new_state', (p) => p.key === key), { key, new_val: 'still here' });
  await until(async () => (await roomState(server, s))?.[key] === 'still here', 'the change stored');
  await leader.ping();
  assert.deepEqual(leader.all('error'), []);
  assert.deepEqual(follower.all('error'), []);
  assert.ok(leader.socket.connected && follower.socket.connected);
}

test('a WebSocket message of 1 MB + 1 byte closes that connection with 1009; the site carries on', async () => {
  const s = site('big');
  const room = await ledSite(s);
  const big = await UiClient.connect(server.url, { transports: ['websocket'] });
  try {
    big.emit('join_room', { site: s });
    await big.next('full_state_snapshot');
    const dropped = big.disconnected();
    const payload = uiChangeOfBytes(s, MB + 1);
    assert.equal(frameBytes('ui_change', payload), MB + 1);
    big.emit('ui_change', payload);
    const [reason, details] = await dropped;
    assert.equal(reason, 'transport close');
    assert.equal(details?.context?.code, 1009, 'WebSocket close code');
    await siteCarriesOn(s, room, 'after-big');
    assert.equal((await roomState(server, s)).blob, undefined, 'nothing of the big message applied');
  } finally {
    [big, room.leader, room.follower].forEach((c) => c.close());
  }
});

test('a message of exactly 1 MB is accepted and relayed', async () => {
  const s = site('mb');
  const room = await ledSite(s);
  try {
    const payload = uiChangeOfBytes(s, MB);
    assert.equal(frameBytes('ui_change', payload), MB);
    room.leader.emit('ui_change', payload);
    const got = await room.follower.next('new_state', (p) => p.key === 'blob');
    assert.equal(got.new_val.length, payload.new_val.length);
    assert.ok(room.leader.socket.connected);
    await siteCarriesOn(s, room, 'after-mb');
  } finally {
    [room.leader, room.follower].forEach((c) => c.close());
  }
});

test('a long-polling POST over 1 MB gets 413 and drops that client only', async () => {
  const s = site('post');
  const room = await ledSite(s, undefined);
  const big = await UiClient.connect(server.url, { transports: ['polling'] });
  try {
    big.emit('join_room', { site: s });
    await big.next('full_state_snapshot');
    const dropped = big.disconnected();
    big.emit('ui_change', uiChangeOfBytes(s, MB + 1));
    const [reason, details] = await dropped;
    assert.equal(reason, 'transport error');
    assert.equal(details?.description, 413, 'HTTP status of the POST');
    await siteCarriesOn(s, room, 'after-post');
  } finally {
    [big, room.leader, room.follower].forEach((c) => c.close());
  }
});

describe('a payload nested too deeply', () => {
  const deep = '42["ui_change",' + '['.repeat(300000) + ']'.repeat(300000) + ']';

  test('over WebSocket closes that connection with 1007; the site carries on', async () => {
    const s = site('deep');
    const room = await ledSite(s);
    const raw = await RawEio.connect(server);
    try {
      raw.emit('join_room', { site: s });
      await raw.next((f) => f.startsWith('42["full_state_snapshot"'));
      raw.ws.send(deep);
      assert.equal((await raw.closedWithin()).code, 1007);
      await siteCarriesOn(s, room, 'after-deep');
    } finally {
      raw.close();
      [room.leader, room.follower].forEach((c) => c.close());
    }
  });

  test('in a long-polling POST gets 400; the site carries on', async () => {
    const s = site('deep-post');
    const room = await ledSite(s, undefined);
    try {
      const open = await (await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)).text();
      const sid = JSON.parse(open.slice(1)).sid;
      const url = `${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
      assert.equal((await fetch(url, { method: 'POST', body: '40' })).status, 200);
      assert.equal((await fetch(url, { method: 'POST', body: deep })).status, 400);
      await siteCarriesOn(s, room, 'after-deep-post');
    } finally {
      [room.leader, room.follower].forEach((c) => c.close());
    }
  });
});

describe('uisync.max-message=8k', () => {
  let small;
  before(async () => { small = await startServer({ args: ['--uisync-max-message', '8k'] }); });
  after(async () => { await small.stop(); small.cleanup(); });

  for (const [label, transports] of [['WebSocket', ['websocket']], ['long-polling', ['polling']]]) {
    test(`over ${label}: a message of exactly 8 KiB is accepted, one byte more is refused`, async () => {
      const s = site('small');
      const leader = await UiClient.connect(small.url, { transports });
      const follower = await UiClient.connect(small.url, { transports });
      try {
        follower.emit('join_room', { site: s });
        await follower.next('confirm_follower_start');
        leader.emit('new_leader', leaderPayload(s, {}));
        await leader.next('confirm_leader_start');
        leader.emit('ui_change', uiChangeOfBytes(s, 8192, 'exact'));
        assert.equal((await follower.next('new_state')).key, 'exact');
        const dropped = leader.disconnected();
        leader.emit('ui_change', uiChangeOfBytes(s, 8193, 'over'));
        await dropped;
        assert.deepEqual(await follower.next('no_more_leader'), { site: s, leader_name: 'Ann Leader' });
        assert.equal(follower.all('new_state').length, 1, 'the message over the limit was not applied');
        assert.equal((await roomState(small, s)).over, undefined);
      } finally {
        [leader, follower].forEach((c) => c.close());
      }
    });
  }
});
