// UI sync (Photon Ranch ui-sync-server drop-in) driven by the real socket.io-client 4.6.2.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, until } from '../lib/server.mjs';
import { UiClient, TRANSPORTS, leaderPayload, roomState } from '../lib/uisync-client.mjs';

let server;
let n = 0;
const site = (name) => `${name}-${++n}`;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
  server.cleanup();
});

test('GET / answers 200 for health checks', async () => {
  const res = await fetch(server.url + '/');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /online/);
});

test('CORS: any page may poll by default, without credentials (uisync.origins lists the ones with)', async () => {
  const res = await fetch(server.url + '/socket.io/?EIO=4&transport=polling', {
    headers: { Origin: 'https://www.photonranch.org' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.equal(res.headers.get('access-control-allow-credentials'), null);
  const pre = await fetch(server.url + '/socket.io/?EIO=4&transport=polling', {
    method: 'OPTIONS',
    headers: { Origin: 'https://x.example', 'Access-Control-Request-Method': 'POST' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
});

for (const [label, transports] of TRANSPORTS) {
  describe(`over ${label}`, () => {
    test('every event of a leader/follower session, with the original payloads', async () => {
      const s = site('mrc');
      const follower = await UiClient.connect(server.url, { transports });
      const leader = await UiClient.connect(server.url, { transports });
      const bystander = await UiClient.connect(server.url, { transports });
      try {
        follower.emit('join_room', { site: s });
        assert.deepEqual(await follower.next('confirm_follower_start'), { site: s });

        const state = { 'command_params/mount_ra': 12.34, 'user_interface/selected_subpage': 'home' };
        const who = { admin: false, name: 'Ann Leader', id: 'user-ann' };
        leader.emit('new_leader', leaderPayload(s, state, who));
        assert.deepEqual(await leader.next('confirm_leader_start'), { site: s });
        assert.deepEqual(await follower.next('full_state_snapshot'), { state_snapshot: state, leader: who });
        const leaders = await bystander.next('all_leaders', (p) => p.leaders[s]);
        assert.equal(leaders.leaders[s], 'Ann Leader');
        await follower.next('all_leaders', (p) => p.leaders[s]);
        assert.equal(leader.all('all_leaders').some((p) => p.leaders[s]), false, 'not sent to the new leader');

        // values relayed exactly as sent, including the falsy ones
        const values = [null, false, 0, '', 'text', 1.5, [1, { a: null }], { nested: { deep: true } }];
        values.forEach((v, i) => leader.emit('ui_change', { site: s, mutation_name: `k${i}`, new_val: v }));
        for (let i = 0; i < values.length; i++) {
          assert.deepEqual(await follower.next('new_state', (p) => p.key === `k${i}`), { key: `k${i}`, new_val: values[i] });
        }

        // a newcomer sees the leader and everyone's leader list
        const late = await UiClient.connect(server.url, { transports });
        assert.equal(late.events[0].payload.leaders[s], 'Ann Leader');
        late.close();

        follower.emit('my_ping');
        await follower.next('my_pong');

        leader.emit('remove_leader', { site: s });
        assert.deepEqual(await leader.next('confirm_leader_end'), { site: s });
        assert.deepEqual(await follower.next('no_more_leader'), { site: s, leader_name: 'Ann Leader' });
        await bystander.next('all_leaders', (p) => !(s in p.leaders));

        follower.emit('leave_room', { site: s });
        assert.deepEqual(await follower.next('confirm_follower_end'), { site: s });
        leader.emit('new_leader', leaderPayload(s, { after: 1 }));
        await leader.next('confirm_leader_start');
        await bystander.next('all_leaders', (p) => p.leaders[s]);
        await follower.ping();
        assert.equal(follower.all('full_state_snapshot').length, 1, 'no events after leave_room');
      } finally {
        [follower, leader, bystander].forEach((c) => c.close());
      }
    });

    test('a follower joining late gets a snapshot reflecting earlier changes', async () => {
      const s = site('late');
      const leader = await UiClient.connect(server.url, { transports });
      try {
        leader.emit('new_leader', leaderPayload(s, { a: 1, b: 2 }));
        await leader.next('confirm_leader_start');
        leader.emit('ui_change', { site: s, mutation_name: 'b', new_val: 3 });
        leader.emit('ui_change', { site: s, mutation_name: 'c', new_val: 'x' });
        await until(async () => (await roomState(server, s))?.c === 'x', 'changes applied');
        const follower = await UiClient.connect(server.url, { transports });
        follower.emit('join_room', { site: s });
        const snap = await follower.next('full_state_snapshot');
        assert.deepEqual(snap.state_snapshot, { a: 1, b: 3, c: 'x' });
        assert.equal(snap.leader.name, 'Ann Leader');
        const kinds = follower.events.map((e) => e.event).filter((e) => e !== 'confirm_connect' && e !== 'all_leaders');
        assert.deepEqual(kinds.slice(0, 2), ['full_state_snapshot', 'confirm_follower_start']);
        follower.close();
      } finally {
        leader.close();
      }
    });

    test('joining twice is harmless: one subscription, one copy of each change', async () => {
      const s = site('twice');
      const twice = await UiClient.connect(server.url, { transports });
      const once = await UiClient.connect(server.url, { transports });
      const leader = await UiClient.connect(server.url, { transports });
      const keys = (c) => c.all('new_state').map((p) => p.key);
      try {
        twice.emit('join_room', { site: s });
        twice.emit('join_room', { site: s });
        once.emit('join_room', { site: s });
        assert.deepEqual(await twice.next('confirm_follower_start'), { site: s });
        assert.deepEqual(await twice.next('confirm_follower_start'), { site: s });
        await once.next('confirm_follower_start');
        leader.emit('new_leader', leaderPayload(s, { a: 1 }));
        await leader.next('confirm_leader_start');
        ['k1', 'k2', 'k3'].forEach((k) => leader.emit('ui_change', { site: s, mutation_name: k, new_val: k }));
        await twice.next('new_state', (p) => p.key === 'k3');
        leader.emit('ui_change', { site: s, mutation_name: 'marker1', new_val: 0 });
        await twice.next('new_state', (p) => p.key === 'marker1');
        assert.equal(twice.all('full_state_snapshot').length, 1, 'one snapshot from the one subscription');
        assert.deepEqual(keys(twice), ['k1', 'k2', 'k3', 'marker1']);

        // joining again while led is answered like any join: the current state, then the confirm
        twice.emit('join_room', { site: s });
        const snap = await twice.nextArrival('full_state_snapshot', (p) => 'marker1' in p.state_snapshot);
        assert.deepEqual(snap.payload.state_snapshot, { a: 1, k1: 'k1', k2: 'k2', k3: 'k3', marker1: 0 });
        assert.ok((await twice.nextArrival('confirm_follower_start')).index > snap.index);
        leader.emit('ui_change', { site: s, mutation_name: 'k4', new_val: 'k4' });
        leader.emit('ui_change', { site: s, mutation_name: 'marker2', new_val: 0 });
        await twice.next('new_state', (p) => p.key === 'marker2');
        assert.deepEqual(keys(twice), ['k1', 'k2', 'k3', 'marker1', 'k4', 'marker2']);

        // one leave_room ends it: no second subscription was left behind
        twice.emit('leave_room', { site: s });
        await twice.next('confirm_follower_end');
        leader.emit('ui_change', { site: s, mutation_name: 'after', new_val: 1 });
        await once.next('new_state', (p) => p.key === 'after');
        await twice.ping();
        assert.deepEqual(keys(twice), ['k1', 'k2', 'k3', 'marker1', 'k4', 'marker2']);
        assert.deepEqual(keys(once), ['k1', 'k2', 'k3', 'marker1', 'k4', 'marker2', 'after']);
      } finally {
        [twice, once, leader].forEach((c) => c.close());
      }
    });

    test('sites are isolated', async () => {
      const a = site('a');
      const b = site('b');
      const fa = await UiClient.connect(server.url, { transports });
      const fb = await UiClient.connect(server.url, { transports });
      const la = await UiClient.connect(server.url, { transports });
      const lb = await UiClient.connect(server.url, { transports });
      try {
        fa.emit('join_room', { site: a });
        fb.emit('join_room', { site: b });
        await fa.next('confirm_follower_start');
        await fb.next('confirm_follower_start');
        la.emit('new_leader', leaderPayload(a, { x: 'a' }, { name: 'A' }));
        lb.emit('new_leader', leaderPayload(b, { x: 'b' }, { name: 'B' }));
        assert.deepEqual((await fa.next('full_state_snapshot')).state_snapshot, { x: 'a' });
        assert.deepEqual((await fb.next('full_state_snapshot')).state_snapshot, { x: 'b' });
        la.emit('ui_change', { site: a, mutation_name: 'only', new_val: 'a' });
        lb.emit('ui_change', { site: b, mutation_name: 'only', new_val: 'b' });
        assert.equal((await fa.next('new_state')).new_val, 'a');
        assert.equal((await fb.next('new_state')).new_val, 'b');
        la.emit('remove_leader', { site: a });
        await fa.next('no_more_leader');
        await lb.ping();
        await fb.ping();
        assert.equal(fb.all('no_more_leader').length, 0);
        assert.equal(fa.all('new_state').length, 1);
        assert.equal(fb.all('new_state').length, 1);
      } finally {
        [fa, fb, la, lb].forEach((c) => c.close());
      }
    });

    test('a leader that disconnects ends its leadership of every site it led', async () => {
      const s1 = site('d1');
      const s2 = site('d2');
      const follower = await UiClient.connect(server.url, { transports });
      const watcher = await UiClient.connect(server.url, { transports });
      const leader = await UiClient.connect(server.url, { transports });
      try {
        follower.emit('join_room', { site: s1 });
        follower.emit('join_room', { site: s2 });
        await follower.next('confirm_follower_start');
        await follower.next('confirm_follower_start');
        leader.emit('new_leader', leaderPayload(s1, {}, { name: 'Dee' }));
        leader.emit('new_leader', leaderPayload(s2, {}, { name: 'Dee' }));
        await watcher.next('all_leaders', (p) => p.leaders[s1] && p.leaders[s2]);
        leader.close();
        const ends = [await follower.next('no_more_leader'), await follower.next('no_more_leader')];
        assert.deepEqual(ends.map((e) => e.site).sort(), [s1, s2].sort());
        assert.ok(ends.every((e) => e.leader_name === 'Dee'));
        await watcher.next('all_leaders', (p) => !(s1 in p.leaders) && !(s2 in p.leaders));
      } finally {
        [follower, watcher, leader].forEach((c) => c.close());
      }
    });

    test('50 followers each get 200 ui_changes in order', async () => {
      const s = site('order');
      const followers = await Promise.all(
        Array.from({ length: 50 }, () => UiClient.connect(server.url, { transports })));
      const leader = await UiClient.connect(server.url, { transports });
      try {
        followers.forEach((f) => f.emit('join_room', { site: s }));
        await Promise.all(followers.map((f) => f.next('confirm_follower_start')));
        leader.emit('new_leader', leaderPayload(s, {}));
        await leader.next('confirm_leader_start');
        for (let i = 0; i < 200; i++) leader.emit('ui_change', { site: s, mutation_name: 'counter', new_val: i });
        await until(() => followers.every((f) => f.all('new_state').length >= 200), '200 deliveries each', 30000);
        for (const f of followers) {
          assert.deepEqual(f.all('new_state').map((p) => p.new_val), Array.from({ length: 200 }, (_, i) => i));
        }
      } finally {
        followers.forEach((f) => f.close());
        leader.close();
      }
    });
  });
}
