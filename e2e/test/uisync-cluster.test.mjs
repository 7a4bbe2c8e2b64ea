// UI sync across two nodes of a cluster (Redis bus, PostgreSQL store), driven by the real
// socket.io-client 4.6.2 over the websocket transport: a leader on one node, followers on the
// other. Long-polling needs every request of a client on one node (sticky sessions, see
// docs/cluster.md), which a test without a balancer has anyway; websocket is the case to prove.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { listening, startCluster, until } from '../lib/server.mjs';
import { UiClient, leaderPayload } from '../lib/uisync-client.mjs';

const missing = !(await listening(6379)) ? 'Redis is not reachable on 127.0.0.1:6379'
  : !(await listening(5432)) ? 'PostgreSQL is not reachable on 127.0.0.1:5432' : null;
if (missing && process.env.CI === 'true') throw new Error(missing + ' (CI=true: no skipping)');

const transports = ['websocket'];
let cluster;
let a;
let b;
let n = 0;
const site = (name) => `${name}-${++n}`;

describe('UI sync on two nodes', { skip: missing ?? false }, () => {
  before(async () => {
    cluster = await startCluster();
    [a, b] = await Promise.all([cluster.node('a'), cluster.node('b')]);
  });
  after(async () => {
    await cluster?.close();
  });

  const state = { 'command_params/mount_ra': 12.34, 'user_interface/selected_subpage': 'home' };
  const who = { admin: false, name: 'Ann Leader', id: 'user-ann' };
  const changes = Array.from({ length: 20 }, (_, i) => ({ key: `command_params/exposure_${i % 3}`, new_val: i }));

  /** Sends new_leader; returns once confirmed, or fails with the error the server sent instead. */
  async function lead(leader, s, snapshot) {
    leader.emit('new_leader', leaderPayload(s, snapshot, who));
    const answer = await until(() => leader.events.find((e) => !e.taken
      && ['confirm_leader_start', 'error'].includes(e.event)), 'an answer to new_leader', 15000);
    answer.taken = true;
    assert.deepEqual(answer, { event: 'confirm_leader_start', payload: { site: s }, taken: true, at: answer.at });
  }

  /**
   * The leader leads and changes the site; each follower must see its snapshot (as a new
   * leader's, or on joining a led site) and then every change, once, in order.
   */
  async function leadAndFollow(leader, early, joinLate, s) {
    await lead(leader, s, state);
    assert.deepEqual(await early.next('full_state_snapshot'), { state_snapshot: state, leader: who },
      'a follower of the site sees the new leader\'s state');

    const late = await joinLate();
    late.emit('join_room', { site: s });
    assert.deepEqual(await late.next('full_state_snapshot'), { state_snapshot: state, leader: who },
      'a follower joining a led site is sent its state');
    assert.deepEqual(await late.next('confirm_follower_start'), { site: s });

    for (const c of changes) {
      leader.emit('ui_change', { site: s, mutation_name: c.key, new_val: c.new_val });
    }
    for (const follower of [early, late]) {
      for (const c of changes) {
        assert.deepEqual(await follower.next('new_state'), c, 'every change, once, in order');
      }
    }
    assert.equal(leader.all('error').length, 0, JSON.stringify(leader.all('error')));
    return late;
  }

  test('a leader on one node and followers on the other, the site made on the leader\'s node', async () => {
    const s = site('sro');
    const leader = await UiClient.connect(a.url, { transports });
    const early = await UiClient.connect(b.url, { transports });
    let late;
    try {
      // the leader's claim reaches its node first: that node decides the site
      await lead(leader, s, { warm: 1 });
      early.emit('join_room', { site: s });
      await early.next('confirm_follower_start');
      early.events.forEach((e) => { e.taken = true; });
      late = await leadAndFollow(leader, early, () => UiClient.connect(b.url, { transports }), s);
    } finally {
      [leader, early, late].forEach((c) => c?.close());
    }
  });

  test('a leader on one node and followers on the other, the site made on the followers\' node', async () => {
    const s = site('mrc');
    const early = await UiClient.connect(b.url, { transports });
    const leader = await UiClient.connect(a.url, { transports });
    let late;
    try {
      // the follower's join reaches its node first: that node decides the site
      early.emit('join_room', { site: s });
      assert.deepEqual(await early.next('confirm_follower_start'), { site: s });
      late = await leadAndFollow(leader, early, () => UiClient.connect(b.url, { transports }), s);
    } finally {
      [leader, early, late].forEach((c) => c?.close());
    }
  });
});
