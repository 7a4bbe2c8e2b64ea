// Issue 15, fault 1, on UI sync: a JavaScript string may hold half a surrogate pair, which
// socket.io-client sends as the JSON escape "\ud800" and UTF-8 cannot carry. The server refuses
// such an event with its `error` event before deciding anything; the site goes on for everyone,
// and sites that differ only in such a half are never created, so none merge across a restart.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { TRANSPORTS, UiClient, leaderPayload, roomState } from '../lib/uisync-client.mjs';

let n = 0;
const site = (name) => `${name}-${++n}`;

async function assertRefused(client, event) {
  const error = await client.next('error', (p) => p.event === event);
  assert.equal(error.reason, 'invalid_payload', JSON.stringify(error));
  assert.match(error.message, /surrogate/);
}

describe('a running server', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server.stop(); server.cleanup(); });

  for (const [label, transports] of TRANSPORTS) {
    test(`over ${label}: a value with a lone surrogate is refused and the site goes on`, async () => {
      const s = site('lone');
      const leader = await UiClient.connect(server.url, { transports });
      const follower = await UiClient.connect(server.url, { transports });
      try {
        leader.emit('new_leader', leaderPayload(s, { dome: 'open' }));
        await leader.next('confirm_leader_start');
        follower.emit('join_room', { site: s });
        await follower.next('full_state_snapshot');

        leader.emit('ui_change', { site: s, mutation_name: 'dome', new_val: { note: 'x\ud800' } });
        await assertRefused(leader, 'ui_change');
        leader.emit('ui_change', { site: s, mutation_name: 'dome', new_val: 'closed' });
        assert.deepEqual(await follower.next('new_state'), { key: 'dome', new_val: 'closed' });
        assert.ok(follower.socket.connected && leader.socket.connected);

        const late = await UiClient.connect(server.url, { transports });
        try {
          late.emit('join_room', { site: s });
          assert.deepEqual((await late.next('full_state_snapshot')).state_snapshot, { dome: 'closed' });
        } finally {
          late.close();
        }
      } finally {
        leader.close();
        follower.close();
      }
    });
  }

  test('a snapshot key with a lone surrogate is refused and makes no leader', async () => {
    const s = site('lone-key');
    const leader = await UiClient.connect(server.url);
    try {
      leader.emit('new_leader', leaderPayload(s, { ['k\udc00']: 1 }));
      await assertRefused(leader, 'new_leader');
      leader.emit('new_leader', leaderPayload(s, { k: 1 }));
      await leader.next('confirm_leader_start');
      assert.equal(leader.all('confirm_leader_start').length, 1);
    } finally {
      leader.close();
    }
  });
});

test('sites that differ only in a lone surrogate do not merge across a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'livestate-uisync-surrogates-'));
  const grin = 'twin\ud83d\ude00';
  try {
    let server = await startServer({ dataDir });
    try {
      const leader = await UiClient.connect(server.url);
      for (const twin of ['twin\ud800', 'twin\ud801']) {
        leader.emit('new_leader', leaderPayload(twin, { who: twin.slice(-1) }));
        await assertRefused(leader, 'new_leader');
        leader.emit('join_room', { site: twin });
        await assertRefused(leader, 'join_room');
      }
      leader.emit('new_leader', leaderPayload(grin, { who: 'grin' }));
      await leader.next('confirm_leader_start');
      leader.close();
    } finally {
      await server.stop();
    }
    server = await startServer({ dataDir });
    try {
      // '?' and U+FFFD are what UTF-8 made of a lone half before
      assert.equal(await roomState(server, 'twin?'), null);
      assert.equal(await roomState(server, 'twin\ufffd'), null);
      assert.deepEqual(await roomState(server, grin), { who: 'grin' });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
