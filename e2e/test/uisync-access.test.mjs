// UI sync closed with uisync.access=token, and the pages uisync.origins lets in, with the real
// socket.io-client 4.6.2: a client connects with `auth: { token }` and its grants on
// uisync:<site> decide what it may do.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, mintToken } from '../lib/server.mjs';
import { UiClient, TRANSPORTS, leaderPayload } from '../lib/uisync-client.mjs';

let n = 0;
const site = (name) => `${name}-${++n}`;

describe('uisync.access=token', () => {
  let server;
  let leaderToken;
  let readerToken;
  before(async () => {
    server = await startServer({ args: ['--uisync-access', 'token'] });
    leaderToken = mintToken({ sub: 'ann', rooms: ['uisync:obs-*'], role: 'leader' });
    readerToken = mintToken({ sub: 'fred', rooms: ['uisync:obs-*'], role: 'reader' });
  });
  after(async () => { await server.stop(); server.cleanup(); });

  for (const [label, transports] of TRANSPORTS) {
    test(`the right grants lead and follow over ${label}`, async () => {
      const s = site('obs');
      const leader = await UiClient.connect(server.url, { transports, auth: { token: leaderToken } });
      const follower = await UiClient.connect(server.url, { transports, auth: { token: readerToken } });
      try {
        follower.emit('join_room', { site: s });
        await follower.next('confirm_follower_start');
        leader.emit('new_leader', leaderPayload(s, { k: 0 }));
        await leader.next('confirm_leader_start');
        assert.deepEqual((await follower.next('full_state_snapshot')).state_snapshot, { k: 0 });
        leader.emit('ui_change', { site: s, mutation_name: 'k', new_val: 1 });
        assert.deepEqual(await follower.next('new_state'), { key: 'k', new_val: 1 });
        follower.emit('ui_change', { site: s, mutation_name: 'k', new_val: 2 });
        const refused = await follower.next('error');
        assert.equal(refused.reason, 'forbidden');
        assert.equal(refused.event, 'ui_change');
      } finally {
        leader.close();
        follower.close();
      }
    });
  }

  test('without a token the client is told why and disconnected, and does not reconnect', async () => {
    const c = new UiClient(server.url, {});
    try {
      const gone = c.disconnected();
      const refused = await c.next('error');
      assert.equal(refused.event, 'connect');
      assert.equal(refused.reason, 'unauthorized');
      assert.equal((await gone)[0], 'io server disconnect');
      assert.equal(c.all('confirm_connect').length, 0);
    } finally {
      c.close();
    }
  });

  test('a token for other sites is refused on this one', async () => {
    const c = await UiClient.connect(server.url, { auth: { token: readerToken } });
    try {
      c.emit('join_room', { site: 'elsewhere' });
      const refused = await c.next('error');
      assert.equal(refused.reason, 'forbidden');
      assert.equal(refused.site, 'elsewhere');
      await c.ping();
    } finally {
      c.close();
    }
  });
});

describe('uisync.origins listing the frontend', () => {
  const FRONTEND = 'https://www.photonranch.org';
  let server;
  before(async () => { server = await startServer({ args: ['--uisync-origins', FRONTEND] }); });
  after(async () => { await server.stop(); server.cleanup(); });

  test('the listed page polls with credentials; another page is refused', async () => {
    const polling = server.url + '/socket.io/?EIO=4&transport=polling';
    const listed = await fetch(polling, { headers: { Origin: FRONTEND } });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), FRONTEND);
    assert.equal(listed.headers.get('access-control-allow-credentials'), 'true');
    const other = await fetch(polling, { headers: { Origin: 'https://evil.example' } });
    assert.equal(other.status, 403);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('a Node client, which sends no Origin, is no page and connects', async () => {
    const c = await UiClient.connect(server.url);
    try {
      await c.ping();
    } finally {
      c.close();
    }
  });
});
