// UI sync keeps a leader's state exactly, as the original's Python dict did: JSON null is a value
// at every depth, and keys come back in the order they were first set, to a follower joining
// late and from the store after a restart.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { TRANSPORTS, UiClient, leaderPayload, roomState } from '../lib/uisync-client.mjs';

let n = 0;
const site = (name) => `${name}-${++n}`;

// Deliberately not alphabetical, with nulls at the top level and nested.
const SNAPSHOT = {
  'zeta/last': 1,
  'command_params/object_name': null,
  mid: { b: null, a: [null, { c: null }] },
  alpha: 'x',
  beta: null,
};

// After the leader's ui_changes below: zeta/last and alpha keep their places, new/key comes last.
const AFTER_CHANGES = {
  'zeta/last': 2,
  'command_params/object_name': null,
  mid: { b: null, a: [null, { c: null }] },
  alpha: null,
  beta: null,
  'new/key': null,
};

/** Same keys in the same order at every depth, and the same values. */
function assertExactly(actual, expected, what) {
  assert.deepEqual(actual, expected, what);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), `${what}: key order`);
}

/**
 * Leads s with SNAPSHOT and sends the ui_changes that make AFTER_CHANGES; resolves once
 * follower, already following s, has been told the last of them (relayed after the commit).
 */
async function leadAndChange(leader, follower, s) {
  leader.emit('new_leader', leaderPayload(s, SNAPSHOT));
  await leader.next('confirm_leader_start');
  leader.emit('ui_change', { site: s, mutation_name: 'zeta/last', new_val: 2 });
  leader.emit('ui_change', { site: s, mutation_name: 'alpha', new_val: null });
  leader.emit('ui_change', { site: s, mutation_name: 'new/key', new_val: null });
  assert.deepEqual(await follower.next('new_state', (p) => p.key === 'new/key'),
    { key: 'new/key', new_val: null });
}

/** A client following s (confirmed). */
async function following(server, s, transports) {
  const follower = await UiClient.connect(server.url, { transports });
  follower.emit('join_room', { site: s });
  await follower.next('confirm_follower_start');
  return follower;
}

async function lateFollowersSnapshot(server, s, transports) {
  const follower = await UiClient.connect(server.url, { transports });
  try {
    follower.emit('join_room', { site: s });
    return (await follower.next('full_state_snapshot')).state_snapshot;
  } finally {
    follower.close();
  }
}

/** Runs fn with a server on dataDir, and stops the server whatever fn does. */
async function onServer(dataDir, fn) {
  const server = await startServer({ dataDir });
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

describe('a running server', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server.stop(); server.cleanup(); });

  for (const [label, transports] of TRANSPORTS) {
    test(`over ${label}: a late follower gets every key, nulls included, in the leader's order`, async () => {
      const s = site('values');
      const leader = await UiClient.connect(server.url, { transports });
      const early = await following(server, s, transports);
      try {
        await leadAndChange(leader, early, s);
        assertExactly((await early.next('full_state_snapshot')).state_snapshot, SNAPSHOT,
          'the snapshot as it was sent');
        assert.deepEqual(await early.next('new_state', (p) => p.key === 'alpha'),
          { key: 'alpha', new_val: null });

        assertExactly(await lateFollowersSnapshot(server, s, transports), AFTER_CHANGES,
          'the late follower\'s snapshot');
      } finally {
        leader.close();
        early.close();
      }
    });
  }
});

test('nulls and key order survive a restart, and a new leader\'s snapshot keeps its own order', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'livestate-uisync-values-'));
  const s = site('restart');
  // the same keys as before in another order, a new one, and nulls where there were values
  const NEXT = { beta: 'b', 'new/key': null, added: null, 'zeta/last': null, mid: { a: null } };
  try {
    await onServer(dataDir, async (server) => {
      const leader = await UiClient.connect(server.url);
      const follower = await following(server, s);
      await leadAndChange(leader, follower, s);
      leader.close();
      follower.close();
    });
    await onServer(dataDir, async (server) => {
      assertExactly(await roomState(server, s), AFTER_CHANGES, 'the state read back after a restart');
      const leader = await UiClient.connect(server.url);
      leader.emit('new_leader', leaderPayload(s, NEXT));
      await leader.next('confirm_leader_start');
      assertExactly(await lateFollowersSnapshot(server, s), NEXT, 'the new leader\'s snapshot');
      leader.close();
    });
    await onServer(dataDir, async (server) => {
      assertExactly(await roomState(server, s), NEXT, 'the reset\'s order after another restart');
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
