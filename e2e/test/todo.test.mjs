// The to-do example (examples/todo/, served at /examples/todo/) in headless Chromium: two browser
// contexts converge; one goes offline, edits, reloads the page while offline (its service worker
// serves the page, IndexedDB the client's queue), comes back, and its edits land exactly once.
// Keeps a screenshot in e2e/target/todo.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { mintToken, startServer, until, within } from '../lib/server.mjs';
import { roomOps } from '../lib/room-ops.mjs';
import { NO_BROWSER, launchChromium } from '../lib/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const texts = (page) => page.locator('#items .text').allTextContents();

async function add(page, text) {
  await page.fill('#text', text);
  await page.click('#add button');
}

test('the to-do page converges in two contexts and keeps offline edits through a reload', { skip: NO_BROWSER }, async () => {
  const server = await startServer();
  let browser;
  try {
    browser = await launchChromium();
    const open = async (sub) => {
      const context = await browser.newContext({ viewport: { width: 600, height: 500 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e));
      const token = mintToken({ sub, rooms: ['todo*'] });
      await page.goto(`${server.url}/examples/todo/#room=todo-e2e&name=${sub}&token=${encodeURIComponent(token)}`);
      await until(async () => (await page.textContent('#status')) === 'online', `${sub} online`);
      return { context, page, errors };
    };
    const ann = await open('ann');
    const ben = await open('ben');
    await until(async () => (await ann.page.textContent('#here')).includes('ben'), 'ann sees ben is here');
    await until(async () => (await ben.page.textContent('#here')).includes('ann'), 'ben sees ann is here');

    await add(ann.page, 'buy milk');
    await add(ben.page, 'call the plumber');
    await until(async () => (await texts(ann.page)).length === 2 && (await texts(ben.page)).length === 2, 'both lists hold both items');
    assert.deepEqual(await texts(ann.page), await texts(ben.page));

    // ben offline: edits, reloads with no network, edits again
    await ben.page.evaluate(() => navigator.serviceWorker.ready);
    await ben.context.setOffline(true);
    await until(async () => (await ben.page.textContent('#status')) === 'offline', 'ben offline');
    await add(ben.page, 'water the plants');
    await ben.page.locator('li', { hasText: 'buy milk' }).locator('input[type=checkbox]').check();
    await ben.page.evaluate(() => window.todo.client.flush());
    await ben.page.reload();
    await until(async () => (await texts(ben.page)).includes('water the plants'), 'the offline edit shown after the reload');
    assert.equal(await ben.page.textContent('#status'), 'offline');
    assert.equal(await ben.page.evaluate(() => !!navigator.serviceWorker.controller && !navigator.onLine), true,
      'the page came from the service worker, with no network');
    await add(ben.page, 'fix the bike');
    assert.match(await ben.page.textContent('#waiting'), /3 changes waiting/);
    assert.equal((await texts(ann.page)).length, 2, 'nothing reached ann meanwhile');
    await ben.page.evaluate(() => window.todo.client.flush());

    await ben.context.setOffline(false);
    await until(async () => (await texts(ann.page)).length === 4, 'ben\'s offline edits reach ann', 15000);
    await until(async () => (await ben.page.textContent('#waiting')) === '', 'ben has nothing waiting');
    assert.deepEqual(await texts(ann.page), await texts(ben.page));
    assert.equal((await ben.page.textContent('#here')).match(/ben/g).length, 1, 'ben is listed once, as you');
    await until(async () => (await ann.page.locator('li.done .text').allTextContents()).includes('buy milk'), 'the check reaches ann');

    const { ops } = await roomOps(server, 'todo-e2e', WebSocket);
    for (const text of ['water the plants', 'fix the bike']) {
      assert.equal(ops.filter((op) => Object.values(op.set ?? {}).some((v) => v.text === text)).length, 1, `${text} landed once`);
    }
    assert.equal(ops.filter((op) => Object.values(op.set ?? {}).some((v) => v.text === 'buy milk' && v.done)).length, 1, 'the check landed once');
    assert.equal(ops.length, 5);
    assert.deepEqual([...ann.errors, ...ben.errors], []);
    mkdirSync(join(here, '..', 'target'), { recursive: true });
    await ben.page.screenshot({ path: join(here, '..', 'target', 'todo.png') });
  } finally {
    await within(browser?.close(), 20000, 'chromium to close');
    await server.stop();
    server.cleanup();
  }
});
