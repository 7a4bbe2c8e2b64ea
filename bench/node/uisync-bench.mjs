// UI sync benchmark: 1 leader -> N followers through Socket.IO, livestate vs a Node Socket.IO 4
// server (uisync-node-server.mjs), in the same run. Measures, per server and compression setting:
//   - deliveries/s at p99 <= 100 ms (ramping the leader's rate; each ui_change goes to every follower)
//   - server CPU per delivery (utime+stime from /proc/<pid>/stat)
//   - server memory per idle connection (RSS delta / connections)
// Followers and idle connections are websocket-only socket.io-client 4.6.2 sockets spread over
// a couple of child processes. Writes markdown to stdout (and --out FILE).
//
// node uisync-bench.mjs [--followers 1000] [--idle 5000] [--rates 20,50,100,200,400]
//                       [--seconds 5] [--warmup 10] [--compression off|on|both] [--servers livestate,node]
//                       [--jar ../../server/target/livestate.jar] [--out ../results/uisync-run.md]
//                       [--only all|throughput|memory] [--jvm '-XX:Flag ...']
import { spawn, fork, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
};
const FOLLOWERS = Number(arg('followers', 1000));
const IDLE = Number(arg('idle', 5000));
const RATES = arg('rates', '20,50,100,200,400').split(',').map(Number);
const SECONDS = Number(arg('seconds', 5));
const WARMUP = Number(arg('warmup', 10)); // seconds at the first rate before measuring
const COMPRESSION = arg('compression', 'both');
// a server is livestate or node; livestate@key=value[@key=value] runs it again with those settings
// (livestate@jar=PATH: another build)
const SERVERS = arg('servers', 'livestate,node').split(',');
const JAR = arg('jar', join(here, '..', '..', 'server', 'target', 'livestate.jar'));
const OUT = arg('out', null);
const ONLY = arg('only', 'all'); // all | throughput | memory
const JVM = arg('jvm', '').split(' ').filter(Boolean); // extra JVM flags for livestate
const CLIENT_PROCS = 2;
const PAGE = 4096;
const TICKS = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function statFields(path) {
  const s = readFileSync(path, 'utf8');
  return { comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')), f: s.slice(s.lastIndexOf(')') + 2).split(' ') };
}

// CPU seconds of the whole process, and of its JIT compiler threads (a one-time warm-up cost of
// the JVM that a long-running server does not keep paying), and its RSS.
function procStat(pid) {
  const { f } = statFields(`/proc/${pid}/stat`);
  let jit = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const ts = statFields(`/proc/${pid}/task/${t}/stat`);
      if (/CompilerThre/.test(ts.comm)) jit += (Number(ts.f[11]) + Number(ts.f[12])) / TICKS;
    }
  } catch { /* thread gone */ }
  return { cpu: (Number(f[11]) + Number(f[12])) / TICKS, jit, rss: Number(f[21]) * PAGE };
}

const kindOf = (server) => server.split('@')[0];

