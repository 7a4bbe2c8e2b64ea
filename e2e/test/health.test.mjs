import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

test('the packaged server starts on a free port and answers its health check', async () => {
  const server = await startServer();
  try {
    const res = await fetch(server.url + '/healthz');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, 'ok');
  } finally {
    await server.stop();
    server.cleanup();
  }
});
