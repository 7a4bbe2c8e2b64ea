// The bundles the packaged server serves at /js/client/: the ES module a page imports is fetched
// and loaded as it is, and the IIFE bundle defines the global LIVESTATE.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { startServer } from '../../../../e2e/lib/server.mjs';
import { token, until, WebSocket } from './helpers.mjs';

const s = await startServer();
after(async () => {
  await s.stop();
  s.cleanup();
});

async function served(file) {
  const res = await fetch(`${s.url}/js/client/${file}`);
  assert.equal(res.status, 200, `the server serves ${file}`);
  return res.text();
}

test('the served ES module exports what src/ exports and works', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'livestate-dist-')), 'livestate.mjs');
  writeFileSync(file, await served('livestate.mjs'));
  const bundle = await import(pathToFileURL(file).href);
  const src = await import('../src/index.js');
  assert.deepEqual(Object.keys(bundle).sort(), Object.keys(src).sort());
  const one = new bundle.LivestateClient(s.wsUrl + '/ws', { token: token('dist-one'), WebSocket });
  const two = new bundle.LivestateClient(s.wsUrl + '/ws', { token: token('dist-two'), WebSocket });
  try {
    const a = one.room('sdk-dist', { create: true });
    await a.ready;
    const b = two.room('sdk-dist');
    await b.ready;
    assert.deepEqual(await a.set('x', [1, 2]), { seq: 1 });
    await until(() => b.get('x')?.length === 2, 'the other client sees it');
  } finally {
    one.close();
    two.close();
  }
});

test('the served IIFE bundle defines LIVESTATE, and the types are served', async () => {
  const context = { crypto: globalThis.crypto, setTimeout, clearTimeout };
  vm.runInNewContext(await served('livestate.iife.js'), context);
  assert.equal(typeof context.LIVESTATE.LivestateClient, 'function');
  assert.equal(typeof context.LIVESTATE.indexedDbStorage, 'function');
  assert.match(await served('livestate.d.ts'), /class LivestateClient/);
});