async function startServer(server, compression) {
  const kind = kindOf(server);
  const pairs = server.split('@').slice(1).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]);
  // jar=PATH runs another build of livestate; every other pair is a server setting
  const jar = pairs.find(([k]) => k === 'jar')?.[1] ?? JAR;
  const settings = pairs.filter(([k]) => k !== 'jar').flatMap(([k, v]) => ['--' + k, v]);
  let child;
  let dir;
  if (kind === 'livestate') {
    dir = mkdtempSync(join(tmpdir(), 'uisync-bench-'));
    // thousands of followers connect from loopback and the leader changes as fast as it can:
    // the abuse limits are off unless the server's settings (pairs) set them
    child = spawn('java', [...JVM, '-jar', jar, '--port', '0', '--data-dir', dir, '--store-sync', 'normal',
      '--limits-max-connections-per-address', '0', '--limits-changes-per-second', '0',
      '--websocket-compression', String(compression), ...settings], { stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    child = spawn(process.execPath, ['--expose-gc', join(here, 'uisync-node-server.mjs'), '0'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COMPRESSION: compression ? '1' : '0' },
    });
  }
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (c) => {
      out += c;
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${kind} exited ${code}: ${out}`)));
  });
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function clients(url, total) {
  const procs = [];
  for (let i = 0; i < CLIENT_PROCS; i++) {
    const n = Math.floor(total / CLIENT_PROCS) + (i < total % CLIENT_PROCS ? 1 : 0);
    const p = fork(join(here, 'uisync-clients.mjs'), [url, String(n)]);
    const waiters = [];
    p.on('message', (m) => {
      const w = waiters.findIndex((x) => x.cmd === m.cmd);
      if (w >= 0) waiters.splice(w, 1)[0].resolve(m);
    });
    const call = (cmd, extra = {}, reply) => new Promise((resolve) => {
      waiters.push({ cmd: reply, resolve });
      if (cmd) p.send({ cmd, ...extra });
    });
    procs.push({ ready: call(null, {}, 'ready'), call });
  }
  return {
    async all(cmd, extra, reply) {
      await Promise.all(procs.map((p) => p.ready));
      return Promise.all(procs.map((p) => p.call(cmd, extra, reply)));
    },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function connectLeader(url, site) {
  const leader = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise((r) => leader.once('confirm_connect', r));
  leader.emit('new_leader', JSON.stringify({ site, full_state_snapshot: {}, leader: { name: 'Bench', id: 'bench' } }));
  await new Promise((r) => leader.once('confirm_leader_start', r));
  return leader;
}

async function throughput(kind, compression) {
  const server = await startServer(kind, compression);
  const site = 'bench';
  const c = clients(server.url, FOLLOWERS);
  await c.all('open', {}, 'opened');
  await c.all('join', { site }, 'joined');
  const leader = await connectLeader(server.url, site);
  // one leader rate for a while: send, wait for every delivery, return what was seen
  const run = async (rate, seconds) => {
    const before = procStat(server.pid);
    const started = Date.now();
    let sent = 0;
    const perTick = rate / 100;
    let owed = 0;
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        owed += perTick;
        while (owed >= 1) {
          leader.emit('ui_change', { site, mutation_name: 'ra', new_val: { t: Date.now(), i: sent++ } });
          owed -= 1;
        }
        if (Date.now() - started >= seconds * 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    const expected = sent * FOLLOWERS;
    let got = 0;
    let lat = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      await sleep(250);
      const parts = await c.all('take', {}, 'taken');
      parts.forEach((p) => { got += p.received; lat = lat.concat(p.latencies); });
      if (got >= expected) break;
    }
    const after = procStat(server.pid);
    lat.sort((a, b) => a - b);
    return {
      rate, sent, expected, got,
      deliveriesPerSec: Math.round(got / seconds),
      p50: percentile(lat, 0.5), p99: percentile(lat, 0.99),
      cpuUsPerDelivery: got ? ((after.cpu - before.cpu) * 1e6) / got : NaN,
      cpuUsPerDeliveryNoJit: got ? ((after.cpu - before.cpu - (after.jit - before.jit)) * 1e6) / got : NaN,
    };
  };
  // warm-up at the first rate (the JVM compiles its hot paths; Node's JIT warms too), not measured
  const warm = await run(RATES[0], WARMUP);
  console.error(`${kind} warm-up: ${JSON.stringify(warm)}`);
  const steps = [];
  for (const rate of RATES) {
    const step = await run(rate, SECONDS);
    steps.push(step);
    console.error(`${kind} compression=${compression} rate=${rate}/s: ${JSON.stringify(step)}`);
    if (step.p99 > 2000 || step.got < step.expected * 0.99) break; // past saturation
    await sleep(500);
  }
  leader.close();
  await c.all('close', {}, 'closed');
  await server.stop();
  return steps;
}

// A full GC in the server (jcmd for the JVM, --expose-gc for Node), so RSS is compared without
// collectable garbage; for the JVM also the heap still used after it.
async function collect(kind, server) {
  if (kindOf(kind) !== 'livestate') {
    await fetch(server.url + '/__gc');
    await sleep(500);
    return NaN;
  }
  try {
    execFileSync('jcmd', [String(server.pid), 'GC.run']);
    await sleep(500);
    const info = execFileSync('jcmd', [String(server.pid), 'GC.heap_info']).toString();
    const m = /used (\d+)K/.exec(info);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function idleMemory(kind, compression) {
  const server = await startServer(kind, compression);
  // one connection first, so lazily loaded code is not counted per connection
  const warm = clients(server.url, 50);
  await warm.all('open', {}, 'opened');
  await warm.all('close', {}, 'closed');
  await sleep(2000);
  const rawBefore = procStat(server.pid).rss;
  const heapBefore = await collect(kind, server);
  const before = procStat(server.pid).rss;
  const c = clients(server.url, IDLE);
  await c.all('open', {}, 'opened');
  await sleep(3000);
  const rawAfter = procStat(server.pid).rss;
  const heapAfter = await collect(kind, server);
  const after = procStat(server.pid).rss;
  await c.all('close', {}, 'closed');
  await server.stop();
  return {
    before, after, perConnection: (after - before) / IDLE,
    perConnectionNoGc: (rawAfter - rawBefore) / IDLE, heapPerConnection: (heapAfter - heapBefore) / IDLE,
  };
}

const results = [];
for (const kind of SERVERS) {
  for (const compression of COMPRESSION === 'both' ? [false, true] : [COMPRESSION === 'on']) {
    const steps = ONLY === 'memory' ? [] : await throughput(kind, compression);
    const variant = kind.includes('@');
    const mem = compression || variant || ONLY === 'throughput' ? null : await idleMemory(kind, compression);
    if (mem) console.error(`${kind} idle memory: ${JSON.stringify(mem)}`);
    const ok = steps.filter((s) => s.p99 <= 100 && s.got >= s.expected * 0.99);
    const best = ok.length ? ok.reduce((a, b) => (b.deliveriesPerSec > a.deliveriesPerSec ? b : a)) : null;
    const full = steps.filter((s) => s.got >= s.expected * 0.99);
    const sustained = full.length ? full.reduce((a, b) => (b.deliveriesPerSec > a.deliveriesPerSec ? b : a)) : null;
    results.push({ kind, compression, steps, best, sustained, mem });
  }
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
let md = `| server | compression | best deliveries/s (p99 ≤ 100 ms) | p99 there | CPU µs/delivery there (without JIT threads) | max sustained deliveries/s (p99) | idle memory / connection (RSS after full GC; without GC) | JVM heap retained / connection |\n|---|---|---|---|---|---|---|---|\n`;
for (const r of results) {
  md += `| ${r.kind} | ${r.compression ? 'on' : 'off'} | ${r.best ? r.best.deliveriesPerSec : 'none'} | ${r.best ? r.best.p99 + ' ms' : ''} | ${r.best ? fmt(r.best.cpuUsPerDelivery, 2) + ' (' + fmt(r.best.cpuUsPerDeliveryNoJit, 2) + ')' : ''} | ${r.sustained ? r.sustained.deliveriesPerSec + ' (' + r.sustained.p99 + ' ms)' : ''} | ${r.mem ? fmt(r.mem.perConnection / 1024, 1) + ' KB (' + fmt(r.mem.perConnectionNoGc / 1024, 1) + ' KB)' : '(not measured)'} | ${r.mem && Number.isFinite(r.mem.heapPerConnection) ? fmt(r.mem.heapPerConnection / 1024, 1) + ' KB' : ''} |\n`;
}
md += `\nSteps (leader rate → deliveries, latency, server CPU):\n\n| server | compression | rate/s | delivered/expected | deliveries/s | p50 ms | p99 ms | CPU µs/delivery | without JIT threads |\n|---|---|---|---|---|---|---|---|---|\n`;
for (const r of results) {
  for (const s of r.steps) {
    md += `| ${r.kind} | ${r.compression ? 'on' : 'off'} | ${s.rate} | ${s.got}/${s.expected} | ${s.deliveriesPerSec} | ${s.p50} | ${s.p99} | ${fmt(s.cpuUsPerDelivery, 2)} | ${fmt(s.cpuUsPerDeliveryNoJit, 2)} |\n`;
  }
}
const nd = results.find((r) => r.kind === 'node' && !r.compression);
for (const ls of results.filter((r) => kindOf(r.kind) === 'livestate' && !r.compression)) {
  if (!nd) break;
  md += `\nRatios (${ls.kind} / node, compression off):`;
  if (ls.best && nd.best) {
    md += ` at each one's best, deliveries/s ${fmt(ls.best.deliveriesPerSec / nd.best.deliveriesPerSec, 2)},` +
      ` CPU per delivery ${fmt(ls.best.cpuUsPerDelivery / nd.best.cpuUsPerDelivery, 2)};`;
  }
  const same = ls.steps.map((a) => [a, nd.steps.find((b) => b.rate === a.rate)]).filter(([, b]) => b);
  md += ' CPU per delivery at equal rates ' +
    same.map(([a, b]) => `${a.rate}/s ${fmt(a.cpuUsPerDelivery / b.cpuUsPerDelivery, 2)}`).join(', ');
  if (ls.mem && nd.mem) md += `; memory per idle connection ${fmt(ls.mem.perConnection / nd.mem.perConnection, 2)}`;
  md += '\n';
}
console.log(md);
if (OUT) writeFileSync(OUT, md);
process.exit(0);
