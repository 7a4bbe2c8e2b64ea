// Live-meet relay benchmark: 3 updating locations at RATE updates/s each, DISPLAYS display-only
// clients; measures relay latency (writer send → display receive) and server CPU time.
//
//   node bench/node/meets.mjs [--seconds 20] [--rate 50] [--displays 200] [--jar server/target/livestate.jar]
//
// Loopback only; the server runs as a child process (its CPU time read from /proc/<pid>/stat).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
};
const SECONDS = Number(arg('seconds', 20));
const RATE = Number(arg('rate', 50));
const DISPLAYS = Number(arg('displays', 200));
const JAR = arg('jar', join(here, '..', '..', 'server', 'target', 'livestate.jar'));
const PASSWORD = 'benchmark password';
const now = () => performance.timeOrigin + performance.now();

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'livestate-bench-'));
  const child = spawn('java', ['-jar', JAR, '--port', '0', '--data-dir', dir, '--store-sync', 'normal'],
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
    const ws = new WebSocket(url);
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

const server = await startServer();
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

const latencies = [];
let received = 0;
let measuring = false;
const displays = [];
for (let i = 0; i < DISPLAYS; i++) {
  const ws = await connect(url, (m) => {
    if (m.msgType !== 'UPDATE_RELAY' || m.pulled) return;
    const t = now();
    for (const u of m.updatesRelayed) {
      received++;
      if (measuring) latencies.push(t - u.updateValue.t);
    }
  });
  ws.send(JSON.stringify({ msgType: 'CLIENT_PULL', sessionToken: d.sessionToken, lastServerSeq: 0 }));
  displays.push(ws);
}
await new Promise((r) => setTimeout(r, 1000));

const cpu0 = cpuTicks(server.pid);
const t0 = Date.now();
measuring = true;
let sent = 0;
const timers = writers.map((w, wi) => {
  let local = 0;
  return setInterval(() => {
    local++;
    sent++;
    w.ws.send(JSON.stringify({ msgType: 'UPDATE_INIT', sessionToken: w.token, updates: [{
      updateKey: `${locations[wi]}.attempt.${local % 100}`, updateValue: { t: now(), n: local },
      localSeqNum: local, afterServerSeqNum: 0 }] }));
  }, 1000 / RATE);
});
await new Promise((r) => setTimeout(r, SECONDS * 1000));
timers.forEach(clearInterval);
await new Promise((r) => setTimeout(r, 1000));
measuring = false;
const elapsed = (Date.now() - t0) / 1000;
const cpuSeconds = (cpuTicks(server.pid) - cpu0) / 100;

latencies.sort((a, b) => a - b);
const result = {
  seconds: SECONDS, ratePerLocation: RATE, displays: DISPLAYS, updatesSent: sent,
  relaysExpected: sent * DISPLAYS, relaysReceived: latencies.length,
  p50ms: +percentile(latencies, 50).toFixed(2), p99ms: +percentile(latencies, 99).toFixed(2),
  maxms: +latencies[latencies.length - 1].toFixed(2),
  serverCpuSeconds: +cpuSeconds.toFixed(2), serverCpuPercent: +((cpuSeconds / elapsed) * 100).toFixed(1),
};
console.log(JSON.stringify(result, null, 2));
for (const ws of displays) ws.terminate();
for (const w of writers) w.ws.terminate();
await server.stop();
