// The meet client suite on the ES module bundle the packaged server serves at /js/meet/: the file
// a page imports is fetched from a running server and loaded as it is.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from '../../../../e2e/lib/server.mjs';
import { meetClientSuite } from './meet-suite.mjs';

async function servedBundle() {
  const s = await startServer();
  try {
    const res = await fetch(s.url + '/js/meet/meet-client.mjs');
    assert.equal(res.status, 200, 'the server serves the ES module bundle');
    const types = await fetch(s.url + '/js/meet/meet-client.d.ts');
    assert.equal(types.status, 200, 'and its type declarations');
    assert.match(await types.text(), /exportState\(\): ClientState/);
    const file = join(mkdtempSync(join(tmpdir(), 'meet-dist-')), 'meet-client.mjs');
    writeFileSync(file, await res.text());
    return import(pathToFileURL(file).href);
  } finally {
    await s.stop();
    s.cleanup();
  }
}

const bundle = await servedBundle();

test('the served bundle exports what src/index.js exports', async () => {
  const src = await import('../src/index.js');
  assert.deepEqual(Object.keys(bundle).sort(), Object.keys(src).sort());
  assert.equal(bundle.default, bundle.MeetClient);
});

describe('the bundle served at /js/meet/', () => meetClientSuite(bundle));
