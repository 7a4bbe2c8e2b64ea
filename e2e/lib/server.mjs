// Starts the packaged livestate server as a child process on a free port, for black-box tests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.LIVESTATE_JAR || join(here, '..', '..', 'server', 'target', 'livestate.jar');

// Servers still running when this process ends (a test runner's timeout sends SIGTERM) are
// killed with it, so that a hung test never leaves a JVM behind.
const running = new Set();
const killAll = () => running.forEach((c) => c.kill('SIGKILL'));
process.once('exit', killAll);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
  });
}
// A test runner that died without ending this process (Node 18 does not pass a cancel on) leaves
// it orphaned: it then ends itself and its servers.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    killAll();
    process.exit(1);
  }
}, 1000).unref();

/**
 * The HMAC secret every test server holds: the compatibility surfaces stay open in token mode,
 * and the tests can read any surface's room through the HTTP API with an operator's token.
 */
export const SECRET = 'the e2e tests secret, 32 bytes or more';
let admin;

/** An operator's token for the test servers, minted once by `livestate token`. */
export function adminToken() {
  admin ??= execFileSync('java', ['-jar', JAR, 'token', '--sub', 'e2e-operator', '--admin',
    '--ttl', '1d', '--auth-hmac-secret', SECRET], { encoding: 'utf8', timeout: 60000 }).trim();
  return admin;
}

/**
 * A token for the test servers, minted by `livestate token`: sub, rooms (patterns), role
 * (reader, writer or leader), priority.
 */
export function mintToken({ sub, rooms = [], role = 'writer', priority = 0 }) {
  return execFileSync('java', ['-jar', JAR, 'token', '--sub', sub, ...rooms.flatMap((r) => ['--room', r]),
    '--role', role, '--priority', String(priority), '--ttl', '1h', '--auth-hmac-secret', SECRET],
  { encoding: 'utf8', timeout: 60000 }).trim();
}

/**
 * Starts the server in token mode (see SECRET), or with open: true in open mode. Options: args
 * (extra CLI flags), dataDir (reuse a data directory), env.
 * Resolves to { port, url, wsUrl, dataDir, logs(), stop(), kill() } once it listens.
 * stop() and kill() fail (with the server's output) if it has not exited within seconds.
 */
export async function startServer({ args = [], dataDir, env = {}, open = false } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), 'livestate-e2e-'));
  const child = spawn('java', ['-jar', JAR, '--port', '0', '--data-dir', dir, '--store-sync', 'normal',
    ...(open ? [] : ['--auth-hmac-secret', SECRET]), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.on('exit', () => running.delete(child));
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server did not start in 30 s:\n' + out));
    }, 30000);
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  // a server that ignores SIGTERM is killed, so that no test leaves a JVM behind, and the test fails
  const ended = async (signal, ms) => {
    child.kill(signal);
    try {
      await within(exited, ms, `the server to exit after ${signal}`);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${e.message}; its output:\n${out.slice(-4000)}`);
    }
  };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dataDir: dir,
    logs: () => out,
    stop: () => ended('SIGTERM', 20000),
    kill: () => ended('SIGKILL', 10000),
    cleanup() {
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until predicate() is truthy, polling; fails with message after timeoutMs. */
export async function until(predicate, message = 'condition', timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + message);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Resolves or rejects as promise does, but fails with a clear message if it has not settled
 * within ms: for every wait on a close, a stop or an open that could otherwise hang a test.
 */
export async function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether something accepts connections on 127.0.0.1:port: a test that needs Redis or
 * PostgreSQL is skipped without it, and fails without it when CI=true (CI starts both).
 */
export async function listening(port) {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
    s.once('connect', () => { s.end(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

const POSTGRES = process.env.LIVESTATE_TEST_POSTGRES_URL || 'jdbc:postgresql://127.0.0.1:5432/test';
const REDIS = process.env.LIVESTATE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * A cluster of packaged servers on the test Redis (a key prefix of its own) and the test
 * PostgreSQL database (a schema of its own, made and dropped with psql). node(name, options)
 * starts one node as startServer does, with the cluster flags; close() stops every node, drops
 * the schema and deletes the prefix's keys.
 */
export async function startCluster({ lease = '5s' } = {}) {
  const id = `e2e${process.pid}x${Date.now().toString(36)}`;
  const db = new URL(POSTGRES.slice('jdbc:'.length));
  const psql = (sql) => execFileSync('psql', ['-h', db.hostname, '-p', db.port || '5432',
    '-U', 'postgres', '-d', db.pathname.slice(1), '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql],
  { encoding: 'utf8', timeout: 30000, env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
  psql(`CREATE SCHEMA ${id}`);
  const prefix = `livestate-e2e-${id}:`;
  // every start, so that close() also stops a node that came up after another one failed
  const starts = [];
  return {
    prefix,
    node(name, { args = [], open = true } = {}) {
      const started = startServer({ open, args: ['--store', `${POSTGRES}?currentSchema=${id}`,
        '--store-user', 'postgres', '--cluster-redis', REDIS, '--cluster-prefix', prefix,
        '--node-id', name, '--cluster-lease', lease, ...args] });
      starts.push(started);
      return started;
    },
    async close() {
      const nodes = (await Promise.allSettled(starts)).filter((s) => s.status === 'fulfilled')
        .map((s) => s.value);
      await Promise.allSettled(nodes.map((n) => n.kill()));
      nodes.forEach((n) => n.cleanup());
      psql(`DROP SCHEMA ${id} CASCADE`);
      try {
        execFileSync('redis-cli', ['-u', REDIS, 'EVAL',
          "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", '0',
          prefix + '*'], { timeout: 10000 });
      } catch {
        // without redis-cli the keys stay: the prefix is this run's alone, the leases expire
      }
    },
  };
}
