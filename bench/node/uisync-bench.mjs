// UI sync side by side: livestate (the packaged jar, its defaults: durable SQLite rooms) against a
// Node Socket.IO 4 server with the original's semantics (uisync-node-server.mjs), in one run.
//   - fan-out scenarios SITESxFOLLOWERS (1x100, 1x1000, 100x10: one leader per site, each
//     ui_change goes to the site's followers): offered deliveries/s stepped up, each step on a
//     fresh server, then --refine evenly spaced rates between the last step passed and the one
//     failed; a scenario's figure is the highest rate with p99 <= 100 ms and nothing lost in every
//     repetition (a repetition that passed a higher rate counts as passing a lower one)
//   - server CPU per delivery (utime+stime from /proc/<pid>/stat) and the cores it used
//   - idle: the server's RSS at start, and the RSS delta per joined connection at --idle
//     connections as `ps` sees it (no forced GC; after a full GC in brackets), 3 s after the last
//     one joined and again --settle s after; --repeat rounds over the servers in turn, the
//     targets taken from each server's median
//   - heap (livestate builds only): the live heap per joined connection at --idle connections, by
//     class, from two class histograms (each a full GC) before and after they joined, and the
//     JVM's committed memory by category (Native Memory Tracking) beside the RSS
// Load comes from websocket-only socket.io-client 4.6.2 sockets in two child processes.
// Prints markdown and writes it to a new file (--out, default bench/results/uisync-side-by-side-TIME.md).
//
// node uisync-bench.mjs [--scenarios 1x100,1x1000,100x10,idle,heap] [--deliveries 25000,50000,100000,150000,200000]
//                       [--refine 3] [--seconds 10] [--warmup 30] [--repeat 2] [--idle 5000] [--settle 45]
//                       [--servers livestate,livestate@store=memory,node] [--compression off|on]
//                       [--jar ../../server/target/livestate.jar] [--jvm '-XX:Flag ...'] [--out FILE]
import { spawn, fork, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
};
const SCENARIOS = arg('scenarios', '1x100,1x1000,100x10,idle').split(',');
const DELIVERIES = arg('deliveries', '25000,50000,100000,150000,200000').split(',').map(Number);
// rates tried between the last step passed and the one failed: the ladder doubles, so its edge alone
// could put two servers 1.9x apart at the same figure
const REFINE = Number(arg('refine', 3));
const SECONDS = Number(arg('seconds', 10));
const WARMUP = Number(arg('warmup', 30)); // seconds at the step's rate before measuring (the JIT compiles)
const REPEAT = Number(arg('repeat', 2));
const IDLE = Number(arg('idle', 5000));
// idle memory is read 3 s after the last connection joined, and again --settle s after it
const SETTLE = Number(arg('settle', 45));
const IDLE_SITES = 100;
const COMPRESSION = arg('compression', 'off') === 'on';
// a server is livestate or node; livestate@key=value[@key=value] runs it with those settings
// (livestate@jar=PATH: another build; livestate@jvm=-XX:Flag: with that JVM flag)
const SERVERS = arg('servers', 'livestate,livestate@store=memory,node').split(',');
const JAR = arg('jar', join(here, '..', '..', 'server', 'target', 'livestate.jar'));
const STARTED = new Date();
const OUT = arg('out', join(here, '..', 'results',
  `uisync-side-by-side-${STARTED.toISOString().slice(0, 19).replace(/[T:]/g, (c) => (c === 'T' ? '-' : ''))}.md`));
if (existsSync(OUT)) throw new Error(`${OUT} exists: results are never overwritten`);
const JVM = arg('jvm', '').split(' ').filter(Boolean); // extra JVM flags for livestate
const CLIENT_PROCS = 2;
const P99_LIMIT_MS = 100;
const PAGE = 4096;
const TICKS = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kindOf = (server) => server.split('@')[0];

// CPU seconds (and the kernel's part of them: system time) and RSS of a process
function procStat(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { cpu: (Number(f[11]) + Number(f[12])) / TICKS, sys: Number(f[12]) / TICKS, rss: Number(f[21]) * PAGE };
}

