// The shared-state JS client in headless Chromium, loaded from the server's /js/sharedstate/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, until, within } from '../lib/server.mjs';
import { NO_BROWSER, launchChromium } from '../lib/browser.mjs';

let server;
let browser;

before(async () => {
  if (NO_BROWSER) return;
  // one page writes 5,000 items in five updates back to back: more than a connection's default
  // allowance (limits.changes-per-second, 1,000 items a second in bursts of 2,000)
  server = await startServer({ args: ['--limits-changes-per-second', '5000'] });
  browser = await launchChromium();
});

after(async () => {
  await within(browser?.close(), 20000, 'chromium to close');
  await server?.stop();
  server?.cleanup();
});

/** A page with the IIFE bundle loaded (global SHAREDSTATE) and one client in window.client. */
async function page(wsUrl = server.wsUrl + '/sharedstate') {
  const p = await browser.newPage();
  await p.goto(server.url + '/healthz');
  await p.addScriptTag({ url: '/js/sharedstate/sharedstate.iife.js' });
  await p.evaluate(async (url) => {
    window.client = new SHAREDSTATE.SharedStateClient(url, { minDelay: 50, maxDelay: 400 });
    window.diffs = [];
    await window.client.connect();
  }, wsUrl);
  return p;
}

async function acquire(p, path) {
  await p.evaluate((path) => {
    const [handle, ds] = window.client.acquire(path);
    window.handle = handle;
    window.ds = ds;
    ds.add_callback((d) => window.diffs.push(...d));
  }, path);
  await until(() => p.evaluate(() => window.ds.synced), 'dataset synced');
}

const items = (p) => p.evaluate(() => JSON.stringify(window.ds.get_items().slice().sort((a, b) => (a.id < b.id ? -1 : 1))));

/** A TCP proxy whose links can be cut. */
async function proxy(targetPort) {
  const socks = new Set();
  let blocked = false;
  const srv = net.createServer((a) => {
    if (blocked) return a.destroy();
    const b = net.connect(targetPort, '127.0.0.1');
    socks.add(a).add(b);
    for (const s of [a, b]) s.on('error', () => {}).on('close', () => { a.destroy(); b.destroy(); });
    a.pipe(b);
    b.pipe(a);
  });
  await within(new Promise((r) => srv.listen(0, '127.0.0.1', r)), 5000, 'the proxy to listen');
  return {
    port: srv.address().port,
    cut() { blocked = true; socks.forEach((s) => s.destroy()); socks.clear(); },
    restore() { blocked = false; },
    close() { this.cut(); srv.close(); },
  };
}

test('the ES module bundle and type declarations are served', { skip: NO_BROWSER }, async () => {
  const es = await fetch(server.url + '/js/sharedstate/sharedstate.es.js');
  assert.equal(es.status, 200);
  assert.match(await es.text(), /SharedStateClient/);
  const dts = await fetch(server.url + '/js/sharedstate/sharedstate.d.ts');
  assert.equal(dts.status, 200);
  const p = await browser.newPage();
  try {
    await p.goto(server.url + '/healthz');
    const services = await p.evaluate(async (url) => {
      const { SharedStateClient } = await import('/js/sharedstate/sharedstate.es.js');
      const c = new SharedStateClient(url);
      await c.connect();
      const r = await c.get('/');
      c.close();
      return r.data;
    }, server.wsUrl + '/sharedstate');
    assert.deepEqual(services, ['items', 'mitems']);
  } finally {
    await within(p.close(), 10000, 'a page to close');
  }
});

