// Live-meet relay benchmark: 3 updating locations at RATE updates/s each, DISPLAYS display-only
// clients; measures relay latency (writer send → display receive) and server CPU time.
//
//   node bench/node/meets.mjs [--seconds 20] [--warmup 10] [--rate 50] [--displays 200] [--workers 4]
//                             [--jar server/target/livestate.jar]
//
// Loopback only; the server runs as a child process (its CPU time read from /proc/<pid>/stat).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
};
const SECONDS = Number(arg('seconds', 20));
const RATE = Number(arg('rate', 50));
const DISPLAYS = Number(arg('displays', 200));
const WARMUP = Number(arg('warmup', 10));
const DEFLATE = process.argv.includes('--deflate');
const JAR = arg('jar', join(here, '..', '..', 'server', 'target', 'livestate.jar'));
const PASSWORD = 'benchmark password';
// CLOCK_MONOTONIC, shared by every thread of the process (worker timeOrigins differ).
const now = () => Number(process.hrtime.bigint()) / 1e6;

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'livestate-bench-'));
  // every simulated location connects from loopback: no per-address connection limit
  const child = spawn('java', ['-jar', JAR, '--port', '0', '--data-dir', dir, '--store-sync', 'normal',
    '--limits-max-connections-per-address', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no start:\n' + out)), 30000);
    const onData = (c) => {
      out += c;
      const m = /listening on port (\d+)/.exec(out);
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  return { port, pid: child.pid, stop: async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
  } };
}

function connect(url, onMessage) {
  return new Promise((resolve, reject) => {
    // --deflate offers permessage-deflate like browsers do; off by default (see results).
    const ws = new WebSocket(url, { perMessageDeflate: DEFLATE });
    ws.on('message', (d) => onMessage(JSON.parse(String(d))));
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

function request(ws, inbox, msg, type) {
  return new Promise((resolve) => {
    inbox.push({ type, resolve });
    ws.send(JSON.stringify(msg));
  });
}

function client(url) {
  const inbox = [];
  return connect(url, (m) => {
    const i = inbox.findIndex((w) => w.type === m.msgType);
    if (i >= 0) inbox.splice(i, 1)[0].resolve(m);
  }).then((ws) => ({ ws, inbox }));
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

if (!isMainThread) {
  // A worker: COUNT display-only connections sharing one display token.
  const { url, token, count } = workerData;
  const latencies = [];
  let closed = 0;
  let measuring = false;
  const types = {};
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const ws = await connect(url, (m) => {
      types[m.msgType] = (types[m.msgType] || 0) + 1;
      if (m.msgType !== 'UPDATE_RELAY' || m.pulled || !measuring) return;
      const t = now();
      for (const u of m.updatesRelayed) if (u.updateValue.m) latencies.push(t - u.updateValue.t);
    });
    ws.on('close', () => closed++);
    ws.send(JSON.stringify({ msgType: 'CLIENT_PULL', sessionToken: token, lastServerSeq: 0 }));
    sockets.push(ws);
  }
  parentPort.postMessage('connected');
  parentPort.on('message', async (m) => {
    if (m === 'start') {
      measuring = true;
      return;
    }
    // Stop: wait until every update sent reached every socket here (or 30 s), then report.
    const want = m.stop * count;
    const deadline = Date.now() + 30000;
    while (latencies.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    measuring = false;
    for (const ws of sockets) ws.terminate();
    parentPort.postMessage({ latencies: Float64Array.from(latencies), closed, types });
  });
} else {
const server = await startServer();
process.on('exit', () => { try { process.kill(server.pid, 'SIGKILL'); } catch (e) { /* gone */ } });
const url = `ws://127.0.0.1:${server.port}/meet`;
const locations = ['platform-a', 'platform-b', 'weighin'];
const endpoints = locations.map((l, i) => ({ locationName: l, priority: 3 - i }));
const writers = [];
const first = await client(url);
const created = await request(first.ws, first.inbox, { msgType: 'CREATE_MEET', thisLocationName: locations[0],
  password: PASSWORD, endpoints }, 'MEET_CREATED');
writers.push({ ...first, token: created.sessionToken });
for (const l of locations.slice(1)) {
  const c = await client(url);
  const j = await request(c.ws, c.inbox, { msgType: 'JOIN_MEET', meetId: created.meetId, password: PASSWORD, locationName: l }, 'MEET_JOINED');
  writers.push({ ...c, token: j.sessionToken });
}
const d = await request(first.ws, first.inbox, { msgType: 'JOIN_MEET', meetId: created.meetId, password: PASSWORD, displayOnly: true }, 'MEET_JOINED');

// Display clients live in worker threads so one Node event loop parsing every relay does not
// become the bottleneck being measured.
const WORKERS = Number(arg('workers', 4));
const workers = [];
for (let w = 0; w < WORKERS; w++) {
  const count = Math.floor(DISPLAYS / WORKERS) + (w < DISPLAYS % WORKERS ? 1 : 0);
  const worker = new Worker(new URL(import.meta.url), { workerData: { url, token: d.sessionToken, count } });
  await new Promise((r) => worker.once('message', r)); // connected
  workers.push(worker);
}
await new Promise((r) => setTimeout(r, 1000));
for (const w of workers) w.postMessage('start');
let sent = 0;
let measured = false;
const timers = writers.map((w, wi) => {
  let local = 0;
  return setInterval(() => {
    local++;
    if (measured) sent++;
    w.ws.send(JSON.stringify({ msgType: 'UPDATE_INIT', sessionToken: w.token, updates: [{
      updateKey: `${locations[wi]}.attempt.${local % 100}`, updateValue: { t: now(), n: local, m: measured },
      localSeqNum: local, afterServerSeqNum: 0 }] }));
  }, 1000 / RATE);
});
// Warm-up: the JVM compiles its hot paths; nothing is measured.
await new Promise((r) => setTimeout(r, WARMUP * 1000));
const cpu0 = cpuTicks(server.pid);
const t0 = Date.now();
measured = true;
await new Promise((r) => setTimeout(r, SECONDS * 1000));
measured = false;
const cpuSeconds = (cpuTicks(server.pid) - cpu0) / 100;
const elapsed = (Date.now() - t0) / 1000;
timers.forEach(clearInterval);
const expected = sent * DISPLAYS;
const results = await Promise.all(workers.map((w) => new Promise((resolve) => {
  w.once('message', resolve);
  w.postMessage({ stop: Math.ceil(expected / DISPLAYS) });
})));
const latencies = results.flatMap((r) => Array.from(r.latencies));
const closed = results.reduce((a, r) => a + r.closed, 0);
const received = latencies.length;
latencies.sort((a, b) => a - b);
const result = {
  seconds: SECONDS, warmupSeconds: WARMUP, deflate: DEFLATE, ratePerLocation: RATE, displays: DISPLAYS, updatesSent: sent,
  relaysExpected: sent * DISPLAYS, relaysReceived: received,
  p50ms: +percentile(latencies, 50).toFixed(2), p99ms: +percentile(latencies, 99).toFixed(2),
  maxms: latencies.length ? +latencies[latencies.length - 1].toFixed(2) : NaN,
  serverCpuSeconds: +cpuSeconds.toFixed(2), serverCpuPercent: +((cpuSeconds / elapsed) * 100).toFixed(1),
};
console.log(JSON.stringify({ ...result, closedDisplays: closed }, null, 2));
if (process.env.DEBUG) console.log(results.map((r) => r.types));
for (const w of workers) await w.terminate();
for (const w of writers) w.ws.terminate();
await server.stop();
}