async function startServer(server, extraJvm = []) {
  const kind = kindOf(server);
  const pairs = server.split('@').slice(1).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]);
  // jar=PATH runs another build of livestate, jvm=FLAG adds a JVM flag (one per pair); every
  // other pair is a server setting
  const jar = pairs.find(([k]) => k === 'jar')?.[1] ?? JAR;
  const jvm = pairs.filter(([k]) => k === 'jvm').map(([, v]) => v);
  const settings = pairs.filter(([k]) => k !== 'jar' && k !== 'jvm').flatMap(([k, v]) => ['--' + k, v]);
  let child;
  let dir;
  if (kind === 'livestate') {
    dir = mkdtempSync(join(tmpdir(), 'uisync-bench-'));
    // thousands of clients connect from one loopback address and leaders change as fast as the
    // step asks: the per-client abuse limits are off; everything else is the shipped default
    child = spawn('java', [...JVM, ...jvm, ...extraJvm, '-jar', jar, '--port', '0', '--data-dir', dir,
      '--limits-max-connections-per-address', '0', '--limits-changes-per-second', '0',
      '--websocket-compression', String(COMPRESSION), ...settings], { stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    child = spawn(process.execPath, ['--expose-gc', join(here, 'uisync-node-server.mjs'), '0'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COMPRESSION: COMPRESSION ? '1' : '0' },
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

// CLIENT_PROCS load processes; `each(i => message)` sends one message to each and awaits the replies
async function loadClients(url) {
  const procs = await Promise.all(Array.from({ length: CLIENT_PROCS }, () => new Promise((resolve) => {
    const p = fork(join(here, 'uisync-clients.mjs'), [url]);
    const waiters = new Map();
    let failure = null;
    const failAll = (error) => {
      failure ??= new Error(`load client: ${error}`);
      waiters.forEach(({ reject }) => reject(failure));
      waiters.clear();
    };
    p.on('message', (m) => {
      if (m.cmd === 'ready') resolve(p);
      if (m.cmd === 'failed') failAll(m.error);
      waiters.get(m.cmd)?.resolve(m);
    });
    p.on('exit', (code) => failAll(`exited ${code}`));
    p.call = (msg, reply) => new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      waiters.set(reply, { resolve, reject });
      p.send(msg);
    });
  })));
  return {
    pids: procs.map((p) => p.pid),
    each: (message, reply) => Promise.all(procs.map((p, i) => p.call(message(i), reply))),
    async close() {
      await Promise.allSettled(procs.map((p) => p.call({ cmd: 'close' }, 'closed')));
      procs.forEach((p) => p.kill());
    },
  };
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

// one measurement: a fresh server, the scenario's sites, a warm-up and a measured window at one rate
async function measure(server, sites, followers, deliveries) {
  const srv = await startServer(server);
  const c = await loadClients(srv.url);
  try {
    return await measureOn(srv, c, sites, followers, deliveries);
  } catch (e) {
    return { deliveries, expected: NaN, got: 0, disconnects: NaN, error: e.message, passed: false };
  } finally {
    await c.close();
    await srv.stop();
  }
}

async function measureOn(srv, c, sites, followers, deliveries) {
  const names = Array.from({ length: sites }, (_, i) => `bench-${i}`);
  // each process follows every site with its share of the followers and leads every other site
  await c.each((p) => ({
    cmd: 'follow', record: true,
    sites: names.map((s) => [s, Math.floor(followers / CLIENT_PROCS) + (p < followers % CLIENT_PROCS ? 1 : 0)]),
  }), 'following');
  await c.each((p) => ({ cmd: 'lead', sites: names.filter((_, i) => i % CLIENT_PROCS === p) }), 'leading');
  const rate = deliveries / (sites * followers); // ui_change per site per second
  const run = async (seconds) => {
    const before = procStat(srv.pid);
    const loadBefore = sum(c.pids.map((pid) => procStat(pid).cpu));
    const started = Date.now();
    const sent = await c.each((p) => ({ cmd: 'send', rate, seconds }), 'sent');
    const elapsed = (Date.now() - started) / 1000;
    const expected = sum(sent.map((part) => part.changes)) * followers;
    let got = 0;
    let disconnects = 0;
    let lat = [];
    const deadline = Date.now() + 5000;
    while (got < expected && Date.now() < deadline) {
      await sleep(250);
      const parts = await c.each(() => ({ cmd: 'take' }), 'taken');
      for (const part of parts) {
        got += part.received;
        lat = lat.concat(part.latencies);
      }
      disconnects = sum(parts.map((part) => part.disconnects));
    }
    const after = procStat(srv.pid);
    lat.sort((a, b) => a - b);
    return {
      deliveries, expected, got, disconnects, deliveriesPerSec: Math.round(got / elapsed),
      p50: percentile(lat, 0.5), p99: percentile(lat, 0.99),
      cpuUsPerDelivery: got ? ((after.cpu - before.cpu) * 1e6) / got : NaN,
      serverCores: (after.cpu - before.cpu) / elapsed,
      systemShare: (after.sys - before.sys) / (after.cpu - before.cpu),
      loadCores: (sum(c.pids.map((pid) => procStat(pid).cpu)) - loadBefore) / elapsed,
    };
  };
  await run(WARMUP);
  const step = await run(SECONDS);
  step.passed = step.got === step.expected && step.disconnects === 0 && step.p99 <= P99_LIMIT_MS;
  return step;
}

// RSS at start (no connection yet), then the RSS delta per joined idle connection, as `ps` sees it
// and after a full GC (jcmd for the JVM, --expose-gc for Node)
async function idleMemory(server) {
  const srv = await startServer(server);
  let clients = null;
  try {
    await sleep(2000);
    const atStart = procStat(srv.pid).rss;
    clients = await loadClients(srv.url); // the first connections load code: not counted per connection
    await clients.each(() => ({ cmd: 'follow', sites: [['warm', 25]] }), 'following');
    await clients.close();
    await sleep(2000);
    const before = procStat(srv.pid).rss;
    clients = await loadClients(srv.url);
    const names = Array.from({ length: IDLE_SITES }, (_, i) => `idle-${i}`);
    const slots = IDLE_SITES * CLIENT_PROCS; // IDLE spread evenly, to the last connection
    const share = (k) => Math.floor(IDLE / slots) + (k < IDLE % slots ? 1 : 0);
    await clients.each((p) => ({ cmd: 'follow', sites: names.map((s, i) => [s, share(i * CLIENT_PROCS + p)]) }), 'following');
    await sleep(3000);
    const after = procStat(srv.pid).rss;
    await sleep(Math.max(0, SETTLE - 3) * 1000);
    const settled = procStat(srv.pid).rss;
    if (kindOf(server) === 'livestate') execFileSync('jcmd', [String(srv.pid), 'GC.run']);
    else await fetch(srv.url + '/__gc');
    await sleep(1000);
    const afterGc = procStat(srv.pid).rss;
    return {
      atStart, perConnection: (after - before) / IDLE, perConnectionSettled: (settled - before) / IDLE,
      perConnectionAfterGc: (afterGc - before) / IDLE,
    };
  } finally {
    await clients?.close();
    await srv.stop();
  }
}

// the live heap by class (jcmd's histogram collects first): Map class -> {count, bytes}
function histogram(pid) {
  const out = execFileSync('jcmd', [String(pid), 'GC.class_histogram'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const classes = new Map();
  for (const m of out.matchAll(/^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/gm)) {
    classes.set(m[3], { count: Number(m[1]), bytes: Number(m[2]) });
  }
  return classes;
}

// the JVM's committed memory by Native Memory Tracking's category: Map category -> bytes
function nativeMemory(pid) {
  const out = execFileSync('jcmd', [String(pid), 'VM.native_memory', 'summary'], { encoding: 'utf8' });
  const categories = new Map();
  for (const m of out.matchAll(/^-\s+(.+?)\s+\(reserved=\d+KB, committed=(\d+)KB\)/gm)) {
    categories.set(m[1].trim(), Number(m[2]) * 1024);
  }
  return categories;
}

// what each joined connection adds: the live heap, in all and by the classes that grew most,
// and where the RSS goes (the JVM's committed memory by category, 3 s and --settle s after the last
// joined)
async function heapPerConnection(server) {
  const srv = await startServer(server, ['-XX:NativeMemoryTracking=summary']);
  let clients = null;
  try {
    clients = await loadClients(srv.url); // the first connections load code: not counted
    await clients.each(() => ({ cmd: 'follow', sites: [['warm', 25]] }), 'following');
    await clients.close();
    await sleep(2000);
    const rssBefore = procStat(srv.pid).rss;
    const committedBefore = nativeMemory(srv.pid);
    const before = histogram(srv.pid);
    clients = await loadClients(srv.url);
    const names = Array.from({ length: IDLE_SITES }, (_, i) => `idle-${i}`);
    const slots = IDLE_SITES * CLIENT_PROCS;
    const share = (k) => Math.floor(IDLE / slots) + (k < IDLE % slots ? 1 : 0);
    await clients.each((p) => ({ cmd: 'follow', sites: names.map((s, i) => [s, share(i * CLIENT_PROCS + p)]) }), 'following');
    await sleep(3000);
    const perConnection = (now) => [...now].map(([name, a]) => ({ name, bytes: (a - (committedBefore.get(name) ?? 0)) / IDLE }));
    const rss = (procStat(srv.pid).rss - rssBefore) / IDLE;
    const committed = perConnection(nativeMemory(srv.pid));
    await sleep(Math.max(0, SETTLE - 3) * 1000);
    const rssSettled = (procStat(srv.pid).rss - rssBefore) / IDLE;
    const settled = new Map(perConnection(nativeMemory(srv.pid)).map((c) => [c.name, c.bytes]));
    for (const c of committed) c.settled = settled.get(c.name) ?? 0;
    committed.sort((x, y) => y.bytes - x.bytes);
    const after = histogram(srv.pid);
    const grown = [...after].map(([name, a]) => {
      const b = before.get(name) ?? { count: 0, bytes: 0 };
      return { name, count: (a.count - b.count) / IDLE, bytes: (a.bytes - b.bytes) / IDLE };
    }).sort((x, y) => y.bytes - x.bytes);
    return { total: sum(grown.map((g) => g.bytes)), top: grown.slice(0, 25), rss, rssSettled, committed: committed.filter((c) => Math.abs(c.bytes) >= 1 || Math.abs(c.settled) >= 1) };
  } finally {
    await clients?.close();
    await srv.stop();
  }
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a');
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const loadAtStart = load();
const fanouts = SCENARIOS.filter((s) => s !== 'idle' && s !== 'heap').map((s) => s.split('x').map(Number));
const results = []; // {server, sites, followers, reps: [[step...]...], best}
for (const [sites, followers] of fanouts) {
  for (const server of SERVERS) {
    const reps = [];
    for (let r = 0; r < REPEAT; r++) {
      const steps = [];
      const step = async (deliveries) => {
        const s = await measure(server, sites, followers, deliveries);
        console.error(`${server} ${sites}x${followers} rep ${r + 1}: ${JSON.stringify(s)}`);
        steps.push(s);
        return s.passed;
      };
      let passed = 0;
      for (const deliveries of DELIVERIES) {
        if (!(await step(deliveries))) {
          for (let k = 1; passed > 0 && k <= REFINE; k++) {
            if (!(await step(Math.round(passed + ((deliveries - passed) * k) / (REFINE + 1))))) break;
          }
          break;
        }
        passed = deliveries;
      }
      reps.push(steps);
    }
    // the highest offered rate that passed in every repetition, its figures averaged over the
    // repetitions that measured it
    const tried = [...new Set(reps.flat().map((s) => s.deliveries))].sort((a, b) => a - b);
    const passedEverywhere = tried.filter((d) => reps.every((steps) => steps.some((s) => s.passed && s.deliveries >= d)));
    const top = passedEverywhere.at(-1);
    const at = top === undefined ? [] : reps.map((steps) => steps.find((s) => s.deliveries === top)).filter(Boolean);
    const mean = (key) => sum(at.map((s) => s[key])) / at.length;
    const best = top === undefined ? null : {
      deliveriesPerSec: Math.round(mean('deliveriesPerSec')), p99: Math.max(...at.map((s) => s.p99)),
      cpuUsPerDelivery: mean('cpuUsPerDelivery'), serverCores: mean('serverCores'),
      atTop: top === DELIVERIES.at(-1), // the ladder ended before the server did
    };
    // what stopped it: the lowest rate failed in any repetition, and why
    const failed = reps.flat().filter((s) => !s.passed).sort((a, b) => a.deliveries - b.deliveries)[0];
    const stop = !failed ? 'nothing: passed every step'
      : `${fmt(failed.deliveries, 0)}/s failed: ${failed.error ? failed.error
        : [failed.got < failed.expected ? `${failed.expected - failed.got} of ${failed.expected} not delivered` : '',
          failed.disconnects ? `${failed.disconnects} connections dropped` : '',
          failed.p99 > P99_LIMIT_MS ? `p99 ${failed.p99} ms` : ''].filter(Boolean).join(', ')}`
        + (failed.serverCores ? ` (server ${fmt(failed.serverCores, 2)} cores, load generator ${fmt(failed.loadCores, 2)})` : '');
    results.push({ server, sites, followers, reps, best, stop });
  }
}
const memory = [];
if (SCENARIOS.includes('idle')) {
  // another build or JVM flags may change idle memory; a server setting (store=memory) does not
  const onlyBuild = (s) => s.split('@').slice(1).every((kv) => kv.startsWith('jar=') || kv.startsWith('jvm='));
  // rounds over the servers in turn, so that a noisy minute does not fall on one server only
  for (let rep = 1; rep <= REPEAT; rep++) {
    for (const server of SERVERS.filter(onlyBuild)) {
      try {
        const mem = await idleMemory(server);
        console.error(`${server} idle ${rep}: ${JSON.stringify(mem)}`);
        memory.push({ server, rep, ...mem });
      } catch (e) {
        console.error(`${server} idle ${rep}: failed, ${e.message}`);
        memory.push({ server, rep, atStart: NaN, perConnection: NaN, perConnectionSettled: NaN, perConnectionAfterGc: NaN });
      }
    }
  }
}

const heaps = [];
if (SCENARIOS.includes('heap')) {
  for (const server of SERVERS.filter((s) => kindOf(s) === 'livestate')) {
    const heap = await heapPerConnection(server);
    console.error(`${server} heap: ${fmt(heap.total, 0)} bytes per connection`);
    heaps.push({ server, ...heap });
  }
}

// "met", or "missed by" the factor between the target and the ratio
const atLeast = (ratio, target) => (ratio >= target ? 'met' : `missed by ${fmt(target / ratio, 2)}×`);
const atMost = (ratio, target) => (ratio <= target ? 'met' : `missed by ${fmt(ratio / target, 2)}×`);

let md = `# UI sync side by side, ${STARTED.toISOString().slice(0, 16)} UTC\n\n` +
  `\`node uisync-bench.mjs ${process.argv.slice(2).join(' ')}\` — ${REPEAT} repetition(s), ${WARMUP} s warm-up + ` +
  `${SECONDS} s measured per step, fresh server per step, compression ${COMPRESSION ? 'on' : 'off'}; ` +
  `load average ${loadAtStart} at the start, ${load()} at the end.\n\n`;
if (results.length) md += `## Best rate with p99 ≤ ${P99_LIMIT_MS} ms and nothing lost (in every repetition)\n\n` +
  '| workload | server | deliveries/s | p99 ms | server CPU µs/delivery | server cores | what stopped it |\n|---|---|---|---|---|---|---|\n';
for (const r of results) {
  md += `| ${r.sites} × ${r.followers} | ${r.server} | ${r.best ? fmt(r.best.deliveriesPerSec, 0) + (r.best.atTop ? ' (the top step)' : '') : 'none'} | ` +
    `${r.best ? r.best.p99 : ''} | ${r.best ? fmt(r.best.cpuUsPerDelivery, 2) : ''} | ${r.best ? fmt(r.best.serverCores, 2) : ''} | ${r.stop} |\n`;
}
if (memory.length) {
  md += `\n## Idle memory (${IDLE} joined connections over ${IDLE_SITES} sites)\n\n` +
    `| server | round | RSS at start | RSS delta per connection 3 s after the last joined, no forced GC (after a full GC) | ${SETTLE} s after, no forced GC |\n|---|---|---|---|---|\n`;
  for (const m of memory) {
    md += `| ${m.server} | ${m.rep} | ${fmt(m.atStart / 1048576, 0)} MB | ${fmt(m.perConnection / 1024)} KB (${fmt(m.perConnectionAfterGc / 1024)} KB) | ${fmt(m.perConnectionSettled / 1024)} KB |\n`;
  }
}
for (const h of heaps) {
  md += `\n## Live heap per joined connection, ${h.server} (${IDLE} connections, class histograms)\n\n` +
    `${fmt(h.total, 0)} bytes in all; the classes that grew most:\n\n| class | instances | bytes |\n|---|---|---|\n`;
  for (const g of h.top) md += `| \`${g.name}\` | ${fmt(g.count, 2)} | ${fmt(g.bytes, 0)} |\n`;
  md += `\nWhere the RSS goes, before any forced GC: per connection, ${fmt(h.rss, 0)} bytes of RSS 3 s after the last joined and ` +
    `${fmt(h.rssSettled, 0)} ${SETTLE} s after; the JVM's committed memory by category (Native Memory Tracking; committed ` +
    `is not all touched):\n\n| category | 3 s after | ${SETTLE} s after |\n|---|---|---|\n`;
  for (const c of h.committed) md += `| ${c.name} | ${fmt(c.bytes, 0)} | ${fmt(c.settled, 0)} |\n`;
  md += `| all | ${fmt(sum(h.committed.map((c) => c.bytes)), 0)} | ${fmt(sum(h.committed.map((c) => c.settled)), 0)} |\n`;
}
md += '\n## Targets (livestate / Node, in this run)\n\n| target | figure | verdict |\n|---|---|---|\n';
const of = (server, sites, followers) => results.find((r) => r.server === server && r.sites === sites && r.followers === followers);
for (const [sites, followers] of fanouts) {
  const ls = of('livestate', sites, followers);
  const nd = of('node', sites, followers);
  if (!ls || !nd) continue;
  const w = `${sites} × ${followers}`;
  if (!ls.best) {
    md += `| ${w}: deliveries/s ≥ 1.5× Node's | livestate passed no step | missed |\n`;
  } else if (!nd.best) {
    md += `| ${w}: deliveries/s ≥ 1.5× Node's | Node passed no step, livestate ${fmt(ls.best.deliveriesPerSec, 0)}/s | met |\n`;
  } else {
    const ratio = ls.best.deliveriesPerSec / nd.best.deliveriesPerSec;
    const cpu = ls.best.cpuUsPerDelivery / nd.best.cpuUsPerDelivery;
    // a server that passed the ladder's top step could do more: its figure is only a bound
    const verdict = nd.best.atTop ? 'not decided: Node passed the top step, add higher --deliveries'
      : ls.best.atTop && ratio < 1.5 ? `not decided: at least ${fmt(ratio, 2)}×, livestate passed the top step`
        : atLeast(ratio, 1.5);
    md += `| ${w}: deliveries/s ≥ 1.5× Node's | ${fmt(ratio, 2)}× | ${verdict} |\n`;
    md += `| ${w}: server CPU per delivery ≤ 0.5× Node's | ${fmt(cpu, 2)}× (${fmt(ls.best.cpuUsPerDelivery, 2)} vs ${fmt(nd.best.cpuUsPerDelivery, 2)} µs) | ${atMost(cpu, 0.5)} |\n`;
  }
}
// each server's median reading, field by field, over its rounds
const medianMemory = (server) => {
  const runs = memory.filter((m) => m.server === server);
  if (!runs.length) return null;
  const mid = (field) => {
    const v = runs.map((m) => m[field]).sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  return { atStart: mid('atStart'), perConnection: mid('perConnection'), perConnectionSettled: mid('perConnectionSettled') };
};
const lm = medianMemory('livestate');
const nm = medianMemory('node');
if (lm && nm) {
  const ratio = lm.perConnection / nm.perConnection;
  md += `| idle memory per joined connection ≤ 0.6× Node's (medians of the rounds) | ${fmt(ratio, 2)}× (${fmt(lm.perConnection / 1024)} vs ${fmt(nm.perConnection / 1024)} KB) | ${atMost(ratio, 0.6)} |\n`;
  const settled = lm.perConnectionSettled / nm.perConnectionSettled;
  md += `| the same, ${SETTLE} s after the last joined | ${fmt(settled, 2)}× (${fmt(lm.perConnectionSettled / 1024)} vs ${fmt(nm.perConnectionSettled / 1024)} KB) | ${atMost(settled, 0.6)} |\n`;
}
if (lm) {
  md += `| livestate RSS at start < 150 MB | ${fmt(lm.atStart / 1048576, 0)} MB | ${lm.atStart < 150 * 1048576 ? 'met' : `missed by ${fmt(lm.atStart / 1048576 - 150, 0)} MB`} |\n`;
}
if (results.length) md += '\n## Steps\n\n| workload | server | rep | offered deliveries/s | delivered/expected | deliveries/s | p50 ms | p99 ms | ' +
  'server CPU µs/delivery | server cores | system time share | load generator cores |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n';
for (const r of results) {
  r.reps.forEach((steps, i) => steps.forEach((s) => {
    md += `| ${r.sites} × ${r.followers} | ${r.server} | ${i + 1} | ${fmt(s.deliveries, 0)} | ${s.error ? `failed: ${s.error}` : `${s.got}/${s.expected}`}${s.disconnects ? ` (${s.disconnects} connections dropped)` : ''} | ` +
      `${fmt(s.deliveriesPerSec, 0)} | ${s.p50} | ${s.p99} | ${fmt(s.cpuUsPerDelivery, 2)} | ${fmt(s.serverCores, 2)} | ${fmt(100 * s.systemShare, 0)} % | ${fmt(s.loadCores, 2)} |\n`;
  }));
}
console.log(md);
writeFileSync(OUT, md, { flag: 'wx' }); // a new file: never over a committed result
console.error(`written to ${OUT}`);
process.exit(0);