test('two browsers converge through insert, replace, remove and reset; release stops updates', { skip: NO_BROWSER }, async () => {
  const path = `/browser${Date.now()}/items/c`;
  const a = await page();
  const b = await page();
  try {
    await acquire(a, path);
    await acquire(b, path);
    await a.evaluate(() => window.ds.update({ insert: [{ id: 'x', v: 1 }, { id: 'y', v: 2 }] }));
    await until(async () => (await items(b)) === (await items(a)) && (await b.evaluate(() => window.ds.size)) === 2, 'insert');
    await b.evaluate(() => window.ds.update({ insert: [{ id: 'x', v: 9 }], remove: ['y'] }));
    await until(async () => (await items(a)) === '[{"id":"x","v":9}]', 'replace+remove');
    const diffsA = await a.evaluate(() => window.diffs);
    assert.deepEqual(diffsA, [
      { id: 'x', new: { id: 'x', v: 1 }, old: undefined },
      { id: 'y', new: { id: 'y', v: 2 }, old: undefined },
      { id: 'y', new: undefined, old: { id: 'y', v: 2 } },
      { id: 'x', new: { id: 'x', v: 9 }, old: { id: 'x', v: 1 } },
    ]);
    await a.evaluate(() => window.ds.update({ reset: true, insert: [{ id: 'r' }] }));
    await until(async () => (await items(b)) === '[{"id":"r"}]', 'reset');
    // release: b stops following
    await b.evaluate(() => window.client.release(window.handle));
    await until(() => b.evaluate(async () => (await window.client.get('/subs')).data.length === 0), 'released');
    await a.evaluate(() => window.ds.update({ insert: [{ id: 'after' }] }));
    await until(() => a.evaluate(() => window.ds.has_item('after')), 'a sees after');
    await b.evaluate(() => window.client.get('/clock'));
    assert.equal(await b.evaluate(() => window.ds.has_item('after')), false);
  } finally {
    await within(a.close(), 10000, 'a page to close');
    await within(b.close(), 10000, 'a page to close');
  }
});

test('5,000 items converge between browsers', { skip: NO_BROWSER }, async () => {
  const path = `/browser${Date.now()}/mitems/big`;
  const a = await page();
  const b = await page();
  try {
    await acquire(a, path);
    await acquire(b, path);
    await a.evaluate(async () => {
      for (let i = 0; i < 5000; i += 1000) {
        const batch = [];
        for (let j = i; j < i + 1000; j++) batch.push({ id: 'i' + j, n: j });
        await window.ds.update({ insert: batch });
      }
    });
    await until(() => b.evaluate(() => window.ds.size === 5000), '5000 at b', 20000);
    assert.ok((await items(a)) === (await items(b)));
  } finally {
    await within(a.close(), 10000, 'a page to close');
    await within(b.close(), 10000, 'a page to close');
  }
});

test('a browser whose connection is cut reconnects and converges on changes made while away', { skip: NO_BROWSER }, async () => {
  const path = `/browser${Date.now()}/items/away`;
  const link = await proxy(server.port);
  const away = await page(`ws://127.0.0.1:${link.port}/sharedstate`);
  const stay = await page();
  try {
    await acquire(away, path);
    await acquire(stay, path);
    await stay.evaluate(() => window.ds.update({ insert: [{ id: 'a', v: 1 }, { id: 'b', v: 1 }] }));
    await until(() => away.evaluate(() => window.ds.size === 2), 'away has 2');
    await away.evaluate(() => { window.diffs = []; });
    link.cut();
    await until(() => away.evaluate(() => !window.client.connected), 'cut noticed');
    await stay.evaluate(() => window.ds.update({ remove: ['a'], insert: [{ id: 'b', v: 2 }, { id: 'c', v: 1 }] }));
    link.restore();
    await until(async () => (await items(away)) === (await items(stay)), 'away converges', 15000);
    const diffs = await away.evaluate(() => window.diffs.slice().sort((p, q) => (p.id < q.id ? -1 : 1)));
    assert.deepEqual(diffs, [
      { id: 'a', new: undefined, old: { id: 'a', v: 1 } },
      { id: 'b', new: { id: 'b', v: 2 }, old: { id: 'b', v: 1 } },
      { id: 'c', new: { id: 'c', v: 1 }, old: undefined },
    ]);
  } finally {
    await within(away.close(), 10000, 'a page to close');
    await within(stay.close(), 10000, 'a page to close');
    link.close();
  }
});
