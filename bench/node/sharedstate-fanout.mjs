// Shared-state fan-out benchmark: N clients subscribed to one collection of ITEMS items while one
// writer updates RATE items per second; measures notify latency (writer send -> subscriber
// receive) and the server's CPU time. Starts the packaged server as a child process.
//
//   node sharedstate-fanout.mjs [--clients 100] [--items 10000] [--rate 1000] [--batch 10]
//                               [--seconds 20] [--warmup 5] [--service items] [--jar ../../server/target/livestate.jar]
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
const CLIENTS = Number(arg('clients', 100));
const ITEMS = Number(arg('items', 10000));
const RATE = Number(arg('rate', 1000));
const BATCH = Number(arg('batch', 10));
const SECONDS = Number(arg('seconds', 20));
const SERVICE = arg('service', 'items');
const JAR = arg('jar', process.env.LIVESTATE_JAR || join(here, '..', '..', 'server', 'target', 'livestate.jar'));
const PATH = `/bench/${SERVICE}/fanout`;
const TS = /"ts":([0-9.]+)/;
const now = () => performance.timeOrigin + performance.now();

function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'livestate-bench-'));
  // every subscriber connects from loopback and the writer sends as fast as it can: limits off
  const child = spawn('java', ['-Xmx1g', '-jar', JAR, '--port', '0', '--data-dir', dir, '--store-sync', 'normal',
    '--limits-max-connections-per-address', '0', '--limits-changes-per-second', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (c) => {
      out += c;
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), dir });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}\n${out}`)));
  });
}

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, clock ticks (100/s)
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sharedstate`, { perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

let tunnel = 0;
function request(ws, cmd, path, arg) {
  const t = ++tunnel;
  ws.send(JSON.stringify({ type: 'REQUEST', cmd, path, arg, tunnel: t }));
  return t;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

const server = await startServer();
try {
  const writer = await connect(server.port);
  const replies = new Map();
  writer.on('message', (d) => {
    const m = JSON.parse(d);
    if (m.type === 'REPLY') replies.get(m.tunnel)?.(m);
  });
  const put = (arg) => new Promise((r) => replies.set(request(writer, 'PUT', PATH, arg), r));
  for (let i = 0; i < ITEMS; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(ITEMS, i + 1000); j++) batch.push({ id: 'item' + j, n: j, ts: 0, text: 'initial value of item ' + j });
    await put({ insert: batch });
  }

  let measuring = false;
  const latencies = [];
  let notifications = 0;
  const subscribers = [];
  for (let c = 0; c < CLIENTS; c++) {
    const ws = await connect(server.port);
    const state = { synced: false, size: 0 };
    ws.on('message', (d) => {
      const received = now();
      if (!state.synced) {
        const m = JSON.parse(d);
        if (m.type === 'MESSAGE' && m.data.reset) {
          state.synced = true;
          state.size = m.data.insert.length;
        }
        return;
      }
      // every item of a batch carries the batch's send time: one sample per notification,
      // read without parsing the whole message (keeps the load generator light)
      notifications++;
      const at = TS.exec(d.toString('latin1'));
      if (measuring && at) latencies.push(received - Number(at[1]));
    });
    request(ws, 'PUT', '/subs', { insert: [[PATH, {}]] });
    subscribers.push({ ws, state });
  }
  const deadline = Date.now() + 60000;
  while (!subscribers.every((s) => s.state.synced && s.state.size === ITEMS)) {
    if (Date.now() > deadline) throw new Error('subscribers did not sync');
    await new Promise((r) => setTimeout(r, 20));
  }

  // updates: RATE items/s in batches of BATCH, paced against the clock
  const interval = (1000 * BATCH) / RATE;
  let sent = 0;
  const pace = (ms) => new Promise((resolve) => {
    const start = Date.now();
    const total = Math.round(ms / interval);
    let next = 0;
    const tick = () => {
      const elapsed = Date.now() - start;
      while (next * interval <= elapsed && next < total) {
        const ts = now();
        const insert = [];
        for (let k = 0; k < BATCH; k++) {
          const id = 'item' + ((sent + k) % ITEMS);
          insert.push({ id, n: sent + k, ts, text: 'updated value of ' + id });
        }
        sent += BATCH;
        request(writer, 'PUT', PATH, { insert });
        next++;
      }
      if (next >= total) return resolve(total);
      setTimeout(tick, Math.max(0, Math.min(interval, next * interval - (Date.now() - start))));
    };
    tick();
  });
  const caughtUp = async (expected) => {
    const until = Date.now() + 120000;
    while (notifications < expected && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  };
  // warm-up (JIT): the same load, then wait until every subscriber has caught up
  const warmBatches = await pace(1000 * Number(arg('warmup', 5)));
  await caughtUp(warmBatches * CLIENTS);
  notifications = 0;
  measuring = true;
  const cpuBefore = cpuSeconds(server.child.pid);
  const loadCpuBefore = process.cpuUsage();
  const measureStart = now();
  const batches = await pace(SECONDS * 1000);
  await caughtUp(batches * CLIENTS);
  const measured = (now() - measureStart) / 1000;
  const cpu = cpuSeconds(server.child.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const result = {
    clients: CLIENTS, items: ITEMS, rate: RATE, batch: BATCH, seconds: SECONDS, service: SERVICE,
    samples: latencies.length,
    p50_ms: +percentile(latencies, 0.5).toFixed(2),
    p99_ms: +percentile(latencies, 0.99).toFixed(2),
    max_ms: +(latencies[latencies.length - 1] ?? NaN).toFixed(2),
    server_cpu_percent: +((100 * cpu) / measured).toFixed(1),
    load_generator_cpu_percent: +((() => { const u = process.cpuUsage(loadCpuBefore); return (u.user + u.system) / 1e4 / measured; })()).toFixed(1),
    notifications_per_s: Math.round(notifications / measured),
    expected_notifications: batches * CLIENTS, received_notifications: notifications,
  };
  console.log(JSON.stringify(result));
  subscribers.forEach((s) => s.ws.terminate());
  writer.terminate();
} finally {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.on('exit', r));
  rmSync(server.dir, { recursive: true, force: true });
}
