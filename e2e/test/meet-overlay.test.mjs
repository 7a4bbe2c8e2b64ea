// The livestream overlay page in headless Chromium: it joins a meet display-only and shows
// another client's updates live. Keeps a screenshot in e2e/artifacts/overlay.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startServer, until, within } from '../lib/server.mjs';
import { NO_BROWSER, launchChromium } from '../lib/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'overlay test password';

/** A raw protocol client: sends JSON, records every message. */
async function raw(url) {
  const ws = new WebSocket(url);
  const received = [];
  ws.on('message', (d) => received.push(JSON.parse(String(d))));
  await within(new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); }), 10000, 'the meet WebSocket to open');
  return {
    received,
    send: (m) => ws.send(JSON.stringify(m)),
    next: async (type, from = 0) => until(() => received.slice(from).find((m) => m.msgType === type), type),
    close: () => ws.close(),
  };
}

test('the overlay renders chosen keys and follows another client live', { skip: NO_BROWSER }, async () => {
  const server = await startServer({ args: ['--meet-scrypt-log2n', '10'] });
  let browser;
  let writer;
  try {
    browser = await launchChromium();
    writer = await raw(server.wsUrl + '/meet');
    writer.send({ msgType: 'CREATE_MEET', thisLocationName: 'platform', password: PASSWORD,
      endpoints: [{ locationName: 'platform', priority: 1 }] });
    const created = await writer.next('MEET_CREATED');
    const token = created.sessionToken;
    let seq = 0;
    // afterServerSeqNum: the last server seq this writer has been told of (its acks).
    const seen = () => writer.received.filter((m) => m.msgType === 'UPDATE_ACK').length;
    const update = (key, value) => {
      seq++;
      writer.send({ msgType: 'UPDATE_INIT', sessionToken: token,
        updates: [{ updateKey: key, updateValue: value, localSeqNum: seq, afterServerSeqNum: seen() }] });
    };
    update('lifter.current.name', 'Ann Lee');
    update('lifter.hidden', 'not shown');
    await until(() => writer.received.filter((m) => m.msgType === 'UPDATE_ACK').length === 2, 'acks');

    // A display-only token for the overlay URL.
    writer.send({ msgType: 'JOIN_MEET', meetId: created.meetId, password: PASSWORD, displayOnly: true });
    const display = await writer.next('MEET_JOINED');
    const page = await browser.newPage({ viewport: { width: 800, height: 200 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    const url = `${server.url}/meet/overlay?keys=lifter.current.name,lifter.current.total,attempt.*`
      + `&labels=Lifter,Total&layout=row&size=40#token=${encodeURIComponent(display.sessionToken)}`;
    await page.goto(url);
    const name = page.locator('[data-key="lifter.current.name"] .value');
    await until(async () => (await name.textContent()) === 'Ann Lee', 'initial state rendered');
    assert.equal(await page.locator('[data-key="lifter.hidden"]').count(), 0);

    update('lifter.current.total', 455);
    update('attempt.3.weight', 170);
    update('lifter.current.name', 'Bea Ruiz');
    const total = page.locator('[data-key="lifter.current.total"] .value');
    await until(async () => (await total.textContent()) === '455', 'live update rendered');
    await until(async () => (await name.textContent()) === 'Bea Ruiz', 'overwrite rendered');
    await until(async () => (await page.locator('[data-key="attempt.3.weight"] .value').count()) === 1, 'prefix key');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgba(0, 0, 0, 0)', 'transparent for OBS');
    assert.deepEqual(errors, []);
    mkdirSync(join(here, '..', 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(here, '..', 'artifacts', 'overlay.png'), omitBackground: true });
  } finally {
    writer?.close();
    await within(browser?.close(), 20000, 'chromium to close');
    await server.stop();
    server.cleanup();
  }
});
